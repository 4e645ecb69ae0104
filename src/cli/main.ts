/** The `aisle` command line: `aisle run notebook.md --data sales=file.parquet --out results/ --report report.html`. */
import type { EngineChoice } from './engine.ts';
import { OUTPUT_FORMATS, RunSetupError, count, runNotebook, seconds, shortPath, type OutputFormat, type RunSummary } from './run.ts';
import type { GivenImportOptions } from '../engine/index.ts';
import { importArguments, pairs, readCommandLine, UsageError } from './arguments.ts';
import { readEngineArguments, type TrinoTarget } from './trino-engine.ts';
import { messageOf } from '../util/errors.ts';
import { serveMain } from './serve.ts';

export const USAGE = `Usage: aisle run <notebook.md> [options]

Runs every cell of an Aisle notebook with native DuckDB (all cores, files read from disk), or with
DuckDB-WASM, the app's own engine, and writes each cell's table, or the same HTML report the app
exports, or both.

Options:
  --data name=path      Load a data file as table <name>; repeatable. Delimited text of any extension
                        (.csv, .tsv, .txt, .data, .dat, also gzip-compressed .gz), Parquet, Excel
                        (.xlsx) or JSON (.json, .ndjson, .jsonl). Overrides or adds to the notebook's
                        own data, whose paths are looked up in Aisle's public/ folder, then next to
                        the notebook. Retail layouts get <name>_canonical and
                        <name>_clean, as in the app.
  --import name:key=value,…
                        How to read table <name>'s file; repeatable (--csv is the same flag, its first
                        name). What is not given is detected (delimiter, header, encoding, baskets…).
                        Keys for delimited text:
                          delim=ws|tab|comma|semicolon|pipe|space|<char>   (ws: runs of spaces/tabs)
                          header=true|false   names=user/item/rating (implies header=false)
                          quote=<char>|none   skip=<lines>   decimal=comma|point
                          encoding=utf-8|utf-8-bom|utf-16le|utf-16be|latin1
                          dateformat=%d/%m/%Y   timestampformat=%m/%d/%Y %H:%M
                          layout=table|baskets   basket_id=true|false (baskets: first field is the id)
                        Keys for Excel (.xlsx): sheet=<name>|<position, 1 = first>
                          header_row=<row holding the column names, 1 by default; 0 for none>
                        Keys for JSON: nested=flatten|json (nested objects as a.b columns, or JSON text)
                        e.g. --import ratings:header=false,delim=ws  --import groceries:layout=baskets
                             --import retail:sheet=Year 2010-2011,header_row=2
  --input name=value    Set an input cell before the run; repeatable. The value is read as JSON when it
                        parses (20, "France", ["France","Spain"]), else as text.
  --out dir             Write <cell>.csv (or .parquet) for every cell that makes a table, summary.json
                        and run-log.jsonl into dir. Without it nothing is written.
  --format csv|parquet  Format of the tables written to --out (default csv).
  --report file.html    Write the notebook's self-contained HTML report, as the app's Export report makes
                        it: prose, tables (first 50 rows), charts as SVG, errors; no script, no network.
                        A missing folder is made.
  --engine auto|native|wasm|trino://user@host:port/catalog/schema
                        Which DuckDB runs the notebook (default auto: native when installed, else
                        WASM, saying so in one line), or a Trino cluster: SQL cells run there, model
                        cells pull their inputs and run here, tables are made in catalog.schema.
  --table name=catalog.schema.table
                        With a Trino engine: table <name> of the notebook is that catalog table
                        (nothing is uploaded; --data is refused); repeatable.
  --quiet               Print only failures and the final summary line.
  -h, --help            Show this text.

aisle build <notebook.md> --out dir publishes the notebook as a static site (aisle build --help).

Native DuckDB reads data files from disk as queries need them and spills to a temp folder. DuckDB-WASM
reads them into memory whole (CSV up to 2 GB, Parquet up to 1.5 GB); convert larger CSV files to
Parquet, which is several times smaller.

Exit status: 0 when every cell ran, 1 when a cell failed or was blocked, 2 when the run could not start
(a bad argument, an unreadable notebook or data file).

aisle serve <notebook.md> --api serves a notebook's results as a JSON API (aisle serve --help).`;

