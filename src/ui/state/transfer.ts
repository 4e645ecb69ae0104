import { buildReport, drawChart, exportTableCsv, exportTableParquet, holdsData, serializeNotebook } from '../../engine/index.ts';
import { reportHtml } from '../../format/report.ts';
import { renderMarkdown } from '../markdown.ts';
import { readImported, writeBundle } from '../../format/bundle.ts';
import type { Session } from './session.svelte.ts';

export interface ExportOptions {
  /** Embed the loaded data tables as Parquet (a `.aisle` bundle) instead of referencing them. */
  readonly withData: boolean;
  /** Encrypt the file with this passphrase (the same envelope as a locked workspace). */
  readonly passphrase?: string;
}

/** The notebook as a file to download: `.md`, `.aisle` (with data), or either encrypted (`.aisle-locked`). */
export async function exportNotebook(session: Session, options: ExportOptions): Promise<{ fileName: string; text: string }> {
  const notebookText = serializeNotebook(session.book.notebook);
  let text = notebookText;
  if (options.withData) {
    const tables: Record<string, Uint8Array> = {};
    for (const name of dataTableNames(session)) {
      tables[name] = await exportTableParquet(session.services.db, session.services.parquet, name);
    }
    text = writeBundle({ text: notebookText, tables });
  }
  const base = slug(session.book.notebook.title);
  if (options.passphrase !== undefined) {
    return { fileName: `${base}.aisle-locked`, text: await session.services.sealer.seal(text, options.passphrase) };
  }
  return { fileName: options.withData ? `${base}.aisle` : `${base}.md`, text };
}

/** Thrown when an imported file is encrypted and no passphrase was given. */
export class PassphraseNeeded extends Error {
  override readonly name = 'PassphraseNeeded';
}

/**
 * Open a notebook file as a new notebook, loading any data it carries (the file is the user's, so that data is
 * local). Runs nothing from the file: it opens untrusted, showing what its SQL would do, until the user runs it.
 * `fileName` decides whether the file must be an envelope or bundle (a damaged one is refused, nothing saved).
 */
export async function importNotebook(session: Session, fileText: string, fileName: string, passphrase?: string): Promise<void> {
  let imported = readImported(fileText, fileName);
  if (imported.kind === 'envelope') {
    if (passphrase === undefined) throw new PassphraseNeeded('This notebook is encrypted: enter its passphrase.');
    imported = readImported(await session.services.sealer.open(fileText, passphrase));
    if (imported.kind === 'envelope') throw new Error('the file holds an envelope inside an envelope');
  }
  const text = imported.kind === 'bundle' ? imported.bundle.text : imported.text;
  if (imported.kind === 'bundle') {
    for (const [name, parquet] of Object.entries(imported.bundle.tables)) {
      await session.data.loadIpc(name, await session.services.parquet.toArrowIpc(parquet));
    }
  }
  await session.openNotebook(`nb-${crypto.randomUUID()}`, text, 'outside');
}

/** A cell's table as CSV or Parquet bytes; `csv-raw` keeps text that a spreadsheet would run as a formula. */
export async function exportTable(session: Session, table: string, format: 'csv' | 'csv-raw' | 'parquet'): Promise<Uint8Array> {
  if (format === 'csv' || format === 'csv-raw') return exportTableCsv(session.services.db, table, format === 'csv' ? 'neutralise' : 'keep');
  return exportTableParquet(session.services.db, session.services.parquet, table);
}

/** Loaded data, not what cells or the retail profile derived from it (those are made again on import). */
function dataTableNames(session: Session): string[] {
  const loaded = new Set(session.data.dataTables.map((name) => name.toLowerCase()));
  return session.data.tables.filter((table) => holdsData(table.kind) && loaded.has(table.name.toLowerCase())).map((table) => table.name);
}

/** A title as a file name: `Retail tour` → `retail-tour`. */
export function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'notebook';
}

/** The open notebook as a self-contained HTML report, made as src/engine/report.ts makes it for the headless runner too. */
export async function exportReport(session: Session): Promise<{ fileName: string; html: string }> {
  const book = session.book;
  const report = await buildReport({
    notebook: book.notebook,
    states: book.states,
    tables: session.data.tables,
    dataTables: session.data.dataTables,
    db: session.services.db,
    drawChart: (output, width) => drawChart(output, width, false).outerHTML,
    renderMarkdown,
    madeAt: new Date(),
  });
  return { fileName: `${slug(book.notebook.title)}-report.html`, html: reportHtml(report) };
}
