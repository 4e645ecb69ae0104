/**
 * A published notebook: a static site holding the built app, the notebook and its data as Parquet, made alike by
 * `aisle build` and the app's *Export → Web app…*. The copied index.html carries a `<meta name="aisle-site">` whose
 * content says where the notebook is, so the app learns it is a published site from the page it already has
 * (the normal app makes no extra request to find out). Sealed, notebook and data go in one `.aisle-locked`
 * envelope, the same file as an encrypted export with data.
 */
import { strToU8, zipSync } from 'fflate';
import { readImported, writeBundle, type NotebookBundle } from '../format/bundle.ts';
import { serializeNotebook } from '../format/notebook-text.ts';
import type { Notebook } from './notebook.ts';
import type { FileSealer } from './ports.ts';

/** The meta tag's name in a published site's index.html. */
export const SITE_META_NAME = 'aisle-site';
/** The built app's own file list, written by the build (vite.config.ts), so a site can be assembled from it. */
export const APP_FILE_LIST = 'aisle-files.json';
export const SITE_NOTEBOOK = 'notebook.md';
export const SITE_SEALED_NOTEBOOK = 'notebook.aisle-locked';

/** Where a site's notebook is: plain text beside its Parquet files, or sealed with its data in one envelope. */
export type SiteManifest = { readonly kind: 'open'; readonly notebook: string } | { readonly kind: 'sealed'; readonly notebook: string };

/** One file of a site, by its path from the site's root (`assets/index-3f2a.js`). */
export interface SiteFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface SiteInput {
  readonly notebook: Notebook;
  /** The built app's index.html. */
  readonly indexHtml: string;
  /** The built app's other files, as its file list names them. */
  readonly appFiles: readonly SiteFile[];
  /** Each table the notebook reads as data → its Parquet bytes. */
  readonly tables: Readonly<Record<string, Uint8Array>>;
  /** Seal the notebook and its data with this passphrase. */
  readonly passphrase?: string;
}

/** A site that cannot be made or opened; the message names what is wrong. */
export class SiteError extends Error {
  override readonly name = 'SiteError';
}

/** Passphrases shorter than this are refused, as for an encrypted export. */
export const MIN_PASSPHRASE_LENGTH = 8;

const SAFE_PATH = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[\w.-]+(?:\/[\w.-]+)*$/;

/**
 * The built app's file list (`aisle-files.json`: `{ "files": ["index.html", "assets/…"] }`) as paths, checked: each a
 * relative path inside the site. index.html and the list itself are left out (the site writes its own).
 */
export function parseAppFileList(value: unknown): string[] {
  const files = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>).files : undefined;
  if (!Array.isArray(files)) throw new SiteError(`${APP_FILE_LIST} has no "files" list`);
  return files.flatMap((path: unknown) => {
    if (typeof path !== 'string' || !SAFE_PATH.test(path)) throw new SiteError(`${APP_FILE_LIST} names ${JSON.stringify(path)}, which is not a path inside the site`);
    return path === 'index.html' || path === APP_FILE_LIST ? [] : [path];
  });
}

/** The data file a table is published as: `data/sales.parquet`; a name unfit for a file name gets its position. */
export function siteDataPath(table: string, index: number): string {
  return /^[A-Za-z0-9_-]+$/.test(table) ? `data/${table}.parquet` : `data/table-${index + 1}.parquet`;
}

/** The notebook as published: every data table read from its Parquet file in the site, with no text-import options. */
export function siteNotebook(notebook: Notebook, tables: readonly string[]): Notebook {
  const missing = Object.keys(notebook.data).filter((name) => !tables.some((table) => table.toLowerCase() === name.toLowerCase()));
  if (missing.length > 0) throw new SiteError(`the notebook's table${missing.length === 1 ? '' : 's'} ${missing.join(', ')} ${missing.length === 1 ? 'has' : 'have'} no data to publish; load ${missing.length === 1 ? 'it' : 'them'} first`);
  const { dataOptions: _textOptions, ...rest } = notebook;
  return { ...rest, data: Object.fromEntries(tables.map((table, index) => [table, siteDataPath(table, index)])) };
}

