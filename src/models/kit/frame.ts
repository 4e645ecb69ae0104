/**
 * Tables as models see them: named columns of typed arrays, to and from Arrow IPC (how tables cross the worker
 * boundary and reach DuckDB). Numbers of every width arrive as Float64Array; text as string arrays.
 */
import { DataType, Float64, Table, Utf8, makeVector, tableFromIPC, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow';

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
  const length = vector.length;
  if (DataType.isUtf8(type)) return utf8Column(vector);
  if (DataType.isLargeUtf8(type) || DataType.isDictionary(type)) {
    return Array.from({ length }, (_, row) => {
      const value = vector.get(row) as unknown;
      return value === null || value === undefined ? null : String(value);
    });
  }
  const numbers = new Float64Array(length);
  for (let row = 0; row < length; row += 1) {
    const value = vector.get(row) as unknown;
    numbers[row] = value === null || value === undefined ? Number.NaN : value instanceof Date ? value.getTime() : Number(value);
  }
  return numbers;
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
      const bit = data.offset + i;
      if (bitmap && ((bitmap[bit >> 3] as number) & (1 << (bit & 7))) === 0) {
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

/** A frame → Arrow IPC stream bytes (Float64/Int32/Utf8 columns), to insert into DuckDB. NaN becomes NULL, as SQL expects. */
export function frameToIpc(frame: Frame): Uint8Array {
  const columns: Record<string, Vector> = {};
  for (const [name, column] of Object.entries(frame.columns)) {
    if (Array.isArray(column)) columns[name] = vectorFromArray([...column], new Utf8());
    else if (column instanceof Float64Array && column.some(Number.isNaN)) columns[name] = vectorFromArray(Array.from(column, (value) => (Number.isNaN(value) ? null : value)), new Float64());
    else columns[name] = makeVector(column as Float64Array | Int32Array);
  }
  return tableToIPC(new Table(columns), 'stream');
}

/** A numeric column by name, or an error naming it and the columns there are. */
export function numberColumn(frame: Frame, name: string): Float64Array {
  const column = frame.columns[name];
  if (column === undefined) throw new FrameError(`the input has no column "${name}" (it has ${Object.keys(frame.columns).join(', ')})`);
  if (Array.isArray(column)) throw new FrameError(`column "${name}" holds text; a number is needed`);
  return column instanceof Float64Array ? column : Float64Array.from(column as Int32Array);
}

/** A column as text (ids), or an error naming it. */
export function textColumn(frame: Frame, name: string): (string | null)[] {
  const column = frame.columns[name];
  if (column === undefined) throw new FrameError(`the input has no column "${name}" (it has ${Object.keys(frame.columns).join(', ')})`);
  return Array.isArray(column) ? [...column] : Array.from(column as Float64Array, (value) => (Number.isNaN(value) ? null : String(value)));
}
