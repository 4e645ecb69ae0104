/** The prediction API of `aisle serve --api`: routes, request checks, the OpenAPI document and a served notebook. */
export { ApiError, type ApiErrorStatus } from './errors.ts';
export { routeOf, type ApiRoute } from './routes.ts';
export { lookupQuery, lookupPlan, limitOf, DEFAULT_LIMIT, MAX_LIMIT, type LookupQuery } from './lookup.ts';
export { LookupIndex, MAX_INDEXED_ROWS, type LookupCondition } from './lookup-index.ts';
export { runInputs, checkedValue, type ApiInput } from './run-inputs.ts';
export { openApiDocument, columnSchema, inputSchema, type ApiDescription, type ApiTableCell } from './openapi.ts';
export { jsonRows, type JsonRow, type JsonValue } from './rows.ts';
export { NotebookApi, cellTableStamp, type LookupResult, type RunResult } from './notebook-api.ts';