/** The app's index.html with the site's meta tag (replacing any it had) and the notebook's title. */
export function siteIndexHtml(indexHtml: string, manifest: SiteManifest, title: string): string {
  const withoutMeta = indexHtml.replace(new RegExp(`\\s*<meta name="${SITE_META_NAME}"[^>]*>`, 'g'), '');
  const at = withoutMeta.search(/<\/head>/i);
  if (at < 0) throw new SiteError('the app\'s index.html has no </head>');
  const meta = `  <meta name="${SITE_META_NAME}" content="${escapeAttribute(JSON.stringify(manifest))}" />\n  `;
  const html = `${withoutMeta.slice(0, at)}${meta}${withoutMeta.slice(at)}`;
  return html.replace(/<title>[^<]*<\/title>/i, () => `<title>${escapeAttribute(title)} — Aisle</title>`);
}

/** The manifest a meta tag's content holds; undefined for no tag (the normal app). Throws SiteError when malformed. */
export function readSiteManifest(content: string | null | undefined): SiteManifest | undefined {
  if (content === null || content === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    throw new SiteError(`the page's ${SITE_META_NAME} tag is not JSON`);
  }
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { kind, notebook } = record;
  if ((kind !== 'open' && kind !== 'sealed') || typeof notebook !== 'string' || !SAFE_PATH.test(notebook)) {
    throw new SiteError(`the page's ${SITE_META_NAME} tag names no notebook (${content})`);
  }
  return { kind, notebook };
}

/**
 * Every file of the published site: the app's files, its file list, index.html with the site's meta tag, and the
 * notebook with its data — plain (`notebook.md`, `data/<table>.parquet`) or sealed in `notebook.aisle-locked`.
 */
export async function assembleSite(input: SiteInput, sealer: FileSealer): Promise<SiteFile[]> {
  const names = Object.keys(input.tables);
  const notebook = siteNotebook(input.notebook, names);
  const text = serializeNotebook(notebook);
  const passphrase = input.passphrase;
  if (passphrase !== undefined && passphrase.length < MIN_PASSPHRASE_LENGTH) throw new SiteError(`use a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters`);
  const manifest: SiteManifest = passphrase === undefined ? { kind: 'open', notebook: SITE_NOTEBOOK } : { kind: 'sealed', notebook: SITE_SEALED_NOTEBOOK };
  const content: SiteFile[] =
    passphrase === undefined
      ? [{ path: SITE_NOTEBOOK, bytes: strToU8(text) }, ...names.map((table, index) => ({ path: siteDataPath(table, index), bytes: input.tables[table]! }))]
      : [{ path: SITE_SEALED_NOTEBOOK, bytes: strToU8(await sealer.seal(writeBundle({ text, tables: input.tables }), passphrase)) }];
  const appFiles = input.appFiles.filter((file) => file.path !== 'index.html' && file.path !== APP_FILE_LIST);
  const clash = appFiles.find((file) => content.some((own) => own.path === file.path));
  if (clash) throw new SiteError(`the app has a file ${clash.path}, where the site keeps its notebook`);
  const list = { files: ['index.html', ...appFiles.map((file) => file.path)] };
  return [
    { path: 'index.html', bytes: strToU8(siteIndexHtml(input.indexHtml, manifest, input.notebook.title)) },
    ...appFiles,
    { path: APP_FILE_LIST, bytes: strToU8(`${JSON.stringify(list, null, 1)}\n`) },
    ...content,
  ];
}

/** Open a sealed site's envelope text: the notebook and its tables. A wrong passphrase fails with the sealer's message. */
export async function openSealedSite(envelopeText: string, passphrase: string, sealer: FileSealer): Promise<NotebookBundle> {
  const inside = readImported(await sealer.open(envelopeText, passphrase));
  if (inside.kind !== 'bundle') throw new SiteError('the sealed notebook holds no notebook with data');
  return inside.bundle;
}

/**
 * The site as one zip. WebAssembly and Parquet are stored, not deflated: deflating the 75 MB of DuckDB's wasm
 * takes ~10 s of one core, and a static host compresses on the way out anyway.
 */
export function zipSite(files: readonly SiteFile[]): Uint8Array {
  return zipSync(Object.fromEntries(files.map((file) => [file.path, [file.bytes, { level: /\.(wasm|parquet)$/.test(file.path) ? 0 : 6 }]])));
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
