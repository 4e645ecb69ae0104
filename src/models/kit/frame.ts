/**
 * Tables as models see them: named columns of typed arrays, to and from Arrow IPC (how tables cross the worker
 * boundary and reach DuckDB). Numbers of every width arrive as Float64Array; text as string arrays.
 */
import { DataType, Dictionary, Float64, Int32, Precision, RecordBatch, Schema, Table, Utf8, makeData, makeVector, tableFromIPC, tableToIPC, type Vector } from 'apache-arrow';
import { keepTextCodes } from './text-codes.ts';

export type Column = Float64Array | Int32Array | readonly (string | null)[];

export interface Frame {
  readonly rowCount: number;
  readonly columns: Readonly<Record<string, Column>>;
}

/** Raised for a column a model needs that the table lacks, or that has the wrong type, naming both. */
export class FrameError extends Error {
  override readonly name = 'FrameError';
}

/** Arrow IPC stream bytes → a frame. Timestamps and dates become epoch milliseconds; nulls in numbers become NaN. */
export function frameFromIpc(ipc: Uint8Array): Frame {
  const table = tableFromIPC(ipc);
  const columns: Record<string, Column> = {};
  for (const field of table.schema.fields) {
    const vector = table.getChild(field.name);
    if (vector) columns[field.name] = columnOf(vector, field.type);
  }
  return { rowCount: table.numRows, columns };
}

function columnOf(vector: Vector, type: DataType): Column {
  if (DataType.isUtf8(type)) return utf8Column(vector);
  if (DataType.isDictionary(type) && DataType.isUtf8(type.dictionary)) return dictionaryColumn(vector);
  if (DataType.isLargeUtf8(type) || DataType.isDictionary(type)) return Array.from({ length: vector.length }, (_, row) => textOf(vector.get(row)));
  if ((DataType.isFloat(type) && type.precision !== Precision.HALF) || DataType.isInt(type)) return numericColumn(vector);
  const numbers = new Float64Array(vector.length);
  for (let row = 0; row < vector.length; row += 1) numbers[row] = numberOf(vector.get(row));
  return numbers;
}

