import { Bool, Float64, Int64, TimestampMillisecond, Utf8, makeData, makeVector, type DataType, type Vector } from 'apache-arrow';

/** The DuckDB type a built column arrives as. */
export type ColumnType = 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'TIMESTAMP' | 'VARCHAR';

/** A cell as a preview shows it: timestamps as ISO text (`2010-12-01 08:26:00`), blanks as null. */
export type PreviewValue = string | number | boolean | null;

/** The first rows of a table as they will be read, before the whole file is: what an import sheet shows. */
export interface TablePreview {
  readonly columns: readonly { readonly name: string; readonly type: ColumnType }[];
  readonly rows: readonly (readonly PreviewValue[])[];
}

/** Rows a preview holds. */
export const PREVIEW_ROWS = 20;

type Kind = 'empty' | 'number' | 'date' | 'boolean' | 'text';

const INITIAL_CAPACITY = 1024;

/**
 * One column of values that arrive row by row with types found on the way: numbers become BIGINT when every one
 * is a safe integer, else DOUBLE; dates TIMESTAMP; booleans BOOLEAN; text VARCHAR; blanks null. A column
 * whose values are of more than one kind becomes VARCHAR, each value as text.
 */
export class ColumnBuilder {
  private kind: Kind = 'empty';
  private integral = true;
  /** Numbers, timestamps (ms since 1970) or booleans (0/1) while the column is not text. */
  private numbers = new Float64Array(INITIAL_CAPACITY);
  private valid = new Uint8Array(INITIAL_CAPACITY);
  private texts: (string | null)[] | null = null;
  private size = 0;

  get length(): number {
    return this.size;
  }

  get type(): ColumnType {
    switch (this.kind) {
      case 'number':
        return this.integral ? 'BIGINT' : 'DOUBLE';
      case 'date':
        return 'TIMESTAMP';
      case 'boolean':
        return 'BOOLEAN';
      case 'empty':
      case 'text':
        return 'VARCHAR';
    }
  }

  appendNulls(count: number): void {
    for (let i = 0; i < count; i++) this.appendNull();
  }

  appendNull(): void {
    if (this.texts) this.texts.push(null);
    else {
      this.reserve();
      this.valid[this.size] = 0;
    }
    this.size++;
  }

  appendNumber(value: number): void {
    if (this.kind === 'number' || this.kind === 'empty') {
      this.kind = 'number';
      if (this.integral && !Number.isSafeInteger(value)) this.integral = false;
      this.appendRaw(value);
    } else this.appendText(String(value));
  }

  /** A timestamp as milliseconds since 1970-01-01 UTC. */
  appendDate(epochMs: number): void {
    if (this.kind === 'date' || this.kind === 'empty') {
      this.kind = 'date';
      this.appendRaw(epochMs);
    } else this.appendText(isoTimestamp(epochMs));
  }

  appendBoolean(value: boolean): void {
    if (this.kind === 'boolean' || this.kind === 'empty') {
      this.kind = 'boolean';
      this.appendRaw(value ? 1 : 0);
    } else this.appendText(String(value));
  }

  appendText(value: string): void {
    if (!this.texts) this.becomeText();
    this.texts!.push(value);
    this.size++;
  }

  /** The value of row `index` as a preview shows it. */
  valueAt(index: number): PreviewValue {
    if (this.texts) return this.texts[index] ?? null;
    if (index >= this.size || this.valid[index] === 0) return null;
    const value = this.numbers[index]!;
    switch (this.kind) {
      case 'date':
        return isoTimestamp(value);
      case 'boolean':
        return value === 1;
      default:
        return value;
    }
  }

