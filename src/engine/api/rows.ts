import { DataType, type Field, type Table } from 'apache-arrow';

/** A value JSON can hold. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type JsonRow = Readonly<Record<string, JsonValue>>;

/**
 * A result table as JSON rows: whole numbers beyond 2^53 as text, timestamps as ISO text, dates as `2011-12-09`,
 * NaN and infinities as null, lists as arrays, structs as objects.
 * `jsonRows(await db.query("SELECT 1::BIGINT AS n, DATE '2011-12-09' AS d"))` → `[{ n: 1, d: '2011-12-09' }]`.
 */
export function jsonRows(table: Table): JsonRow[] {
  const fields = table.schema.fields;
  const columns = fields.map((field) => table.getChild(field.name));
  const rows: JsonRow[] = [];
  for (let row = 0; row < table.numRows; row++) {
    const values: Record<string, JsonValue> = {};
    fields.forEach((field, index) => {
      values[field.name] = jsonValue(columns[index]?.get(row), field.type);
    });
    rows.push(values);
  }
  return rows;
}

function jsonValue(value: unknown, type: DataType): JsonValue {
  if (value === null || value === undefined) return null;
  if (DataType.isList(type) || DataType.isFixedSizeList(type)) {
    const child = type.children[0]?.type;
    return Array.from(value as Iterable<unknown>, (item) => (child === undefined ? null : jsonValue(item, child)));
  }
  if (DataType.isStruct(type)) {
    const struct = value as Record<string, unknown>;
    return Object.fromEntries(type.children.map((field: Field) => [field.name, jsonValue(struct[field.name], field.type)]));
  }
  if (DataType.isDate(type) || DataType.isTimestamp(type)) {
    const time = value instanceof Date ? value.getTime() : Number(value);
    if (!Number.isFinite(time)) return null;
    const iso = new Date(time).toISOString();
    return DataType.isDate(type) ? iso.slice(0, 10) : iso;
  }
  switch (typeof value) {
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'string':
    case 'boolean':
      return value;
    default:
      return String(value);
  }
}