function textOf(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function numberOf(value: unknown): number {
  return value === null || value === undefined ? Number.NaN : value instanceof Date ? value.getTime() : Number(value);
}

function isValid(bitmap: Uint8Array | undefined, bit: number): boolean {
  return bitmap === undefined || ((bitmap[bit >> 3] as number) & (1 << (bit & 7))) !== 0;
}

/**
 * Floats and integers straight from Arrow's value buffers, without a `get` per row: one Float64 chunk without
 * nulls is the IPC bytes themselves (no copy); other widths are converted in one loop, 64-bit integers by
 * `Number` as `get` would (exact up to 2^53).
 */
function numericColumn(vector: Vector): Float64Array {
  const only = vector.data.length === 1 ? vector.data[0] : undefined;
  if (only && only.nullCount === 0 && only.values instanceof Float64Array && only.values.length === only.length) return only.values;
  const numbers = new Float64Array(vector.length);
  let row = 0;
  for (const data of vector.data) {
    const values = data.values as ArrayLike<number | bigint>;
    const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
    for (let i = 0; i < data.length; i++, row++) {
      numbers[row] = isValid(bitmap, data.offset + i) ? Number(values[i] as number | bigint) : Number.NaN;
    }
  }
  return numbers;
}

/**
 * Text sent as dictionary codes (a DuckDB ENUM, see `src/engine/model-inputs.ts`): each distinct value is decoded
 * once and every row refers to the same string, instead of one string made per row; the codes are kept with the
 * column (text-codes.ts) for the models' per-row lookups.
 */
function dictionaryColumn(vector: Vector): (string | null)[] {
  const out: (string | null)[] = new Array<string | null>(vector.length);
  const codes = new Int32Array(vector.length);
  const values: string[] = [];
  const codeOf = new Map<string, number>();
  let row = 0;
  let decoded: { dictionary: Vector; values: (string | null)[]; codes: Int32Array } | undefined;
  for (const data of vector.data) {
    const dictionary = data.dictionary as Vector;
    if (decoded?.dictionary !== dictionary) {
      // A chunk's dictionary entries → the column's codes (one entry per value; a batch may bring a new dictionary).
      const entries = utf8Column(dictionary);
      const entryCodes = Int32Array.from(entries, (value) => {
        if (value === null) return -1;
        let code = codeOf.get(value);
        if (code === undefined) {
          code = values.length;
          codeOf.set(value, code);
          values.push(value);
        }
        return code;
      });
      decoded = { dictionary, values: entries, codes: entryCodes };
    }
    const { values: entries, codes: entryCodes } = decoded;
    const indices = data.values as ArrayLike<number | bigint>;
    const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
    for (let i = 0; i < data.length; i++, row++) {
      const entry = Number(indices[i] as number | bigint);
      const valid = isValid(bitmap, data.offset + i);
      out[row] = valid ? (entries[entry] ?? null) : null;
      codes[row] = valid ? (entryCodes[entry] ?? -1) : -1;
    }
  }
  keepTextCodes(out, { codes, values });
  return out;
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder();

/**
 * A Utf8 column without a `get` per row (which decodes each value on its own, ~3 µs): a chunk of plain ASCII is
 * decoded once and sliced at the offsets; any other chunk decodes value by value.
 */
function utf8Column(vector: Vector): (string | null)[] {
  const out: (string | null)[] = new Array<string | null>(vector.length);
  let row = 0;
  for (const data of vector.data) {
    const offsets = data.valueOffsets as Int32Array;
    const bytes = data.values as Uint8Array;
    const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
    const first = offsets[0] as number;
    const span = bytes.subarray(first, offsets[data.length] as number);
    const ascii = span.every((byte) => byte < 0x80);
    const text = ascii ? latin1.decode(span) : '';
    for (let i = 0; i < data.length; i++, row++) {
      if (!isValid(bitmap, data.offset + i)) {
        out[row] = null;
        continue;
      }
      const start = offsets[i] as number;
      const end = offsets[i + 1] as number;
      out[row] = ascii ? text.slice(start - first, end - first) : utf8.decode(bytes.subarray(start, end));
    }
  }
  return out;
}

/**
 * A frame → Arrow IPC stream bytes (Float64/Int32 columns; text as Utf8, or as a dictionary of Utf8 when its values
 * repeat), to insert into a database, which reads both as VARCHAR. NaN becomes NULL, as SQL expects.
 */
export function frameToIpc(frame: Frame): Uint8Array {
  const columns: Record<string, Vector> = {};
  for (const [name, column] of Object.entries(frame.columns)) {
    if (Array.isArray(column)) columns[name] = codedVector(column) ?? utf8Vector(column);
    else if (column instanceof Float64Array && column.some(Number.isNaN)) columns[name] = float64WithNulls(column);
    else columns[name] = makeVector(column as Float64Array | Int32Array);
  }
  return tableToIPC(new Table(columns), 'stream');
}

/** Text columns shorter than this go as they are: codes would save little, and parts of one run could differ. */
const MIN_CODED_ROWS = 1024;

/**
 * Text whose values repeat (segment names, a customer's id on each of their rows) as an Arrow dictionary: each
 * distinct value encoded once and an Int32 code per row. On 500,000 rows of four segment names this took 12 ms
 * instead of 39, and DuckDB-WASM's insert 43 ms instead of 83. Undefined when the values do not repeat enough (more
 * than one distinct value per two rows, judged from the 2,048th row on, so a column of unique ids is given up
 * early): such text goes as plain Utf8.
 */
function codedVector(values: readonly (string | null)[]): Vector | undefined {
  const length = values.length;
  if (length < MIN_CODED_ROWS) return undefined;
  const codes = new Int32Array(length);
  const validity = new Uint8Array((length + 7) >> 3);
  const index = new Map<string, number>();
  const distinct: string[] = [];
  let nulls = 0;
  for (let row = 0; row < length; row += 1) {
    const value = values[row];
    if (value === null || value === undefined) {
      nulls += 1;
      continue;
    }
    validity[row >> 3]! |= 1 << (row & 7);
    let code = index.get(value);
    if (code === undefined) {
      code = distinct.length;
      if (2 * code >= length || (row >= 2048 && 2 * code > row)) return undefined;
      index.set(value, code);
      distinct.push(value);
    }
    codes[row] = code;
  }
  const type = new Dictionary(new Utf8(), new Int32());
  return makeVector(makeData({ type, length, nullCount: nulls, nullBitmap: nulls > 0 ? validity : null, data: codes, dictionary: utf8Vector(distinct) }));
}

/**
 * Text as an Arrow Utf8 vector, written straight into its offsets and bytes: Arrow's builder (vectorFromArray) took
 * about 2 µs a value, most of a model cell's time on a few hundred thousand rows.
 */
function utf8Vector(values: readonly (string | null)[]): Vector {
  const length = values.length;
  const offsets = new Int32Array(length + 1);
  const validity = new Uint8Array((length + 7) >> 3);
  const encoder = new TextEncoder();
  let bytes = new Uint8Array(Math.max(1024, length * 8));
  let end = 0;
  let nulls = 0;
  for (let row = 0; row < length; row += 1) {
    const value = values[row];
    if (value === null || value === undefined) {
      nulls += 1;
      offsets[row + 1] = end;
      continue;
    }
    validity[row >> 3]! |= 1 << (row & 7);
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (end + value.length * 3 > bytes.length) {
      const grown = new Uint8Array(Math.max(bytes.length * 2, end + value.length * 3));
      grown.set(bytes.subarray(0, end));
      bytes = grown;
    }
    let ascii = true;
    for (let unit = 0; unit < value.length; unit += 1) {
      const code = value.charCodeAt(unit);
      if (code >= 0x80) {
        ascii = false;
        break;
      }
      bytes[end + unit] = code;
    }
    end += ascii ? value.length : encoder.encodeInto(value, bytes.subarray(end)).written;
    offsets[row + 1] = end;
  }
  const data = makeData({ type: new Utf8(), length, nullCount: nulls, nullBitmap: nulls > 0 ? validity : null, valueOffsets: offsets, data: bytes.subarray(0, end) });
  return makeVector(data);
}

/** Numbers whose NaNs become nulls, by a validity bitmap over the same values. */
function float64WithNulls(column: Float64Array): Vector {
  const validity = new Uint8Array((column.length + 7) >> 3);
  let nulls = 0;
  for (let row = 0; row < column.length; row += 1) {
    if (Number.isNaN(column[row])) nulls += 1;
    else validity[row >> 3]! |= 1 << (row & 7);
  }
  return makeVector(makeData({ type: new Float64(), length: column.length, nullCount: nulls, nullBitmap: validity, data: column }));
}

/**
 * Arrow IPC streams of one schema, one after another (the output of a model run in parts, each part's rows in
 * order), as one stream: the batches are kept as they are, so every column keeps its type.
 */
export function concatIpc(parts: readonly Uint8Array[]): Uint8Array {
  // Text coded in one part and not in another, or by other dictionaries, goes as plain text in the joined stream.
  const tables = parts.map((part) => (parts.length > 1 ? plainText(tableFromIPC(part)) : tableFromIPC(part)));
  const [first] = tables;
  if (first === undefined) throw new FrameError('no parts to join');
  for (const table of tables) {
    if (fieldsOf(table) !== fieldsOf(first)) throw new FrameError(`the parts of one run have different columns: ${fieldsOf(first)} against ${fieldsOf(table)}`);
  }
  // A column is nullable when any part's is (a part whose values all exist says it is not).
  const schema = new Schema(first.schema.fields.map((field, index) => field.clone({ nullable: tables.some((table) => table.schema.fields[index]!.nullable) })));
  return tableToIPC(new Table(schema, tables.flatMap((table) => table.batches.map((batch) => new RecordBatch(schema, batch.data)))), 'stream');
}

/** The table with its dictionary-coded text columns as plain Utf8 (the same values). */
function plainText(table: Table): Table {
  const coded = (type: DataType) => DataType.isDictionary(type) && DataType.isUtf8(type.dictionary);
  if (!table.schema.fields.some((field) => coded(field.type))) return table;
  const columns: Record<string, Vector> = {};
  for (const field of table.schema.fields) {
    const vector = table.getChild(field.name)!;
    columns[field.name] = coded(field.type) ? utf8Vector(dictionaryColumn(vector)) : vector;
  }
  return new Table(columns);
}

function fieldsOf(table: Table): string {
  return table.schema.fields.map((field) => `${field.name} ${field.type}`).join(', ');
}

/** A numeric column by name, or an error naming it and the columns there are. */
export function numberColumn(frame: Frame, name: string): Float64Array {
  const column = frame.columns[name];
  if (column === undefined) throw new FrameError(`the input has no column "${name}" (it has ${Object.keys(frame.columns).join(', ')})`);
  if (Array.isArray(column)) throw new FrameError(`column "${name}" holds text; a number is needed`);
  return column instanceof Float64Array ? column : Float64Array.from(column as Int32Array);
}

/** A column as text (ids), or an error naming it. */
export function textColumn(frame: Frame, name: string): readonly (string | null)[] {
  const column = frame.columns[name];
  if (column === undefined) throw new FrameError(`the input has no column "${name}" (it has ${Object.keys(frame.columns).join(', ')})`);
  return Array.isArray(column) ? column : Array.from(column as Float64Array, (value) => (Number.isNaN(value) ? null : String(value)));
}
