import { Table, type Vector } from 'apache-arrow';
import { ColumnBuilder, PREVIEW_ROWS, type TablePreview } from './column-builder.ts';
import { RecordFileError } from './record-file-error.ts';

export interface JsonReadOptions {
  /** Nested objects: `flatten` (default) into `address.city` columns, or `json` to keep each as JSON text. Arrays are always JSON text. */
  readonly nested?: 'flatten' | 'json';
  /** Used in error messages; default "the JSON file". */
  readonly fileName?: string;
  /** Called once with the first rows. */
  readonly onPreview?: (preview: TablePreview) => void;
}

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
type JsonRecord = { [key: string]: JsonValue };

/**
 * JSON records as an Arrow table: an array of records (`[{…}, {…}]`) or one record per line (NDJSON / JSON lines).
 * Numbers are BIGINT when all are integers, else DOUBLE; strings VARCHAR; booleans BOOLEAN; null or missing is
 * null; a field holding values of more than one kind is VARCHAR. Columns come in order of first appearance.
 * `readJson('{"id":1,"customer":{"country":"FR"}}\n{"id":2}')` → columns `id` (BIGINT), `customer.country` (VARCHAR).
 */
export function readJson(input: Uint8Array | string, options: JsonReadOptions = {}): Table {
  return collect(input, options, Number.POSITIVE_INFINITY).toArrow();
}

/** The first rows as they will be read. */
export function previewJson(input: Uint8Array | string, options: Omit<JsonReadOptions, 'onPreview'> = {}): TablePreview {
  return collect(input, options, PREVIEW_ROWS).preview();
}

function collect(input: Uint8Array | string, options: JsonReadOptions, limit: number): RecordColumns {
  const fileName = options.fileName ?? 'the JSON file';
  const text = (typeof input === 'string' ? input : new TextDecoder().decode(input)).replace(/^\uFEFF/, '');
  const columns = new RecordColumns(options.nested ?? 'flatten', options.onPreview);
  const first = /\S/.exec(text);
  if (!first) throw new RecordFileError(`"${fileName}" is empty: it holds no JSON.`);
  if (first[0] === '[') {
    let items: unknown;
    try {
      items = JSON.parse(text);
    } catch (error) {
      throw new RecordFileError(`"${fileName}" is not valid JSON: ${error instanceof Error ? error.message : String(error)}.`, { cause: error });
    }
    const records = items as JsonValue[];
    for (let index = 0; index < records.length && columns.rows < limit; index++) {
      const item = records[index]!;
      if (!isRecord(item)) throw new RecordFileError(`"${fileName}": the item at index ${index} is ${describe(item)}, not a record ({…}).`);
      columns.add(item);
    }
  } else {
    let line = 0;
    let at = 0;
    while (at < text.length && columns.rows < limit) {
      const end = text.indexOf('\n', at) >>> 0;
      const source = text.slice(at, Math.min(end, text.length));
      line++;
      at = Math.min(end, text.length) + 1;
      if (source.trim() === '') continue;
      let item: JsonValue;
      try {
        item = JSON.parse(source) as JsonValue;
      } catch (error) {
        throw new RecordFileError(
          line === 1 && /^\s*\{\s*$/.test(source)
            ? `"${fileName}" is one JSON document spread over lines, not an array of records ([…]) or one record per line.`
            : `"${fileName}": line ${line} is not valid JSON (${error instanceof Error ? error.message : String(error)}).`,
          { cause: error },
        );
      }
      if (!isRecord(item)) throw new RecordFileError(`"${fileName}": line ${line} is ${describe(item)}, not a record ({…}).`);
      columns.add(item);
    }
  }
  columns.finishPreview();
  return columns;
}

function isRecord(value: JsonValue): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What was found, in a few words: `a number (42)`, `an array of 3 items`, `null`. */
function describe(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  switch (typeof value) {
    case 'number':
      return `a number (${value})`;
    case 'boolean':
      return `a boolean (${value})`;
    case 'string':
      return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
    default:
      return 'a record';
  }
}

/** Records → typed columns by field name, in order of first appearance. */
class RecordColumns {
  private readonly builders = new Map<string, ColumnBuilder>();
  rows = 0;
  private previewSent = false;

  constructor(
    private readonly nested: 'flatten' | 'json',
    private readonly onPreview?: (preview: TablePreview) => void,
  ) {}

  add(record: JsonRecord): void {
    this.addFields(record, '');
    this.rows++;
    for (const builder of this.builders.values()) if (builder.length < this.rows) builder.appendNull();
    if (!this.previewSent && this.rows >= PREVIEW_ROWS) this.sendPreview();
  }

  finishPreview(): void {
    if (!this.previewSent) this.sendPreview();
  }

  preview(): TablePreview {
    const entries = [...this.builders];
    return {
      columns: entries.map(([name, builder]) => ({ name, type: builder.type })),
      rows: Array.from({ length: Math.min(this.rows, PREVIEW_ROWS) }, (_, row) => entries.map(([, builder]) => builder.valueAt(row))),
    };
  }

  toArrow(): Table {
    const columns: Record<string, Vector> = {};
    for (const [name, builder] of this.builders) columns[name] = builder.finish();
    return new Table(columns);
  }

  private sendPreview(): void {
    this.previewSent = true;
    this.onPreview?.(this.preview());
  }

  private addFields(record: JsonRecord, prefix: string): void {
    for (const key in record) {
      const value = record[key]!;
      const name = prefix + key;
      if (this.nested === 'flatten' && isRecord(value)) {
        this.addFields(value, `${name}.`);
        continue;
      }
      const builder = this.builder(name);
      // A field named twice in one record (`{"a.b": 1, "a": {"b": 2}}` flattened) keeps its first value.
      if (builder.length > this.rows) continue;
      if (value === null) builder.appendNull();
      else if (typeof value === 'number') builder.appendNumber(value);
      else if (typeof value === 'string') builder.appendText(value);
      else if (typeof value === 'boolean') builder.appendBoolean(value);
      else builder.appendText(JSON.stringify(value));
    }
  }

  private builder(name: string): ColumnBuilder {
    let builder = this.builders.get(name);
    if (!builder) {
      builder = new ColumnBuilder();
      builder.appendNulls(this.rows);
      this.builders.set(name, builder);
    }
    return builder;
  }
}
