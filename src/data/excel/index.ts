// Excel .xlsx read by our own streaming reader over fflate: npm's `xlsx` is frozen at 0.18.5 with published CVEs
// (CVE-2023-30533, CVE-2024-22363), and exceljs / read-excel-file build the whole sheet in memory before the first
// row is available (exceljs's streaming reader needs Node streams and temp files), too slow and too big for 541,909 rows.
import type { Table } from 'apache-arrow';
import { PREVIEW_ROWS, type TablePreview } from '../column-builder.ts';
import { RecordFileError } from '../record-file-error.ts';
import { SheetTable } from './sheet-table.ts';
import { SheetXmlScanner } from './sheet-xml.ts';
import { openWorkbook, sheetContext, type SheetInfo, type Workbook } from './workbook.ts';
import { streamEntryText } from './zip.ts';

export type { SheetInfo } from './workbook.ts';
export { excelSerialToMs, isDateFormat } from './dates.ts';

export interface SheetReadOptions {
  /**
   * The sheet by name or 0-based position; the first sheet by default. A name of digits only that no sheet has is
   * taken as a position counted from 1, as people write it (`sheet=2` on the runner's command line).
   */
  readonly sheet?: string | number;
  /** The 1-based row holding the column names (rows above it are skipped); 0 for none (columns named A, B, …). Default 1. */
  readonly headerRow?: number;
  /** Read at most this many data rows. */
  readonly limit?: number;
  /** Used in error messages; default "the workbook". */
  readonly fileName?: string;
  /** Called once with the first rows, as soon as they are read (long before a large sheet is). */
  readonly onPreview?: (preview: TablePreview) => void;
}

/** The worksheets of an .xlsx workbook, in workbook order: `listSheets(bytes)` → `[{ name: 'Online Retail', hidden: false }]`. */
export function listSheets(bytes: Uint8Array, fileName = 'the workbook'): SheetInfo[] {
  return openWorkbook(bytes, fileName).sheets.map(({ name, hidden }) => ({ name, hidden }));
}

/**
 * One sheet of an .xlsx workbook as an Arrow table, streamed: the sheet's XML is inflated and scanned a piece at
 * a time, so `onPreview` gets the first rows early and `onProgress` the fraction read.
 * Columns: numbers BIGINT when all integral, else DOUBLE; dates (by the cell's number format) TIMESTAMP; text
 * VARCHAR; TRUE/FALSE BOOLEAN; blanks null; a column mixing kinds VARCHAR.
 * `readSheet(bytes, { sheet: 'Sales', headerRow: 3 })`.
 */
export function readSheet(bytes: Uint8Array, options: SheetReadOptions = {}, onProgress?: (fraction: number) => void): Table {
  return scanSheet(bytes, options, onProgress).toArrow();
}

/** The first rows of a sheet as they will be read, without reading the rest. */
export function previewSheet(bytes: Uint8Array, options: Omit<SheetReadOptions, 'limit' | 'onPreview'> & { readonly rows?: number } = {}): TablePreview {
  return scanSheet(bytes, { ...options, limit: options.rows ?? PREVIEW_ROWS }).preview();
}

function scanSheet(bytes: Uint8Array, options: SheetReadOptions, onProgress?: (fraction: number) => void): SheetTable {
  const fileName = options.fileName ?? 'the workbook';
  const workbook = openWorkbook(bytes, fileName);
  const sheet = pickSheet(workbook, options.sheet);
  const headerRow = options.headerRow ?? 1;
  if (!Number.isInteger(headerRow) || headerRow < 0) throw new RecordFileError(`The header row must be a row number (1, 2, …) or 0 for none, not ${headerRow}.`);
  const entry = workbook.entries.get(sheet.path.toLowerCase());
  if (entry === undefined) throw new RecordFileError(`"${fileName}" is damaged: sheet "${sheet.name}" has no ${sheet.path}.`);
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const table = new SheetTable(headerRow, limit, options.onPreview);
  const scanner = new SheetXmlScanner(sheetContext(workbook), table);
  try {
    streamEntryText(bytes, entry, fileName, (text) => scanner.feed(text), onProgress);
  } catch (error) {
    if (error instanceof RecordFileError) throw error;
    throw new RecordFileError(`"${fileName}": sheet "${sheet.name}" could not be read (${error instanceof Error ? error.message : String(error)}).`, { cause: error });
  }
  table.finishPreview();
  if (headerRow > 0 && limit === Number.POSITIVE_INFINITY) {
    const merged = scanner.mergedRanges().filter((range) => coversRow(range, headerRow));
    if (merged.length > 0) {
      throw new RecordFileError(
        `Sheet "${sheet.name}" of "${fileName}" has merged cells in its header row ${headerRow} (${merged.join(', ')}), so its columns have no names of their own; unmerge them or pick another header row.`,
      );
    }
  }
  return table;
}

function pickSheet(workbook: Workbook, wanted: string | number | undefined): Workbook['sheets'][number] {
  const { sheets, fileName } = workbook;
  if (sheets.length === 0) throw new RecordFileError(`"${fileName}" has no worksheets.`);
  const position = typeof wanted === 'number' ? wanted : wanted !== undefined && /^\d+$/.test(wanted) ? Number(wanted) - 1 : undefined;
  const found = wanted === undefined ? sheets[0] : (sheets.find((sheet) => sheet.name === String(wanted)) ?? (position === undefined ? undefined : sheets[position]));
  if (found) return found;
  const missing = position === undefined ? `"${wanted}"` : typeof wanted === 'number' ? `number ${position + 1}` : `named "${wanted}" nor a sheet number ${position + 1}`;
  throw new RecordFileError(`"${fileName}" has no sheet ${missing}; its sheets are ${sheets.map((sheet) => `"${sheet.name}"`).join(', ')}.`);
}

/** True when a range (`B2:D4`, `A1`) spans row `row`. */
function coversRow(range: string, row: number): boolean {
  const numbers = [...range.matchAll(/\d+/g)].map((match) => Number(match[0]));
  const first = numbers[0] ?? 0;
  return first <= row && row <= (numbers[1] ?? first);
}
