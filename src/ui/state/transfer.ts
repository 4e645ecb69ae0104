import { describeCellError, serializeNotebook } from '../../engine/index.ts';
import { fetchPage } from '../../engine/result-page.ts';
import { reportHtml, type ReportBlock } from '../../format/report.ts';
import { renderMarkdown } from '../markdown.ts';
import { drawChart } from '../chart-draw.ts';
import { envelopeFromText, envelopeToText, open, seal } from '../../store/crypto.ts';
import { readImported, writeBundle } from '../../format/bundle.ts';
import type { Session } from './session.svelte.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

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
      tables[name] = await session.services.parquet.fromArrowIpc(await session.services.db.exportArrowIpc(name));
    }
    text = writeBundle({ text: notebookText, tables });
  }
  const base = slug(session.book.notebook.title);
  if (options.passphrase !== undefined) {
    return { fileName: `${base}.aisle-locked`, text: envelopeToText(await seal(encoder.encode(text), options.passphrase)) };
  }
  return { fileName: options.withData ? `${base}.aisle` : `${base}.md`, text };
}

/** Thrown when an imported file is encrypted and no passphrase was given. */
export class PassphraseNeeded extends Error {
  override readonly name = 'PassphraseNeeded';
}

/** Open a notebook file as a new notebook, loading any data it carries. Never runs anything from the file. */
export async function importNotebook(session: Session, fileText: string, passphrase?: string): Promise<void> {
  let imported = readImported(fileText);
  if (imported.kind === 'envelope') {
    if (passphrase === undefined) throw new PassphraseNeeded('This notebook is encrypted: enter its passphrase.');
    imported = readImported(decoder.decode(await open(envelopeFromText(fileText), passphrase)));
    if (imported.kind === 'envelope') throw new Error('the file holds an envelope inside an envelope');
  }
  const text = imported.kind === 'bundle' ? imported.bundle.text : imported.text;
  if (imported.kind === 'bundle') {
    for (const [name, parquet] of Object.entries(imported.bundle.tables)) {
      await session.data.loadIpc(name, await session.services.parquet.toArrowIpc(parquet));
    }
  }
  await session.openNotebook(`nb-${crypto.randomUUID()}`, text);
}

/** A cell's table as CSV or Parquet bytes. */
export async function exportTable(session: Session, table: string, format: 'csv' | 'parquet'): Promise<Uint8Array> {
  if (format === 'csv') return session.services.db.exportCsv(table);
  return session.services.parquet.fromArrowIpc(await session.services.db.exportArrowIpc(table));
}

/** Loaded data, not what cells or the retail profile derived from it (those are made again on import). */
function dataTableNames(session: Session): string[] {
  const derived = new Set(Object.values(session.data.reports).flatMap((report) => [report.canonicalView, report.cleanTable]));
  return session.data.tables
    .filter((table) => table.kind === 'table' && !session.book.isCellTable(table.name) && !derived.has(table.name))
    .map((table) => table.name);
}

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'notebook';
}

/** Rows of each table a report shows; the rest are counted, not listed. */
const REPORT_ROWS = 50;

/**
 * The open notebook as a self-contained HTML report (src/format/report.ts): its prose, each cell's table (first rows),
 * chart (drawn again as SVG at print width), input value or error, and the data tables it read.
 */
export async function exportReport(session: Session): Promise<{ fileName: string; html: string }> {
  const book = session.book;
  const blocks: ReportBlock[] = [];
  for (const cell of book.notebook.cells) {
    if (cell.kind === 'markdown') {
      blocks.push({ kind: 'markdown', html: renderMarkdown(cell.source) });
      continue;
    }
    const state = book.states[cell.id];
    const output = state?.output;
    if (state?.error) blocks.push({ kind: 'error', name: cell.name, message: describeCellError(state.error) });
    else if (output?.kind === 'table') {
      const rows = await fetchPage(session.services.db, { name: output.table, kind: 'table' }, output.columns, { offset: 0, limit: REPORT_ROWS, sort: null });
      blocks.push({ kind: 'table', name: cell.name, table: { columns: output.columns.map((column) => column.name), rows, rowCount: output.rowCount } });
    } else if (output?.kind === 'chart') {
      blocks.push({ kind: 'chart', name: cell.name, svg: drawChart(output, 900, false).outerHTML, note: output.notes.join('; ') || undefined });
    } else if (output?.kind === 'value') {
      blocks.push({ kind: 'value', name: cell.name, value: JSON.stringify(output.value) });
    }
  }
  const data = session.data.tables
    .filter((table) => table.kind === 'table' && !book.isCellTable(table.name))
    .map((table) => ({ name: table.name, rowCount: table.rowCount, columns: table.columns.length }));
  const date = new Date().toLocaleString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  const slug = book.notebook.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'notebook';
  return { fileName: `${slug}-report.html`, html: reportHtml({ title: book.notebook.title, date, data, blocks }) };
}
