import type { ColumnInfo } from '../catalog.ts';
import type { NamedCellKind } from '../notebook.ts';
import { assertNever } from '../../util/assert.ts';
import { isDecimalType, isFloatingType, isIntegerType, isWideNumericType } from '../../util/column-types.ts';
import type { JsonValue } from './rows.ts';
import type { ApiInput } from './run-inputs.ts';
import { DEFAULT_LIMIT, MAX_LIMIT } from './lookup.ts';

/** A cell whose result is a table, as the API describes it. */
export interface ApiTableCell {
  readonly name: string;
  readonly kind: NamedCellKind;
  readonly columns: readonly ColumnInfo[];
  /** The inputs that feed it (its upstream input cells), by name. */
  readonly inputs: readonly string[];
}

export interface ApiDescription {
  readonly title: string;
  readonly cells: readonly ApiTableCell[];
  readonly inputs: readonly ApiInput[];
}

type Schema = { readonly [key: string]: JsonValue };

/**
 * The OpenAPI 3.1 document of a served notebook: per table cell a row lookup (a query parameter per column) and a
 * run taking the inputs that feed it, with JSON schemas from the cells' DuckDB column types and the inputs' specs.
 */
export function openApiDocument(description: ApiDescription): Schema {
  const paths: Record<string, JsonValue> = {
    '/health': {
      get: { summary: 'Whether the server is up, and the notebook it serves', operationId: 'health', responses: { '200': { description: 'Up' } } },
    },
  };
  for (const cell of description.cells) {
    const rows = { type: 'array', items: rowSchema(cell.columns) };
    paths[`/api/tables/${encodeURIComponent(cell.name)}`] = {
      get: {
        summary: `Rows of ${cell.name} (a ${cell.kind} cell) whose columns equal the values given`,
        operationId: `lookup_${cell.name}`,
        parameters: [
          ...cell.columns.map((column) => ({ name: column.name, in: 'query', required: false, schema: columnSchema(column.type) })),
          limitParameter(),
        ],
        responses: { '200': json('The matching rows', { type: 'object', properties: { cell: { type: 'string' }, rows } }), ...errors('400', '404') },
      },
    };
    const inputs = description.inputs.filter((input) => cell.inputs.includes(input.name));
    paths[`/api/run/${encodeURIComponent(cell.name)}`] = {
      post: {
        summary: `Run ${cell.name} and what depends on it with the input values given; the others keep the notebook's values`,
        operationId: `run_${cell.name}`,
        parameters: [limitParameter()],
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: { type: 'object', additionalProperties: false, properties: Object.fromEntries(inputs.map((input) => [input.name, inputSchema(input)])) },
            },
          },
        },
        responses: {
          '200': json('The cell\'s rows after the run', {
            type: 'object',
            properties: { cell: { type: 'string' }, inputs: { type: 'object' }, rowCount: { type: 'integer' }, rows },
          }),
          ...errors('400', '404', '409'),
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: description.title || 'Aisle notebook', version: '1', description: 'Results of an Aisle notebook, served by `aisle serve --api`.' },
    security: [{ bearer: [] }, { token: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The token `aisle serve` printed' },
        token: { type: 'apiKey', in: 'query', name: 'token' },
      },
      schemas: { Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } } },
    },
    paths,
  };
}

function rowSchema(columns: readonly ColumnInfo[]): Schema {
  return { type: 'object', properties: Object.fromEntries(columns.map((column) => [column.name, { ...columnSchema(column.type), 'x-duckdb-type': column.type }])) };
}

/** The JSON schema of a DuckDB column's values as the API writes them (see rows.ts). */
export function columnSchema(type: string): Schema {
  const upper = type.toUpperCase();
  const list = /^(.*)\[\d*\]$/.exec(type);
  if (list) return { type: ['array', 'null'], items: columnSchema(list[1] ?? '') };
  // Beyond 2^53 a BIGINT is written as text.
  if (isIntegerType(type)) return isWideNumericType(type) ? { type: ['integer', 'string', 'null'] } : { type: ['integer', 'null'] };
  if (isFloatingType(type) || isDecimalType(type)) return { type: ['number', 'null'] };
  if (upper === 'BOOLEAN') return { type: ['boolean', 'null'] };
  if (upper === 'DATE') return { type: ['string', 'null'], format: 'date' };
  if (upper.startsWith('TIMESTAMP')) return { type: ['string', 'null'], format: 'date-time' };
  if (upper.startsWith('STRUCT') || upper.startsWith('MAP')) return { type: ['object', 'null'] };
  return { type: ['string', 'null'] };
}

/** The JSON schema of the values an input takes, from its spec. */
export function inputSchema({ spec }: ApiInput): Schema {
  const described: Schema = spec.label === undefined ? {} : { description: spec.label };
  const listed: Schema = spec.options?.kind === 'list' ? { enum: [...spec.options.values] } : {};
  switch (spec.control) {
    case 'slider':
    case 'number':
      return {
        type: 'number',
        ...(typeof spec.min === 'number' ? { minimum: spec.min } : {}),
        ...(typeof spec.max === 'number' ? { maximum: spec.max } : {}),
        default: spec.initial,
        ...described,
      };
    case 'text':
      return { type: 'string', default: spec.initial, ...described };
    case 'select':
    case 'search':
      return { type: ['string', 'number'], ...listed, ...(spec.initial === null ? {} : { default: spec.initial }), ...described };
    case 'multi-select':
      return { type: 'array', items: { type: ['string', 'number'], ...listed }, default: spec.initial, ...described };
    case 'date-range':
      return { type: 'array', items: { type: 'string', format: 'date' }, minItems: 2, maxItems: 2, default: spec.initial, ...described };
    default:
      return assertNever(spec.control);
  }
}

function limitParameter(): Schema {
  return { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT } };
}

function json(description: string, schema: Schema): Schema {
  return { description, content: { 'application/json': { schema } } };
}

const ERROR_MEANINGS: Record<string, string> = {
  '400': 'A bad request: the error names the parameter or input at fault',
  '404': 'No such cell, or the cell has no table',
  '409': 'The cell did not run (it failed or was blocked); the error says why',
};

function errors(...statuses: string[]): Record<string, Schema> {
  const all = ['401', ...statuses];
  return Object.fromEntries(
    all.map((status) => [status, json(status === '401' ? 'The token is missing or wrong' : (ERROR_MEANINGS[status] ?? ''), { $ref: '#/components/schemas/Error' })]),
  );
}
