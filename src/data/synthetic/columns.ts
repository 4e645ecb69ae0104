import { Field, Float64, Int32, RecordBatch, Schema, Struct, Table, Utf8, makeData, type Data } from 'apache-arrow';

/** Whole-number column (Quantity, CustomerID in the simple layout). */
export interface Int32Column {
  readonly kind: 'int32';
  readonly values: Int32Array;
}

/** Decimal column (UnitPrice, PurchaseAmount), already rounded to 2 dp. */
export interface Float64Column {
  readonly kind: 'float64';
  readonly values: Float64Array;
}

/**
 * Text column, dictionary-encoded: row i is `dictionary[codes[i]]`, or null where the code is -1. Generated text
 * repeats heavily (25k invoice numbers over 540k rows), so this is small, and `codes` is a transferable buffer.
 */
export interface TextColumn {
  readonly kind: 'text';
  readonly dictionary: readonly string[];
  readonly codes: Int32Array;
}

/** One column of a generated table; every buffer can be moved to another thread with `transfer`. */
export type ColumnData = Int32Column | Float64Column | TextColumn;

/** Code of a null text value. */
export const NULL_CODE = -1;

/** Columns by name, in output order, all `rowCount` long. */
export interface ColumnarTable {
  readonly columns: Readonly<Record<string, ColumnData>>;
  readonly rowCount: number;
}

/** The value of `column` at `row`: a number, a string, or null for missing text. */
export function valueAt(column: ColumnData, row: number): number | string | null {
  if (column.kind !== 'text') return column.values[row] ?? null;
  const code = column.codes[row] ?? NULL_CODE;
  return code === NULL_CODE ? null : (column.dictionary[code] ?? null);
}

/** Grows a dictionary as values arrive: `builder.code('EIRE')` gives the same code for the same text. */
export class DictionaryBuilder {
  readonly dictionary: string[] = [];
  private readonly codes = new Map<string, number>();

  code(value: string): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.dictionary.length;
      this.dictionary.push(value);
      this.codes.set(value, code);
    }
    return code;
  }
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break; quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Header and rows joined by CRLF (RFC 4180); nulls become empty fields. */
export function columnarToCsv(table: ColumnarTable): string {
  const names = Object.keys(table.columns);
  const columns = names.map((name) => table.columns[name] as ColumnData);
  const renderedDictionaries = columns.map((column) => (column.kind === 'text' ? column.dictionary.map(csvField) : []));
  const lines = new Array<string>(table.rowCount + 1);
  lines[0] = names.map(csvField).join(',');
  for (let row = 0; row < table.rowCount; row++) {
    let line = '';
    for (let index = 0; index < columns.length; index++) {
      const column = columns[index] as ColumnData;
      if (index > 0) line += ',';
      if (column.kind === 'text') {
        const code = column.codes[row] ?? NULL_CODE;
        if (code !== NULL_CODE) line += (renderedDictionaries[index] as string[])[code] ?? '';
      } else {
        line += String(column.values[row]);
      }
    }
    lines[row + 1] = line;
  }
  return lines.join('\r\n') + '\r\n';
}

/** Arrow table with Int32, Float64 and (nullable) Utf8 columns, one record batch. */
export function columnarToArrow(table: ColumnarTable): Table {
  const names = Object.keys(table.columns);
  const fields: Field[] = [];
  const children: Data[] = [];
  for (const name of names) {
    const column = table.columns[name] as ColumnData;
    switch (column.kind) {
      case 'int32':
        fields.push(new Field(name, new Int32(), false));
        children.push(makeData({ type: new Int32(), length: table.rowCount, nullCount: 0, data: column.values }));
        break;
      case 'float64':
        fields.push(new Field(name, new Float64(), false));
        children.push(makeData({ type: new Float64(), length: table.rowCount, nullCount: 0, data: column.values }));
        break;
      case 'text':
        fields.push(new Field(name, new Utf8(), true));
        children.push(utf8Data(column, table.rowCount));
        break;
      default:
        return assertNever(column);
    }
  }
  const schema = new Schema(fields);
  const struct = makeData({ type: new Struct(fields), length: table.rowCount, nullCount: 0, children });
  return new Table(schema, new RecordBatch(schema, struct));
}

/** Expands a dictionary-encoded column into Arrow's offsets + bytes form, encoding each distinct text once. */
function utf8Data(column: TextColumn, rowCount: number): Data<Utf8> {
  const encoder = new TextEncoder();
  const encoded = column.dictionary.map((text) => encoder.encode(text));
  const valueOffsets = new Int32Array(rowCount + 1);
  const validity = new Uint8Array((rowCount + 7) >> 3);
  let byteLength = 0;
  let nullCount = 0;
  for (let row = 0; row < rowCount; row++) {
    const code = column.codes[row] ?? NULL_CODE;
    if (code === NULL_CODE) nullCount++;
    else {
      byteLength += encoded[code]?.length ?? 0;
      validity[row >> 3] = (validity[row >> 3] ?? 0) | (1 << (row & 7));
    }
    valueOffsets[row + 1] = byteLength;
  }
  const bytes = new Uint8Array(byteLength);
  for (let row = 0; row < rowCount; row++) {
    const code = column.codes[row] ?? NULL_CODE;
    if (code !== NULL_CODE) bytes.set(encoded[code] ?? new Uint8Array(0), valueOffsets[row] ?? 0);
  }
  return makeData({
    type: new Utf8(),
    length: rowCount,
    nullCount,
    nullBitmap: nullCount > 0 ? validity : null,
    valueOffsets,
    data: bytes,
  });
}

function assertNever(value: never): never {
  throw new Error(`unexpected column ${JSON.stringify(value)}`);
}
