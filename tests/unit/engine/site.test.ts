import { describe, expect, it } from 'vitest';
import { strFromU8, strToU8, unzipSync } from 'fflate';
import { JSDOM } from 'jsdom';
import {
  APP_FILE_LIST,
  SiteError,
  assembleSite,
  openSealedSite,
  parseAppFileList,
  readSiteManifest,
  siteIndexHtml,
  siteNotebook,
  zipSite,
  type SiteFile,
} from '../../../src/engine/site.ts';
import { parseNotebook } from '../../../src/format/notebook-text.ts';
import { readImported } from '../../../src/format/bundle.ts';
import { passphraseFileSealer } from '../../../src/store/file-sealer.ts';

/** Few iterations, for tests about something other than the key derivation's cost. */
const FAST = { iterations: 1_000, minIterations: 1_000 } as const;
const sealer = passphraseFileSealer(FAST);

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Aisle — retail analytics notebook</title>
    <script type="module" crossorigin src="./assets/index-abc.js"></script>
  </head>
  <body><div id="app"></div></body>
</html>
`;

const NOTEBOOK = parseNotebook(`---
aisle: 1
title: Orders <by> "region" $&
data:
  orders:
    path: orders.csv
    delim: semicolon
---

\`\`\`sql by_region
SELECT region, sum(amount) AS revenue FROM orders GROUP BY region
\`\`\`
`);

const APP_FILES: SiteFile[] = [
  { path: 'assets/index-abc.js', bytes: strToU8('console.log(1)') },
  { path: 'assets/duckdb-eh.wasm', bytes: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]) },
];
/** Stand-in Parquet bytes: the site copies them, it never reads them. */
const ORDERS_PARQUET = new Uint8Array([80, 65, 82, 49, 1, 2, 3, 80, 65, 82, 49]);

/** The manifest as a browser reads it from the page: the meta tag's decoded content. */
function manifestOf(html: string) {
  const { document } = new JSDOM(html).window;
  expect(document.querySelectorAll('meta[name="aisle-site"]')).toHaveLength(1);
  return { manifest: readSiteManifest(document.querySelector('meta[name="aisle-site"]')?.getAttribute('content')), title: document.title };
}

const byPath = (files: readonly SiteFile[]) => new Map(files.map((file) => [file.path, file.bytes]));

describe('the app file list', () => {
  it('lists the paths the build wrote, leaving index.html and the list itself to the site', () => {
    expect(parseAppFileList({ files: ['index.html', 'assets/a-1.js', 'assets/duckdb-eh.wasm', APP_FILE_LIST] })).toEqual(['assets/a-1.js', 'assets/duckdb-eh.wasm']);
  });

  it('refuses a path that leaves the site or is not a path', () => {
    for (const bad of ['../secret', '/etc/passwd', 'assets/../../x', 'https://example.invalid/x.js', '', 42]) {
      expect(() => parseAppFileList({ files: [bad] }), String(bad)).toThrow(SiteError);
    }
    expect(() => parseAppFileList({ nothing: [] })).toThrow(/no "files" list/);
  });
});

describe('the published notebook', () => {
  it('reads every table from its Parquet file in the site and drops text-import options', () => {
    const published = siteNotebook(NOTEBOOK, ['orders', 'my file']);
    expect(published.data).toEqual({ orders: 'data/orders.parquet', 'my file': 'data/table-2.parquet' });
    expect(published.dataOptions).toBeUndefined();
    expect(published.cells).toEqual(NOTEBOOK.cells);
  });

  it('refuses to publish a notebook whose data is missing, naming the table', () => {
    expect(() => siteNotebook(NOTEBOOK, [])).toThrow(/table orders has no data to publish/);
  });
});

describe('the site page', () => {
  it('carries the manifest in one meta tag and the notebook title, escaped', () => {
    const html = siteIndexHtml(INDEX_HTML, { kind: 'open', notebook: 'notebook.md' }, 'Orders <by> "region" $&');
    expect(manifestOf(html)).toEqual({ manifest: { kind: 'open', notebook: 'notebook.md' }, title: 'Orders <by> "region" $& — Aisle' });
    expect(html).toContain('<script type="module" crossorigin src="./assets/index-abc.js"></script>');
  });

  it('replaces the meta tag of a page that was already a site', () => {
    const once = siteIndexHtml(INDEX_HTML, { kind: 'open', notebook: 'notebook.md' }, 'A');
    const twice = siteIndexHtml(once, { kind: 'sealed', notebook: 'notebook.aisle-locked' }, 'B');
    expect(manifestOf(twice).manifest).toEqual({ kind: 'sealed', notebook: 'notebook.aisle-locked' });
  });

  it('is the normal app without the tag, and a malformed tag is named', () => {
    expect(readSiteManifest(null)).toBeUndefined();
    expect(() => readSiteManifest('{"kind":"open","notebook":"../x.md"}')).toThrow(/names no notebook/);
    expect(() => readSiteManifest('notebook.md')).toThrow(/not JSON/);
  });
});

