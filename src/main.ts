/** Composition root: builds the adapters, hands them to the session, mounts the UI. */
import { mount } from 'svelte';
import App from './ui/App.svelte';
import { Session, type Services } from './ui/state/session.svelte.ts';
import { openBrowserDatabase } from './db/duckdb-browser.ts';
import { browserParquetCodec } from './db/parquet-browser.ts';
import { workerSampleGenerator } from './workers/generate-client.ts';
import { DataFileError, type DataFile, type Notebook } from './engine/index.ts';
import { parseNotebook, serializeNotebook } from './format/notebook-text.ts';
import { messageOf } from './util/errors.ts';
import welcomeText from '../notebooks/welcome.md?raw';
import './ui/styles.css';

const NOTEBOOK_KEY = 'aisle.notebook.v1';

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

function restoreNotebook(): { notebook: Notebook; problem?: string } {
  const welcome = parseNotebook(welcomeText);
  const saved = localStorage.getItem(NOTEBOOK_KEY);
  if (!saved) return { notebook: welcome };
  try {
    return { notebook: parseNotebook(saved) };
  } catch (error) {
    return { notebook: welcome, problem: `The saved notebook could not be read (${messageOf(error)}); opened the welcome notebook.` };
  }
}

async function start(target: HTMLElement): Promise<void> {
  const { database, bundle } = await openBrowserDatabase();
  const services: Services = {
    db: database,
    parquet: browserParquetCodec(),
    generator: workerSampleGenerator(),
    engineLabel: `DuckDB-WASM (${bundle})`,
    fetchSameOrigin,
    saveNotebook: (notebook) => localStorage.setItem(NOTEBOOK_KEY, serializeNotebook(notebook)),
  };
  const session = new Session(services);
  const { notebook, problem } = restoreNotebook();
  session.book.open(notebook);
  target.replaceChildren();
  mount(App, { target, props: { session } });
  if (problem) session.notices.add('error', problem);
  session.ready = true;
  for (const [name, path] of Object.entries(notebook.data)) await session.data.loadUrl(path, name);
  await session.data.refresh();
  await session.book.runAll();
}

const target = document.getElementById('app')!;
start(target).catch((error: unknown) => {
  target.textContent = `Aisle could not start: ${messageOf(error)}`;
});
