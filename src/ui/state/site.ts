import {
  APP_FILE_LIST,
  SITE_META_NAME,
  SiteError,
  assembleSite,
  exportTableParquet,
  parseAppFileList,
  readSiteManifest,
  tableAndDerived,
  tableReaders,
  zipSite,
  type SiteManifest,
} from '../../engine/index.ts';
import type { NotebookBundle } from '../../format/bundle.ts';
import { slug } from './transfer.ts';
import type { Session } from './session.svelte.ts';

/** The id a published notebook opens under (it is never saved: a site runs without a workspace). */
export const SITE_NOTEBOOK_ID = 'site';

/** The site this page was published as, read from its own meta tag (no request); undefined for the app itself. */
export function publishedSite(doc: Document): SiteManifest | undefined {
  return readSiteManifest(doc.querySelector(`meta[name="${SITE_META_NAME}"]`)?.getAttribute('content'));
}

/** A file of this site, by its path relative to the page, so the site works under any path. */
export async function fetchSiteFile(path: string): Promise<Response> {
  const response = await fetch(new URL(path, document.baseURI));
  if (!response.ok) throw new SiteError(`${path} could not be fetched from this site: HTTP ${response.status}`);
  return response;
}

/**
 * Open the published notebook: a sealed site's tables are loaded from its opened envelope first; the notebook then
 * loads the data its front matter names that is not loaded yet, and runs.
 */
export async function openPublished(session: Session, site: SiteManifest, sealed: NotebookBundle | undefined): Promise<void> {
  try {
    session.restoring = { label: 'Opening the published notebook', progress: null };
    for (const [name, parquet] of Object.entries(sealed?.tables ?? {})) {
      session.restoring = { label: `Loading table ${name}`, progress: null };
      await session.data.loadIpc(name, await session.services.parquet.toArrowIpc(parquet));
    }
    const text = sealed?.text ?? (await (await fetchSiteFile(site.notebook)).text());
    await session.openNotebook(SITE_NOTEBOOK_ID, text);
  } finally {
    session.restoring = null;
  }
}

/**
 * The open notebook as a zipped static site (*Export → Web app…*): this app's own files, as its build listed them,
 * the notebook and the data it reads as Parquet, sealed with `passphrase` when given.
 */
export async function exportSite(session: Session, passphrase?: string): Promise<{ fileName: string; zip: Uint8Array }> {
  const listResponse = await fetch(new URL(APP_FILE_LIST, document.baseURI));
  let list: unknown;
  try {
    list = listResponse.ok ? await listResponse.json() : undefined;
  } catch {
    // The development server answers every path with index.html.
  }
  if (list === undefined) throw new SiteError(`this page has no ${APP_FILE_LIST}: a web app is made from the built app (npm run build), not the development server`);
  const paths = parseAppFileList(list);
  const indexHtml = await (await fetchSiteFile('index.html')).text();
  const appFiles = await Promise.all(paths.map(async (path) => ({ path, bytes: new Uint8Array(await (await fetchSiteFile(path)).arrayBuffer()) })));
  const notebook = session.book.notebook;
  const tables: Record<string, Uint8Array> = {};
  for (const name of siteTables(session)) tables[name] = await exportTableParquet(session.services.db, session.services.parquet, name);
  const files = await assembleSite({ notebook, indexHtml, appFiles, tables, passphrase }, session.services.sealer);
  return { fileName: `${slug(notebook.title)}-web-app.zip`, zip: zipSite(files) };
}

/**
 * The tables a site of the open notebook carries: those its front matter names (a bound name exports the table
 * playing it) and any other loaded data a cell reads.
 */
function siteTables(session: Session): string[] {
  const notebook = session.book.notebook;
  const names = Object.keys(notebook.data);
  const loaded = new Set(session.data.dataNames.map((name) => name.toLowerCase()));
  const missing = names.filter((name) => !loaded.has(name.toLowerCase()));
  if (missing.length > 0) throw new SiteError(`the notebook's data ${missing.join(', ')} is not loaded, so it cannot be published; load it or run the notebook first`);
  const named = new Set(names.map((name) => name.toLowerCase()));
  for (const table of session.data.dataTables) {
    if (named.has(table.toLowerCase())) continue;
    if (tableReaders(notebook, tableAndDerived(table)).direct.length > 0) names.push(table);
  }
  return names;
}
