import { describe, expect, it } from 'vitest';
import { columnSchema, openApiDocument } from '../../../../src/engine/api/index.ts';
import { inputSpec } from '../../../../src/engine/specs.ts';

describe('openApiDocument', () => {
  const document = openApiDocument({
    title: 'Segments',
    cells: [
      { name: 'customer_segment', kind: 'sql', columns: [{ name: 'customer', type: 'VARCHAR' }, { name: 'orders', type: 'BIGINT' }, { name: 'spend', type: 'DECIMAL(18,2)' }], inputs: [] },
      { name: 'segment_predictor', kind: 'model', columns: [{ name: 'segment', type: 'VARCHAR' }, { name: 'distance', type: 'DOUBLE' }], inputs: ['recency', 'country'] },
    ],
    inputs: [
      { name: 'recency', spec: inputSpec({ input: 'number', min: 0, value: 30, label: 'Days since last purchase' }) },
      { name: 'country', spec: inputSpec({ input: 'select', options: ['France', 'Spain'] }) },
      { name: 'unrelated', spec: inputSpec({ input: 'text' }) },
    ],
  }) as Record<string, any>; // any: a JSON document, read by path in the assertions

  it('is an OpenAPI 3.1 document with both ways of giving the token', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.title).toBe('Segments');
    expect(document.components.securitySchemes).toEqual({
      bearer: { type: 'http', scheme: 'bearer', description: 'The token `aisle serve` printed' },
      token: { type: 'apiKey', in: 'query', name: 'token' },
    });
    expect(Object.keys(document.paths)).toEqual(['/health', '/api/tables/customer_segment', '/api/run/customer_segment', '/api/tables/segment_predictor', '/api/run/segment_predictor']);
  });

  it('offers a query parameter per column of a table, typed from its DuckDB type, and a limit', () => {
    const get = document.paths['/api/tables/customer_segment'].get;
    expect(get.parameters.map((p: { name: string; schema: unknown }) => [p.name, p.schema])).toEqual([
      ['customer', { type: ['string', 'null'] }],
      ['orders', { type: ['integer', 'string', 'null'] }],
      ['spend', { type: ['number', 'null'] }],
      ['limit', { type: 'integer', minimum: 1, maximum: 10_000, default: 100 }],
    ]);
    const row = get.responses['200'].content['application/json'].schema.properties.rows.items;
    expect(row.properties.spend).toEqual({ type: ['number', 'null'], 'x-duckdb-type': 'DECIMAL(18,2)' });
    expect(Object.keys(get.responses)).toEqual(['200', '400', '401', '404']);
  });

  it('takes in a run the inputs that feed the cell, as their specs allow, and nothing else', () => {
    const body = document.paths['/api/run/segment_predictor'].post.requestBody.content['application/json'].schema;
    expect(body).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: {
        recency: { type: 'number', minimum: 0, default: 30, description: 'Days since last purchase' },
        country: { type: ['string', 'number'], enum: ['France', 'Spain'], default: 'France' },
      },
    });
    expect(document.paths['/api/run/customer_segment'].post.requestBody.content['application/json'].schema.properties).toEqual({});
  });
});

describe('columnSchema', () => {
  it('maps DuckDB types to the JSON the API writes', () => {
    expect(columnSchema('INTEGER')).toEqual({ type: ['integer', 'null'] });
    expect(columnSchema('TIMESTAMP')).toEqual({ type: ['string', 'null'], format: 'date-time' });
    expect(columnSchema('DATE')).toEqual({ type: ['string', 'null'], format: 'date' });
    expect(columnSchema('BOOLEAN')).toEqual({ type: ['boolean', 'null'] });
    expect(columnSchema('VARCHAR[]')).toEqual({ type: ['array', 'null'], items: { type: ['string', 'null'] } });
  });

  it('reads a type by its whole name, aliases included, as the rest of the app does; a 64-bit integer may be text', () => {
    for (const type of ['INT4', 'INT2', 'UINTEGER']) expect({ type, schema: columnSchema(type) }).toEqual({ type, schema: { type: ['integer', 'null'] } });
    for (const type of ['BIGINT', 'HUGEINT', 'UBIGINT', 'INT8']) expect({ type, schema: columnSchema(type) }).toEqual({ type, schema: { type: ['integer', 'string', 'null'] } });
    for (const type of ['DOUBLE', 'FLOAT8', 'REAL', 'DECIMAL(18,3)', 'NUMERIC(10,2)']) expect({ type, schema: columnSchema(type) }).toEqual({ type, schema: { type: ['number', 'null'] } });
    expect(columnSchema('INTERVAL')).toEqual({ type: ['string', 'null'] });
  });
});