  /** The column as an Arrow vector of its type. */
  finish(): Vector {
    const length = this.size;
    if (this.texts) return utf8Vector(this.texts);
    const { bitmap, nullCount } = packValidity(this.valid, length);
    const numbers = this.numbers.subarray(0, length);
    switch (this.kind) {
      case 'empty':
        return utf8Vector(new Array<null>(length).fill(null));
      case 'number':
        if (!this.integral) return vector(new Float64(), length, nullCount, bitmap, numbers.slice());
        return vector(new Int64(), length, nullCount, bitmap, toBigInts(numbers, this.valid));
      case 'date':
        return vector(new TimestampMillisecond(), length, nullCount, bitmap, toBigInts(numbers, this.valid));
      case 'boolean': {
        const bits = new Uint8Array((length + 7) >> 3);
        for (let i = 0; i < length; i++) if (numbers[i] === 1) bits[i >> 3]! |= 1 << (i & 7);
        return vector(new Bool(), length, nullCount, bitmap, bits);
      }
      case 'text':
        throw new Error('unreachable: a text column keeps texts');
    }
  }

  private appendRaw(value: number): void {
    this.reserve();
    this.numbers[this.size] = value;
    this.valid[this.size] = 1;
    this.size++;
  }

  private reserve(): void {
    if (this.size < this.numbers.length) return;
    const numbers = new Float64Array(this.numbers.length * 2);
    numbers.set(this.numbers);
    this.numbers = numbers;
    const valid = new Uint8Array(this.valid.length * 2);
    valid.set(this.valid);
    this.valid = valid;
  }

  private becomeText(): void {
    const texts: (string | null)[] = [];
    for (let i = 0; i < this.size; i++) {
      const value = this.valueAt(i);
      texts.push(value === null ? null : String(value));
    }
    this.texts = texts;
    this.kind = 'text';
    this.numbers = new Float64Array(0);
    this.valid = new Uint8Array(0);
  }
}

/** `isoTimestamp(Date.UTC(2010, 11, 1, 8, 26))` → `'2010-12-01 08:26:00'` (milliseconds only when there are some). */
export function isoTimestamp(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  const seconds = iso.endsWith('.000Z') ? iso.slice(0, 19) : iso.slice(0, 23);
  return seconds.replace('T', ' ');
}

function vector<T extends DataType>(type: T, length: number, nullCount: number, nullBitmap: Uint8Array | undefined, data: T['TArray']): Vector<T> {
  // makeData's overloads are per type; the generic call needs the widest props type.
  return makeVector(makeData({ type, length, nullCount, nullBitmap, data } as never)) as Vector<T>;
}

function toBigInts(numbers: Float64Array, valid: Uint8Array): BigInt64Array {
  const out = new BigInt64Array(numbers.length);
  for (let i = 0; i < numbers.length; i++) if (valid[i] === 1) out[i] = BigInt(Math.round(numbers[i]!));
  return out;
}

function packValidity(valid: Uint8Array, length: number): { bitmap: Uint8Array | undefined; nullCount: number } {
  const bitmap = new Uint8Array((length + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < length; i++) {
    if (valid[i] === 1) bitmap[i >> 3]! |= 1 << (i & 7);
    else nullCount++;
  }
  return { bitmap: nullCount === 0 ? undefined : bitmap, nullCount };
}

const encoder = new TextEncoder();

function utf8Vector(texts: readonly (string | null)[]): Vector<Utf8> {
  const length = texts.length;
  const offsets = new Int32Array(length + 1);
  const bitmap = new Uint8Array((length + 7) >> 3);
  let nullCount = 0;
  let bytes = new Uint8Array(Math.max(1024, length * 8));
  let end = 0;
  for (let i = 0; i < length; i++) {
    const text = texts[i];
    if (text === null || text === undefined) nullCount++;
    else {
      bitmap[i >> 3]! |= 1 << (i & 7);
      // A UTF-16 code unit takes at most 3 bytes in UTF-8.
      if (end + text.length * 3 > bytes.length) {
        const grown = new Uint8Array(Math.max(bytes.length * 2, end + text.length * 3));
        grown.set(bytes.subarray(0, end));
        bytes = grown;
      }
      end += encoder.encodeInto(text, bytes.subarray(end)).written;
    }
    offsets[i + 1] = end;
  }
  const data = makeData({ type: new Utf8(), length, nullCount, nullBitmap: nullCount === 0 ? undefined : bitmap, valueOffsets: offsets, data: bytes.slice(0, end) });
  return makeVector(data);
}
