/**
 * `aisle build notebook.md --data sales=file.csv --out site/ [--passphrase-file F]`: the notebook published as a
 * static site, made by the same module as the app's *Export → Web app…* (src/engine/site.ts). Data is loaded as
 * `aisle run` loads it and written as Parquet.
 */
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEngine } from './engine.ts';
import { nodeParquetCodec } from '../db/parquet-node.ts';
import { APP_FILE_LIST, assembleSite, exportTableParquet, parseAppFileList, SiteError, type SiteFile } from '../engine/index.ts';
import { passphraseFileSealer } from '../store/file-sealer.ts';
import { messageOf } from '../util/errors.ts';
import { loadTable, resolveSources } from './data.ts';
import { importArguments, pairs, readCommandLine, UsageError } from './arguments.ts';
import type { Output } from './main.ts';
import { readNotebook } from './run.ts';
import { RunSetupError, count, seconds, shortPath } from './setup.ts';

export const BUILD_USAGE = `Usage: aisle build <notebook.md> --out <dir> [options]

Publishes a notebook as a static site: the built app, the notebook and its data as Parquet. Served by any
static server, under any path, it opens the notebook in app mode and runs it in the visitor's tab; nothing
is fetched from another site.

Options:
  --out dir               The site's folder: new, empty, or an earlier site (replaced).
  --data name=path        Load a data file as table <name>; repeatable (as for aisle run).
  --import name:key=value,…
                          How to read table <name>'s file; repeatable (as for aisle run; --csv is the same).
  --passphrase-file file  Seal the notebook and its data with the passphrase in this file (its first line,
                          at least 8 characters); the page asks for it before anything is shown.
  --app dir               The built app to copy (default: this package's dist/, built first if missing).
  --quiet                 Print only the final line.`;

/** The built app this package ships, from `npm run build`. */
export const DEFAULT_APP_DIR = fileURLToPath(new URL('../../dist/', import.meta.url));

export interface BuildOptions {
  readonly notebookPath: string;
  readonly outDir: string;
  readonly data?: Readonly<Record<string, string>>;
  readonly dataOptions?: Parameters<typeof resolveSources>[1]['dataOptions'];
  readonly passphraseFile?: string;
  readonly appDir?: string;
  readonly log?: (line: string) => void;
}

export interface BuildSummary {
  readonly outDir: string;
  readonly files: number;
  /** Bytes of the app's files (everything but the notebook and its data). */
  readonly appBytes: number;
  readonly dataBytes: number;
  readonly sealed: boolean;
  readonly durationMs: number;
}

