/**
 * `aisle serve notebook.md --api`: run a notebook once, then answer JSON requests on its results (row lookups,
 * re-runs with new inputs, an OpenAPI document) on 127.0.0.1, behind a one-time token.
 */
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { ModelInputCache, ModelOutputWatch, Scheduler, createEvaluator, isNamed, type GivenImportOptions } from '../engine/index.ts';
import { NotebookApi, cellTableStamp } from '../engine/api/index.ts';
import { messageOf } from '../util/errors.ts';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isFile, loadTable, resolveSources, type LoadedTable } from './data.ts';
import { RunSetupError, count, readNotebook, seconds } from './run.ts';
import { apiHandler, hasToken, isApiPath, isToken, refuseWithoutToken } from './serve-http.ts';
import { openServerEngine, type ServerEngine } from './serve-engine.ts';
import { acceptToken, serveStatic, type ServedEngine } from './serve-app.ts';
import { answerRemote, sendJson } from './serve-remote.ts';
import { pairs, readCommandLine, UsageError } from './arguments.ts';
import type { EngineChoice } from './engine.ts';
import { readEngineArguments, type TrinoTarget } from './trino-engine.ts';

export const SERVE_USAGE = `Usage: aisle serve [--app] | aisle serve <notebook.md> --api [--app] [options]

Without --api: serves the built app (dist/, built first if missing) on 127.0.0.1, its SQL and models running on
this server instead of in the tab. Open the printed URL; the token in it is kept in a cookie.

With --api: runs the notebook once, then serves its results as a JSON API on 127.0.0.1:
  GET  /health                                   is the server up, which notebook, which engine
  GET  /api/tables/<cell>?<column>=<value>&limit=  rows of a cell's table whose columns equal the values
  POST /api/run/<cell>   {"<input>": value, …}   re-run the cell and its dependents with those inputs; its rows
  GET  /api/openapi.json                         the OpenAPI document of the notebook's cells and inputs
Every request needs the token printed at start: "Authorization: Bearer <token>" or ?token=<token>.

Options:
  --api                 Serve the notebook's results as the JSON API (and not the app, unless --app).
  --app                 Serve the app as well as the API.
  --data name=path      Load a data file as table <name>; repeatable (as for aisle run).
  --engine auto|native|wasm|trino://user@host:port/catalog/schema
                        Which DuckDB runs the SQL: native (all cores, spilling to disk) when installed, which
                        auto picks (the default), or DuckDB-WASM's Node build. Falling back to WASM is said at start.
                        Or a Trino cluster: SQL runs there, models in this server's threads, cells' tables are
                        made in catalog.schema. The app's page then writes its own SQL in Trino's dialect and
                        takes no file: its tables are those --table binds. The API and the app are served
                        by two servers then (--api, or the app alone), each with its own schema.
  --table name=catalog.schema.table
                        With a Trino engine: table <name> (of the notebook, and in the app's data panel) is that
                        catalog table, nothing uploaded (--data is refused); repeatable.
  --db file.duckdb      Keep the app's tables in this database file (created when missing; native DuckDB only).
  --memory-limit size   How much memory native DuckDB may take before it spills to disk, like 8GB (default 80%
                        of this machine's memory).
  --port n              Port to listen on (default 8765; 0 picks a free one).
  --host address        Listen on another address than 127.0.0.1. Anyone who can reach it and has the token can
                        read the notebook's results: only with care.
  --quiet               Print only the URL and failures.
  -h, --help            Show this text.`;

export interface ServeArguments {
  readonly data: Record<string, string>;
  readonly port: number;
  readonly host: string;
  readonly notebookPath?: string;
  readonly api: boolean;
  readonly app: boolean;
  readonly quiet: boolean;
  readonly engine: EngineChoice;
  /** Set when `--engine trino://…`: the cluster and the `--table` bindings. */
  readonly trino?: TrinoTarget;
  readonly databasePath?: string;
  readonly memoryLimit?: string;
}

export const LOOPBACK = '127.0.0.1';
const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_PORT = 8765;
/** A size DuckDB's memory_limit takes: `8GB`, `512 MiB`, `1.5GB`. */
const MEMORY_SIZE = /^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

