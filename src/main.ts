/** Composition root: builds the adapters, hands them to the session, mounts the UI. */
import { mount, unmount } from 'svelte';
import App from './ui/App.svelte';
import UnlockScreen from './ui/UnlockScreen.svelte';
import { Session, type Services } from './ui/state/session.svelte.ts';
import { openBrowserDatabase } from './db/duckdb-browser.ts';
import { RemoteDatabase } from './db/remote.ts';
import { remoteModelRunner } from './workers/model-remote.ts';
import { browserParquetCodec } from './db/parquet-browser.ts';
import { workerRecordReader } from './workers/records-client.ts';
import { workerTextTranscoder } from './workers/text-client.ts';
import { workerFileInspector } from './workers/inspect-client.ts';
import { workerSampleGenerator } from './workers/generate-client.ts';
import { workerModelRunner } from './workers/model-client.ts';
import { WorkspaceStore } from './store/workspace.ts';
import { WorkspaceSession } from './store/locking.ts';
import { passphraseFileSealer } from './store/file-sealer.ts';
import { DataFileError, openSealedSite, type DataFile, type Database, type ModelRunner, type ParquetCodec, type SiteManifest, type Workspace } from './engine/index.ts';
import type { NotebookBundle } from './format/bundle.ts';
import type { DialectName } from './util/dialect/index.ts';
import { fetchSiteFile, openPublished, publishedSite } from './ui/state/site.ts';
import { theme } from './ui/theme.svelte.ts';
import './ui/styles.css';

