import { describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import { previewJson, readJson } from '../../../src/data/json-records.ts';

function rows(table: Table): Record<string, unknown>[] {
  return table.toArray().map((row) =>
    Object.fromEntries(Object.entries(row.toJSON() as Record<string, unknown>).map(([key, value]) => [key, typeof value === 'bigint' ? Number(value) : value])),
  );
}

const types = (table: Table) => Object.fromEntries(table.schema.fields.map((field) => [field.name, String(field.type)]));

describe('readJson', () => {
  it('reads an array of records, typing each field and nulling what is missing', () => {
    const table = readJson('[{"id": 1, "price": 2.5, "name": "mug", "gift": true}, {"id": 2, "price": 3, "gift": null}]');
    expect(types(table)).toEqual({ id: 'Int64', price: 'Float64', name: 'Utf8', gift: 'Bool' });
    expect(rows(table)).toEqual([
      { id: 1, price: 2.5, name: 'mug', gift: true },
      { id: 2, price: 3, name: null, gift: null },
    ]);
  });

  it('reads newline-delimited records (blank lines skipped, CRLF and a BOM allowed) from bytes', () => {
    const text = '\uFEFF{"invoice": "536365", "qty": 6}\r\n\r\n{"invoice": "C536379", "qty": -1, "country": "UK"}\n';
    const table = readJson(new TextEncoder().encode(text));
    expect(rows(table)).toEqual([
      { invoice: '536365', qty: 6, country: null },
      { invoice: 'C536379', qty: -1, country: 'UK' },
    ]);
  });

  it('flattens nested records to dotted columns and keeps arrays as JSON text', () => {
    const text = '{"id": 1, "customer": {"id": "c9", "address": {"city": "Lyon"}}, "items": [1, 2]}\n{"id": 2, "customer": {"id": "c3"}}';
    const table = readJson(text);
    expect(rows(table)).toEqual([
      { id: 1, 'customer.id': 'c9', 'customer.address.city': 'Lyon', items: '[1,2]' },
      { id: 2, 'customer.id': 'c3', 'customer.address.city': null, items: null },
    ]);
  });

  it('keeps nested records as JSON text when asked', () => {
    const table = readJson('[{"id": 1, "customer": {"id": "c9"}}]', { nested: 'json' });
    expect(rows(table)).toEqual([{ id: 1, customer: '{"id":"c9"}' }]);
  });

  it('reads a field of mixed kinds as text', () => {
    const table = readJson('[{"code": 85123}, {"code": "85123A"}, {"code": true}]');
    expect(types(table)).toEqual({ code: 'Utf8' });
    expect(rows(table).map((row) => row.code)).toEqual(['85123', '85123A', 'true']);
  });

  it('names the file, the place and what was found when a value is not a record', () => {
    expect(() => readJson('[{"a": 1}, {"a": 2}, 42]', { fileName: 'orders.json' })).toThrow('"orders.json": the item at index 2 is a number (42), not a record ({…}).');
    expect(() => readJson('{"a": 1}\n["x", "y"]\n', { fileName: 'orders.ndjson' })).toThrow('"orders.ndjson": line 2 is an array of 2 items, not a record ({…}).');
    expect(() => readJson('{"a": 1}\n{"a": \n', { fileName: 'cut.jsonl' })).toThrow(/^"cut\.jsonl": line 2 is not valid JSON/);
    expect(() => readJson('{\n  "a": 1\n}\n', { fileName: 'one.json' })).toThrow('"one.json" is one JSON document spread over lines, not an array of records ([…]) or one record per line.');
    expect(() => readJson('  \n', { fileName: 'blank.json' })).toThrow('"blank.json" is empty: it holds no JSON.');
  });

  it('previews the first rows only', () => {
    const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ n: i })).join('\n');
    const preview = previewJson(lines);
    expect(preview.columns).toEqual([{ name: 'n', type: 'BIGINT' }]);
    expect(preview.rows).toHaveLength(20);
    expect(preview.rows[19]).toEqual([19]);
  });
});