/** Where the command writes: progress and errors to `err`, the final summary line to `out`. */
export interface Output {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const PROCESS_OUTPUT: Output = {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
};

/** What `aisle run` was asked to do. */
export interface RunArguments {
  readonly notebookPath: string;
  readonly data: Record<string, string>;
  /** Table name → import options from `--import name:key=value,…` (or `--csv`). */
  readonly dataOptions: Record<string, GivenImportOptions>;
  readonly inputs: Record<string, string>;
  readonly outDir?: string;
  readonly format: OutputFormat;
  readonly reportPath?: string;
  readonly quiet: boolean;
  readonly engine: EngineChoice;
  /** Set when `--engine trino://…`: the cluster and the `--table` bindings. */
  readonly trino?: TrinoTarget;
}

/**
 * Read `run <notebook.md> [--data name=path]… [--import name:key=value,…]… [--input name=value]… [--out dir] [--format csv|parquet] [--report file.html] [--quiet]`;
 * `'help'` for `--help`. Throws a UsageError naming the bad argument.
 */
export function parseArguments(argv: readonly string[]): RunArguments | 'help' {
  const { values, positionals } = readCommandLine(argv, {
    data: { type: 'string', multiple: true },
    import: { type: 'string', multiple: true },
    csv: { type: 'string', multiple: true },
    input: { type: 'string', multiple: true },
    out: { type: 'string' },
    format: { type: 'string' },
    report: { type: 'string' },
    quiet: { type: 'boolean' },
    engine: { type: 'string' },
    table: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  const [command, notebookPath, ...extra] = positionals;
  if (command === undefined) throw new UsageError('no command given; the command is `run`');
  if (command !== 'run') throw new UsageError(`unknown command "${command}"; the command is \`run\``);
  if (notebookPath === undefined) throw new UsageError('`run` needs a notebook file: aisle run notebooks/retail-tour.md');
  if (extra.length > 0) throw new UsageError(`one notebook per run; unexpected "${extra.join(' ')}"`);
  const format = values.format ?? 'csv';
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be csv or parquet, got "${format}"`);
  const { engine, trino } = readEngineArguments(values.engine, values.table, values.data !== undefined);
  if (values.out === '') throw new UsageError('--out needs a folder');
  if (values.report === '') throw new UsageError('--report needs a file name, like report.html');
  return {
    notebookPath,
    data: pairs('--data', 'name=path', values.data ?? []),
    dataOptions: importArguments({ import: values.import, csv: values.csv }),
    inputs: pairs('--input', 'name=value', values.input ?? []),
    outDir: values.out,
    format: format as OutputFormat,
    reportPath: values.report,
    quiet: values.quiet ?? false,
    engine,
    ...(trino === undefined ? {} : { trino }),
  };
}

/** Run the command line `argv` (without `node` and the script); resolves to the exit status. */
export async function main(argv: readonly string[], output: Output = PROCESS_OUTPUT): Promise<number> {
  if (argv.find((arg) => !arg.startsWith('-')) === 'build') return (await import('./build.ts')).buildMain(argv, output);
  if (argv[0] === 'serve') return serveMain(argv.slice(1), output);
  let args;
  try {
    args = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.err(`aisle: ${error.message}\n(aisle --help shows the usage)`);
    return 2;
  }
  if (args === 'help') {
    output.out(USAGE);
    return 0;
  }
  let summary: RunSummary;
  try {
    // A fallback to WASM is said even with --quiet: the run is slower than asked for.
    summary = await runNotebook({ ...args, log: args.quiet ? undefined : output.err, warn: output.err });
  } catch (error) {
    output.err(`aisle: ${error instanceof RunSetupError ? error.message : `the run stopped: ${messageOf(error)}`}`);
    return 2;
  }
  const failed = summary.cells.filter((cell) => cell.state !== 'done' || cell.error !== undefined);
  if (args.quiet) for (const cell of failed) output.err(`${cell.state} ${cell.cell}: ${cell.error ?? ''}`.trimEnd());
  output.out(summaryLine(summary, args.outDir));
  return failed.length === 0 ? 0 : 1;
}

/**
 * `Retail tour: 8 of 8 cells done in 1.9 s on DuckDB 1.4.3 native, 2 threads; wrote results/, tour.html` or
 * `…: 4 of 6 cells done; error: broken; blocked: after_broken …`.
 */
export function summaryLine(summary: RunSummary, outDir: string | undefined): string {
  const done = summary.cells.filter((cell) => cell.state === 'done' && cell.error === undefined).length;
  const byState = new Map<string, string[]>();
  for (const cell of summary.cells) {
    if (cell.state === 'done' && cell.error === undefined) continue;
    byState.set(cell.state, [...(byState.get(cell.state) ?? []), cell.cell]);
  }
  const problems = [...byState].map(([state, names]) => `; ${state}: ${names.join(', ')}`).join('');
  const files = [outDir, summary.report].flatMap((path) => (path === undefined ? [] : [shortPath(path)]));
  const written = files.length === 0 ? '' : `; wrote ${files.join(', ')}`;
  return `${summary.notebook}: ${done} of ${count(summary.cells.length, 'cell')} done${problems} in ${seconds(summary.durationMs)} on ${summary.engine}${written}`;
}