/** Fetch a data file from this site only: a URL elsewhere would send a request off the origin. */
async function fetchSameOrigin(url: string): Promise<DataFile> {
  const resolved = new URL(url, document.baseURI);
  const fileName = decodeURIComponent(resolved.pathname.split('/').pop() || 'data');
  if (resolved.origin !== location.origin) {
    throw new DataFileError(
      fileName,
      `Aisle loads URLs from its own site only (${location.origin}), so nothing leaves this page. Download ${resolved.href} and drop the file here instead.`,
    );
  }
  const response = await fetch(resolved);
  if (!response.ok) throw new DataFileError(fileName, `Could not fetch ${resolved.pathname}: HTTP ${response.status}.`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { fileName, size: bytes.byteLength, source: { kind: 'bytes', bytes } };
}

/** The browser workspace, or null where the browser keeps no storage (the page then works without saving). */
async function openWorkspace(): Promise<Workspace | null> {
  try {
    return await WorkspaceSession.start(await WorkspaceStore.open(indexedDB), { pointer: pointerStorage() });
  } catch {
    return null;
  }
}

/** Where the open notebook is remembered; none where the browser refuses localStorage (the page then starts at the welcome notebook). */
function pointerStorage(): Storage | undefined {
  try {
    return localStorage;
  } catch {
    return undefined;
  }
}

/** Show only the passphrase prompt until the workspace is unlocked: nothing of it is read before. */
function unlock(target: HTMLElement, workspace: Workspace): Promise<void> {
  target.replaceChildren();
  return new Promise((resolve) => {
    const screen = mount(UnlockScreen, {
      target,
      props: {
        onunlock: async (passphrase: string) => {
          await workspace.unlock(passphrase);
          void unmount(screen);
          resolve();
        },
      },
    });
  });
}

/** A sealed published notebook: its envelope is fetched, and the passphrase asked for until it opens it. */
async function unlockSite(target: HTMLElement, site: SiteManifest): Promise<NotebookBundle> {
  const envelopeText = await (await fetchSiteFile(site.notebook)).text();
  const sealer = passphraseFileSealer();
  target.replaceChildren();
  return new Promise((resolve) => {
    const screen = mount(UnlockScreen, {
      target,
      props: {
        message: 'This notebook is encrypted. Enter its passphrase to open it.',
        action: 'Open',
        onunlock: async (passphrase: string) => {
          const bundle = await openSealedSite(envelopeText, passphrase, sealer);
          void unmount(screen);
          resolve(bundle);
        },
      },
    });
  });
}

/**
 * `inTab`: the tab's DuckDB-WASM, already starting (boot.ts), unless `aisle serve` served this page; `parquet`: the
 * codec, its worker perhaps started with it.
 */
export async function start(target: HTMLElement, inTab?: ReturnType<typeof openBrowserDatabase>, parquet: ParquetCodec = browserParquetCodec()): Promise<void> {
  theme.start();
  // A published site runs its one notebook without the browser's workspace: nothing of the visitor's is read or saved.
  const site = publishedSite(document);
  const workspace = site ? null : await openWorkspace();
  if (workspace?.state === 'locked') await unlock(target, workspace);
  const sealed = site?.kind === 'sealed' ? await unlockSite(target, site) : undefined;
  const server = servedBy(document);
  const { db, models, engineLabel, parquetReader } = server ?? (await tabEngine(inTab ?? openBrowserDatabase()));
  const services: Services = {
    db,
    parquet,
    records: workerRecordReader(),
    inspector: workerFileInspector(),
    generator: workerSampleGenerator(),
    textTranscoder: workerTextTranscoder(),
    models,
    sealer: passphraseFileSealer(),
    engineLabel,
    fetchSameOrigin,
    ...(server ? { server: { parquetReader, ...(server.catalogTables === undefined ? {} : { catalogTables: server.catalogTables }) } } : {}),
  };
  const session = new Session(services, workspace);
  if (site) session.appMode = true;
  target.replaceChildren();
  mount(App, { target, props: { session } });
  if (!workspace && !site) session.notices.add('error', 'This browser keeps no storage for this page, so nothing will be saved.');
  // Closing the tab or hiding it saves what is still waiting.
  addEventListener('pagehide', () => void session.workspace.flush());
  // A table still being saved would be lost by leaving now (IndexedDB keeps the previous version): ask first.
  addEventListener('beforeunload', (event) => {
    if (session.workspace.savingData) event.preventDefault();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void session.workspace.flush();
  });
  session.ready = true;
  if (site) await openPublished(session, site, sealed);
  else await session.restore(await session.initialNotebookId(location.search));
}

/** Where SQL and models run, and who reads Parquet files. */
interface Engine {
  readonly db: Database;
  readonly models: ModelRunner;
  readonly engineLabel: string;
  readonly parquetReader: 'codec' | 'duckdb';
  /** A Trino engine's tables, bound when the server started. */
  readonly catalogTables?: readonly string[];
}

/** The tab's own engine: DuckDB-WASM in a worker, models in web workers. */
async function tabEngine(opening: ReturnType<typeof openBrowserDatabase>): Promise<Engine> {
  const { database, bundle } = await opening;
  return { db: database, models: workerModelRunner(), engineLabel: `DuckDB-WASM (${bundle})`, parquetReader: 'codec' };
}

/**
 * The server's engine when `aisle serve` served this page: it writes `<meta name="aisle-server">` into index.html,
 * so the page knows before its first query, with no request that a static host would answer with an error.
 */
function servedBy(page: Document): Engine | undefined {
  const content = page.querySelector<HTMLMetaElement>('meta[name="aisle-server"]')?.content;
  if (content === undefined) return undefined;
  const { engine, native, inPlace, dialect, catalogTables } = JSON.parse(content) as { engine?: string; native?: boolean; inPlace?: boolean; dialect?: DialectName; catalogTables?: string[] };
  const base = new URL('./', location.href).href;
  return {
    db: new RemoteDatabase(base, undefined, {}, dialect, inPlace === true),
    models: remoteModelRunner(base),
    engineLabel: `${engine ?? 'DuckDB'} on the server`,
    // Native DuckDB reads a Parquet file sent as it is, by its own reader; WASM on the server gets it as Arrow.
    parquetReader: native === true ? 'duckdb' : 'codec',
    ...(catalogTables === undefined ? {} : { catalogTables }),
  };
}