/** Read `build <notebook.md> --out dir …`; `'help'` for --help. Throws a UsageError naming the bad argument. */
export function parseBuildArguments(argv: readonly string[]): BuildOptions | 'help' {
  const { values, positionals } = readCommandLine(argv, {
    data: { type: 'string', multiple: true },
    import: { type: 'string', multiple: true },
    csv: { type: 'string', multiple: true },
    out: { type: 'string' },
    'passphrase-file': { type: 'string' },
    app: { type: 'string' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  const [, notebookPath, ...extra] = positionals;
  if (notebookPath === undefined) throw new UsageError('`build` needs a notebook file: aisle build notebooks/retail-tour.md --out site/');
  if (extra.length > 0) throw new UsageError(`one notebook per site; unexpected "${extra.join(' ')}"`);
  if (!values.out) throw new UsageError('`build` needs --out, the folder to write the site to');
  if (values['passphrase-file'] === '') throw new UsageError('--passphrase-file needs a file name');
  return {
    notebookPath,
    outDir: values.out,
    data: pairs('--data', 'name=path', values.data ?? []),
    dataOptions: importArguments({ import: values.import, csv: values.csv }),
    passphraseFile: values['passphrase-file'],
    appDir: values.app,
    ...(values.quiet ? { log: () => {} } : {}),
  };
}

/** Run `aisle build …` (argv from the command word on); resolves to the exit status: 0 written, 2 not. */
export async function buildMain(argv: readonly string[], output: Output): Promise<number> {
  let options;
  try {
    options = parseBuildArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.err(`aisle: ${error.message}\n(aisle build --help shows the usage)`);
    return 2;
  }
  if (options === 'help') {
    output.out(BUILD_USAGE);
    return 0;
  }
  try {
    const summary = await buildSite({ log: output.err, ...options });
    const what = summary.sealed ? 'sealed notebook and data' : 'notebook and data';
    output.out(`wrote ${shortPath(summary.outDir)}: ${count(summary.files, 'file')}, app ${megabytes(summary.appBytes)}, ${what} ${megabytes(summary.dataBytes)} in ${seconds(summary.durationMs)}`);
    return 0;
  } catch (error) {
    const known = error instanceof RunSetupError || error instanceof SiteError;
    output.err(`aisle: ${known ? error.message : `the site could not be built: ${messageOf(error)}`}`);
    return 2;
  }
}

/**
 * Write the notebook's site to `outDir`. It is made beside it and moved into place whole, so a failed build
 * leaves an earlier site as it was; a folder that holds anything but an earlier site is refused.
 */
export async function buildSite(options: BuildOptions): Promise<BuildSummary> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const outDir = resolve(options.outDir);
  await checkOutDir(outDir);
  const passphrase = options.passphraseFile === undefined ? undefined : await readPassphrase(options.passphraseFile);
  const notebook = await readNotebook(options.notebookPath);
  const sources = await resolveSources(notebook, options);
  const appDir = resolve(options.appDir ?? DEFAULT_APP_DIR);
  const app = await readApp(appDir, options.appDir === undefined, log);

  const tables: Record<string, Uint8Array> = {};
  // DuckDB-WASM, as the visitor's tab will read the Parquet it writes.
  const engine = await openEngine({
    engine: 'wasm',
    load: async (opened) => {
      for (const [table, source] of Object.entries(sources)) {
        await loadTable(opened, table, source, log);
        tables[table] = await exportTableParquet(opened.db, nodeParquetCodec, table);
      }
    },
  });
  await engine.db.close();

  const files = await assembleSite({ notebook, indexHtml: app.indexHtml, appFiles: app.files, tables, passphrase }, passphraseFileSealer());
  const staging = `${outDir}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  try {
    for (const file of files) {
      const path = join(staging, ...file.path.split('/'));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.bytes);
    }
    await rm(outDir, { recursive: true, force: true });
    await rename(staging, outDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  const appPaths = new Set(['index.html', APP_FILE_LIST, ...app.files.map((file) => file.path)]);
  const bytesOf = (wanted: (file: SiteFile) => boolean) => files.filter(wanted).reduce((sum, file) => sum + file.bytes.byteLength, 0);
  return {
    outDir,
    files: files.length,
    appBytes: bytesOf((file) => appPaths.has(file.path)),
    dataBytes: bytesOf((file) => !appPaths.has(file.path)),
    sealed: passphrase !== undefined,
    durationMs: performance.now() - started,
  };
}

async function checkOutDir(outDir: string): Promise<void> {
  const info = await stat(outDir).catch(() => undefined);
  if (info === undefined) return;
  if (!info.isDirectory()) throw new RunSetupError(`--out ${shortPath(outDir)} is a file; give a folder`);
  const entries = await readdir(outDir);
  if (entries.length > 0 && !entries.includes(APP_FILE_LIST)) {
    throw new RunSetupError(`--out ${shortPath(outDir)} holds other files (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); give a new or empty folder, or an earlier site`);
  }
}

/** The passphrase is the file's first line, so an editor's final newline is not part of it. */
async function readPassphrase(path: string): Promise<string> {
  let text;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new RunSetupError(`--passphrase-file ${path}: ${messageOf(error)}`);
  }
  const passphrase = text.split(/\r?\n/)[0] ?? '';
  if (passphrase.length < 8) throw new RunSetupError(`--passphrase-file ${path}: the passphrase on its first line has ${passphrase.length} characters; use at least 8`);
  return passphrase;
}

/** The built app's index.html and the files its list names; this package's app is built first when missing. */
async function readApp(appDir: string, buildIfMissing: boolean, log: (line: string) => void): Promise<{ indexHtml: string; files: SiteFile[] }> {
  const listPath = join(appDir, APP_FILE_LIST);
  let listText = await readFile(listPath, 'utf8').catch(() => undefined);
  if (listText === undefined && buildIfMissing) {
    log(`the app is not built yet: building it into ${shortPath(appDir)} (once)`);
    const { build } = await import('vite');
    await build({ root: fileURLToPath(new URL('../../', import.meta.url)), logLevel: 'warn' });
    listText = await readFile(listPath, 'utf8').catch(() => undefined);
  }
  if (listText === undefined) throw new RunSetupError(`${shortPath(appDir)} holds no built app (${APP_FILE_LIST} is missing); run npm run build`);
  let paths;
  try {
    paths = parseAppFileList(JSON.parse(listText));
  } catch (error) {
    throw new RunSetupError(`${shortPath(listPath)}: ${messageOf(error)}`);
  }
  const read = async (path: string) => {
    try {
      return await readFile(join(appDir, ...path.split('/')));
    } catch (error) {
      throw new RunSetupError(`the built app in ${shortPath(appDir)} misses ${path} (${messageOf(error)}); run npm run build again`);
    }
  };
  const indexHtml = (await read('index.html')).toString('utf8');
  const files = await Promise.all(paths.map(async (path) => ({ path, bytes: new Uint8Array(await read(path)) })));
  return { indexHtml, files };
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;
}