describe('assembleSite', () => {
  it('writes the app, its file list, the page, the notebook and each table as Parquet', async () => {
    const files = await assembleSite({ notebook: NOTEBOOK, indexHtml: INDEX_HTML, appFiles: APP_FILES, tables: { orders: ORDERS_PARQUET } }, sealer);
    const site = byPath(files);
    expect([...site.keys()].sort()).toEqual(['aisle-files.json', 'assets/duckdb-eh.wasm', 'assets/index-abc.js', 'data/orders.parquet', 'index.html', 'notebook.md']);
    expect(site.get('data/orders.parquet')).toEqual(ORDERS_PARQUET);
    expect(site.get('assets/duckdb-eh.wasm')).toEqual(APP_FILES[1]!.bytes);
    const notebook = parseNotebook(strFromU8(site.get('notebook.md')!));
    expect(notebook.data).toEqual({ orders: 'data/orders.parquet' });
    expect(notebook.cells.map((cell) => cell.source)).toEqual(NOTEBOOK.cells.map((cell) => cell.source));
    expect(manifestOf(strFromU8(site.get('index.html')!)).manifest).toEqual({ kind: 'open', notebook: 'notebook.md' });
    // The site can be published again from itself: its list names the app's files, not the notebook's.
    expect(JSON.parse(strFromU8(site.get(APP_FILE_LIST)!))).toEqual({ files: ['index.html', 'assets/index-abc.js', 'assets/duckdb-eh.wasm'] });
  });

  it('sealed, keeps notebook and data only inside one envelope that the passphrase opens', async () => {
    const files = await assembleSite(
      { notebook: NOTEBOOK, indexHtml: INDEX_HTML, appFiles: APP_FILES, tables: { orders: ORDERS_PARQUET }, passphrase: 'correct horse' },
      sealer,
    );
    const site = byPath(files);
    expect([...site.keys()].sort()).toEqual(['aisle-files.json', 'assets/duckdb-eh.wasm', 'assets/index-abc.js', 'index.html', 'notebook.aisle-locked']);
    const envelopeText = strFromU8(site.get('notebook.aisle-locked')!);
    expect(envelopeText).not.toContain('by_region');
    // The same file as an encrypted export with data: the app's import reads it as one.
    expect(readImported(envelopeText, 'orders.aisle-locked').kind).toBe('envelope');
    expect(manifestOf(strFromU8(site.get('index.html')!)).manifest).toEqual({ kind: 'sealed', notebook: 'notebook.aisle-locked' });

    const opened = await openSealedSite(envelopeText, 'correct horse', sealer);
    expect(opened.tables).toEqual({ orders: ORDERS_PARQUET });
    expect(parseNotebook(opened.text).data).toEqual({ orders: 'data/orders.parquet' });
    await expect(openSealedSite(envelopeText, 'wrong horse!', sealer)).rejects.toThrow('Wrong passphrase, or the file was altered.');
  });

  it('refuses a short passphrase', async () => {
    await expect(assembleSite({ notebook: NOTEBOOK, indexHtml: INDEX_HTML, appFiles: [], tables: { orders: ORDERS_PARQUET }, passphrase: 'short' }, sealer)).rejects.toThrow(
      /at least 8 characters/,
    );
  });
});

describe('zipSite', () => {
  it('zips every file under its path, byte for byte', async () => {
    const files = await assembleSite({ notebook: NOTEBOOK, indexHtml: INDEX_HTML, appFiles: APP_FILES, tables: { orders: ORDERS_PARQUET } }, sealer);
    const unzipped = unzipSync(zipSite(files));
    expect(Object.keys(unzipped).sort()).toEqual(files.map((file) => file.path).sort());
    for (const file of files) expect(unzipped[file.path], file.path).toEqual(file.bytes);
  });
});
