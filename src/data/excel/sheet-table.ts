import { Table, type Vector } from 'apache-arrow';
import { ColumnBuilder, PREVIEW_ROWS, isoTimestamp, type TablePreview } from '../column-builder.ts';
import type { CellSink } from './sheet-xml.ts';

/**
 * Cells → typed columns: rows above the header row are skipped, the header row names the columns, the rows
 * below it are data. Blank rows between data rows are kept (as rows of nulls, as pandas keeps them); blank rows
 * at the end are not.
 */
export class SheetTable implements CellSink {
  private readonly names: string[] = [];
  private readonly builders: ColumnBuilder[] = [];
  private mode: 'skip' | 'header' | 'data' = 'skip';
  private rows = 0;
  private pendingBlankRows = 0;
  private lastDataRow: number;
  private rowHasValues = false;
  private previewSent = false;

  constructor(
    /** 1-based; 0 means the sheet has no header row (columns are named by their letters). */
    private readonly headerRow: number,
    private readonly limit: number,
    private readonly onPreview?: (preview: TablePreview) => void,
  ) {
    this.lastDataRow = headerRow;
  }

  get rowCount(): number {
    return this.rows;
  }

  startRow(rowNumber: number): boolean {
    if (this.rows >= this.limit) return false;
    if (rowNumber < this.headerRow) this.mode = 'skip';
    else if (rowNumber === this.headerRow) this.mode = 'header';
    else {
      this.mode = 'data';
      // Rows missing from the XML between data rows are blank.
      if (rowNumber > this.lastDataRow + 1) this.pendingBlankRows += rowNumber - this.lastDataRow - 1;
      this.lastDataRow = rowNumber;
      this.rowHasValues = false;
    }
    return true;
  }

  number(column: number, value: number): void {
    if (this.mode === 'header') this.name(column, String(value));
    else if (this.mode === 'data') this.builder(column)?.appendNumber(value);
  }

  date(column: number, epochMs: number): void {
    if (this.mode === 'header') this.name(column, isoTimestamp(epochMs).replace(/ 00:00:00$/, ''));
    else if (this.mode === 'data') this.builder(column)?.appendDate(epochMs);
  }

  text(column: number, value: string): void {
    if (this.mode === 'header') this.name(column, value);
    else if (this.mode === 'data') this.builder(column)?.appendText(value);
  }

  boolean(column: number, value: boolean): void {
    if (this.mode === 'header') this.name(column, value ? 'TRUE' : 'FALSE');
    else if (this.mode === 'data') this.builder(column)?.appendBoolean(value);
  }

  endRow(): void {
    if (this.mode !== 'data') return;
    if (!this.rowHasValues) {
      this.pendingBlankRows++;
      return;
    }
    this.rows++;
    for (const builder of this.builders) if (builder.length < this.rows) builder.appendNull();
    if (!this.previewSent && this.rows >= Math.min(PREVIEW_ROWS, this.limit)) this.sendPreview();
  }

  /** Send the preview now if it has not gone yet (a sheet of fewer rows than a preview holds). */
  finishPreview(): void {
    if (!this.previewSent) this.sendPreview();
  }

  preview(): TablePreview {
    const names = this.columnNames();
    const shown = Math.min(this.rows, PREVIEW_ROWS);
    return {
      columns: names.map((name, index) => ({ name, type: this.builders[index]?.type ?? 'VARCHAR' })),
      rows: Array.from({ length: shown }, (_, row) => names.map((_, column) => this.builders[column]?.valueAt(row) ?? null)),
    };
  }

  toArrow(): Table {
    const columns: Record<string, Vector> = {};
    this.columnNames().forEach((name, index) => {
      const builder = this.builders[index] ?? new ColumnBuilder();
      builder.appendNulls(this.rows - builder.length);
      columns[name] = builder.finish();
    });
    return new Table(columns);
  }

  /** Header names, blank ones by their column letter, repeated ones numbered (`Price`, `Price_2`). */
  columnNames(): string[] {
    const width = Math.max(this.names.length, this.builders.length);
    const used = new Set<string>();
    const names: string[] = [];
    for (let column = 0; column < width; column++) {
      const wanted = this.names[column]?.trim() || columnLetters(column);
      let name = wanted;
      for (let n = 2; used.has(name.toLowerCase()); n++) name = `${wanted}_${n}`;
      used.add(name.toLowerCase());
      names.push(name);
    }
    return names;
  }

  private sendPreview(): void {
    this.previewSent = true;
    this.onPreview?.(this.preview());
  }

  private name(column: number, value: string): void {
    this.names[column] = value;
  }

  /** The column's builder for this row's value; undefined when the row already has one there (a repeated reference). */
  private builder(column: number): ColumnBuilder | undefined {
    if (!this.rowHasValues) {
      this.rowHasValues = true;
      if (this.pendingBlankRows > 0) {
        for (const builder of this.builders) builder.appendNulls(this.pendingBlankRows);
        this.rows += this.pendingBlankRows;
        this.pendingBlankRows = 0;
      }
    }
    while (this.builders.length <= column) {
      const builder = new ColumnBuilder();
      builder.appendNulls(this.rows);
      this.builders.push(builder);
    }
    const builder = this.builders[column]!;
    return builder.length > this.rows ? undefined : builder;
  }
}

/** `0` → `A`, `27` → `AB`. */
export function columnLetters(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}