/** Read the arguments after `serve`; `'help'` for --help. Throws a UsageError naming the bad argument. */
export function parseServeArguments(argv: readonly string[]): ServeArguments | 'help' {
  const { values, positionals } = readCommandLine(argv, {
    data: { type: 'string', multiple: true },
    port: { type: 'string' },
    host: { type: 'string' },
    api: { type: 'boolean' },
    app: { type: 'boolean' },
    quiet: { type: 'boolean' },
    engine: { type: 'string' },
    table: { type: 'string', multiple: true },
    db: { type: 'string' },
    'memory-limit': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  const [notebookPath, ...extra] = positionals;
  const api = values.api ?? false;
  if (api && notebookPath === undefined) throw new UsageError('--api serves a notebook\'s results: aisle serve notebooks/recommendations.md --api');
  if (!api && notebookPath !== undefined) throw new UsageError(`the app opens notebooks itself; to serve ${notebookPath}'s results add --api`);
  if (extra.length > 0) throw new UsageError(`one notebook per server; unexpected "${extra.join(' ')}"`);
  const portText = values.port ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, got "${portText}"`);
  if (values.host === '') throw new UsageError('--host needs an address, like 0.0.0.0');
  const data = pairs('--data', 'name=path', values.data ?? []);
  const { engine, trino } = readEngineArguments(values.engine, values.table, values.data !== undefined);
  const app = !api || (values.app ?? false);
  if (values.db === '') throw new UsageError('--db needs a file name, like sales.duckdb');
  if (trino !== undefined && values.db !== undefined) throw new UsageError('--db keeps the app\'s tables in a DuckDB file; a Trino engine keeps them in its catalog.schema');
  if (trino !== undefined && api && app) {
    throw new UsageError('--api --app on a Trino engine would have the page and the API write the same schema\'s tables; start two servers, each --engine with its own schema');
  }
  if (values.db !== undefined && !app) throw new UsageError('--db keeps the app\'s tables; serve the app too with --app');
  if (values.db !== undefined && engine === 'wasm') throw new UsageError('--db needs native DuckDB; drop --engine wasm');
  const memoryLimit = values['memory-limit'];
  if (memoryLimit !== undefined && !MEMORY_SIZE.test(memoryLimit)) throw new UsageError(`--memory-limit takes a size like 8GB or 512MB, got "${memoryLimit}"`);
  if (memoryLimit !== undefined && engine === 'wasm') throw new UsageError('--memory-limit is native DuckDB\'s; DuckDB-WASM keeps to the 4 GB of a tab');
  if (memoryLimit !== undefined && trino !== undefined) throw new UsageError('--memory-limit is native DuckDB\'s; a Trino cluster sets its own (query.max-memory)');
  return {
    notebookPath,
    data,
    port,
    host: values.host ?? LOOPBACK,
    api,
    app,
    quiet: values.quiet ?? false,
    engine,
    ...(trino === undefined ? {} : { trino }),
    ...(values.db === undefined ? {} : { databasePath: values.db }),
    ...(memoryLimit === undefined ? {} : { memoryLimit }),
  };
}

export interface ServeOptions {
  /** The notebook the API serves; the app alone needs none. */
  readonly notebookPath?: string;
  /** Serve the notebook's results as the JSON API (default true). */
  readonly api?: boolean;
  /** Serve the built app from this folder, its Database and ModelRunner on this server. */
  readonly distDir?: string;
  readonly data?: Readonly<Record<string, string>>;
  readonly dataOptions?: Readonly<Record<string, GivenImportOptions>>;
  readonly port?: number;
  readonly host?: string;
  /** The token to require; a fresh random one when absent. */
  readonly token?: string;
  readonly publicDir?: string;
  readonly log?: (line: string) => void;
  /** Which DuckDB runs the SQL; default native when installed. */
  readonly engine?: EngineChoice;
  /** The app's database file (native only); default in memory. */
  readonly databasePath?: string;
  /** Native DuckDB's memory limit (`8GB`), for the API's engine and the app's; default 80% of the RAM. */
  readonly memoryLimit?: string;
  /** Native DuckDB's install (its package.json); for tests of the fallback. */
  readonly nativePackage?: string;
  /** Run on this Trino cluster, its tables bound at start; `data` must be empty. */
  readonly trino?: TrinoTarget;
}

/** A server that is listening. */
export interface RunningServer {
  /** `http://127.0.0.1:8765/` */
  readonly url: string;
  readonly token: string;
  readonly api?: NotebookApi;
  readonly data: readonly LoadedTable[];
  close(): Promise<void>;
}

/**
 * Open the engines, run the notebook for the API, then listen. Rejects with a RunSetupError when the notebook or a
 * data file is unusable, and with the listen error (a port in use) after closing the databases.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const log = options.log ?? (() => {});
  const serveApi = options.api ?? true;
  const token = options.token ?? randomBytes(24).toString('base64url');
  const engines: ServerEngine[] = [];
  let server: Server | undefined;
  try {
    let api: NotebookApi | undefined;
    let data: LoadedTable[] = [];
    if (serveApi) {
      if (options.notebookPath === undefined) throw new RunSetupError('the API serves a notebook: aisle serve notebook.md --api');
      ({ api, data } = await runForApi(options.notebookPath, options, engines, log));
    }
    let app: { engine: ServerEngine; distDir: string } | undefined;
    if (options.distDir !== undefined) {
      const engine = await openServerEngine({ engine: options.engine, databasePath: options.databasePath, memoryLimit: options.memoryLimit, nativePackage: options.nativePackage, trino: options.trino, log });
      engines.push(engine);
      announce(engine, options.databasePath === undefined ? 'the app' : `the app, tables kept in ${options.databasePath}`, log);
      app = { engine, distDir: options.distDir };
    }
    const answerApi = api === undefined ? undefined : apiHandler(api, token, log);
    const listening = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (isApiPath(url.pathname) || app === undefined) {
        if (answerApi !== undefined) return answerApi(request, response);
        if (!hasToken(request, url, token)) return refuseWithoutToken(request, response);
        return void sendJson(response, 404, { error: 'the JSON API is off; start the server with --api to have it' });
      }
      if (!hasToken(request, url, token)) return refuseWithoutToken(request, response);
      if (isToken(url.searchParams.get('token'), token) && request.method === 'GET') return acceptToken(response, url, token);
      const { engine, distDir } = app;
      void answerRemote(engine, request, response, url, log)
        .then((answered) => (answered ? undefined : serveStatic(distDir, servedEngine(engine), request, response, url)))
        .catch((error: unknown) => {
          log(`error ${request.method} ${url.pathname}: ${messageOf(error)}`);
          if (!response.headersSent) sendJson(response, 500, { error: messageOf(error) });
        });
    });
    server = listening;
    const host = options.host ?? LOOPBACK;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(options.port ?? DEFAULT_PORT, host, () => resolve());
    });
    const address = listening.address();
    const port = typeof address === 'object' && address !== null ? address.port : options.port;
    const shownHost = host.includes(':') ? `[${host}]` : host;
    return {
      url: `http://${shownHost}:${port}/`,
      token,
      api,
      data,
      close: async () => {
        listening.closeAllConnections();
        await new Promise<void>((resolve) => listening.close(() => resolve()));
        await closeEngines(engines);
      },
    };
  } catch (error) {
    server?.close();
    await closeEngines(engines);
    throw error;
  }
}

/** End the engines' model threads and close their databases: nothing of them is left to hold the process. */
async function closeEngines(engines: readonly ServerEngine[]): Promise<void> {
  for (const engine of engines) engine.models.close();
  await Promise.all(engines.map((engine) => engine.db.close()));
}

/** Load the notebook's data into an engine of its own and run every cell once: what the API answers from. */
async function runForApi(
  notebookPath: string,
  options: ServeOptions,
  engines: ServerEngine[],
  log: (line: string) => void,
): Promise<{ api: NotebookApi; data: LoadedTable[] }> {
  const notebook = await readNotebook(notebookPath);
  // Trino reads its tables from the catalog: no file of the notebook's is looked for.
  const sources = options.trino === undefined ? await resolveSources(notebook, { ...options, notebookPath }) : {};
  const loaded: LoadedTable[] = [];
  const engine = await openServerEngine({
    engine: options.engine,
    nativePackage: options.nativePackage,
    memoryLimit: options.memoryLimit,
    trino: options.trino,
    notebook,
    log,
    load: async (opened) => {
      for (const [table, source] of Object.entries(sources)) loaded.push(await loadTable(opened, table, source, log));
    },
  });
  engines.push(engine);
  const data = [...(engine.catalogTables ?? loaded)];
  announce(engine, 'the API', log);
  const { db } = engine;
  // A re-run with new inputs exports only the model inputs whose cells ran again since (none, for a predictor).
  const modelInputs = new ModelInputCache((table) => cellTableStamp(scheduler, table));
  // A run is answered from the rows its model produced, not read back from the table.
  const modelOutputs = new ModelOutputWatch();
  const scheduler: Scheduler = new Scheduler({ evaluate: createEvaluator(db, engine.models, modelInputs, modelOutputs), onStates: () => {} });
  scheduler.update(notebook);
  scheduler.setDataTables(data.map((loaded) => loaded.table));
  const started = performance.now();
  await scheduler.runAll();
  const named = notebook.cells.filter(isNamed);
  const failed = named.filter((cell) => scheduler.cellStates[cell.id]?.status !== 'done');
  log(`ran ${count(named.length - failed.length, 'cell')} of ${named.length} in ${seconds(performance.now() - started)}${failed.length > 0 ? `; did not run: ${failed.map((cell) => cell.name).join(', ')}` : ''}`);
  return { api: new NotebookApi(db, scheduler, notebook, engine.label, modelOutputs), data };
}

/** What the page is told of the engine: Trino's page writes its SQL in Trino's dialect and shows the bound tables as its data. */
function servedEngine(engine: ServerEngine): ServedEngine {
  return {
    label: engine.label,
    native: engine.kind === 'native',
    inPlace: engine.kind === 'native' && engine.db.keepFile !== undefined,
    ...(engine.kind === 'trino' ? { dialect: 'trino', catalogTables: (engine.catalogTables ?? []).map((loaded) => loaded.table) } : {}),
  };
}

/** Say which engine runs what, and why not native when it fell back. */
function announce(engine: ServerEngine, what: string, log: (line: string) => void): void {
  if (engine.fallback !== undefined) log(engine.fallback);
  log(`${what}: ${engine.label}`);
}

interface Output {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** `aisle serve …`: resolves to the exit status once the server stops (Ctrl-C), or at once when it cannot start. */
export async function serveMain(argv: readonly string[], output: Output, stopped?: Promise<unknown>): Promise<number> {
  let args;
  try {
    args = parseServeArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.err(`aisle serve: ${error.message}\n(aisle serve --help shows the usage)`);
    return 2;
  }
  if (args === 'help') {
    output.out(SERVE_USAGE);
    return 0;
  }
  if (args.host !== LOOPBACK && args.host !== 'localhost' && args.host !== '::1') {
    output.err(`warning: listening on ${args.host}, not only this machine: anyone who can reach it and has the token can read this notebook's results`);
  }
  let server: RunningServer;
  try {
    const distDir = args.app ? await builtApp(output.err) : undefined;
    server = await startServer({ ...args, distDir, log: args.quiet ? undefined : output.err });
  } catch (error) {
    output.err(`aisle serve: ${error instanceof RunSetupError ? error.message : `could not start: ${messageOf(error)}`}`);
    return 2;
  }
  if (args.app) output.out(`Serving the app at ${server.url}?token=${server.token}`);
  if (args.api) {
    output.out(`Serving the API of ${args.notebookPath} at ${server.url}?token=${server.token}`);
    output.out(`  e.g. curl -H "Authorization: Bearer ${server.token}" ${server.url}api/openapi.json`);
  }
  output.out('Press Ctrl-C to stop.');
  await (stopped ?? interrupted());
  await server.close();
  return 0;
}

/** dist/ of this checkout, built with Vite first when it has no index.html. */
async function builtApp(log: (line: string) => void): Promise<string> {
  const distDir = join(REPOSITORY, 'dist');
  if (await isFile(join(distDir, 'index.html'))) return distDir;
  log('building the app into dist/ (npx vite build)…');
  const status = await new Promise<number | null>((resolve) => {
    const child = spawn('npx', ['vite', 'build'], { cwd: REPOSITORY, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', () => resolve(null));
    child.on('exit', (code) => resolve(code));
  });
  if (status !== 0 || !(await isFile(join(distDir, 'index.html')))) throw new RunSetupError('could not build the app into dist/; run npm run build and try again');
  return distDir;
}

function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
