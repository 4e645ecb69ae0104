import { ApiError } from './errors.ts';

/** What a request to `aisle serve` asks for. */
export type ApiRoute =
  | { readonly kind: 'health' }
  | { readonly kind: 'openapi' }
  /** `GET /api/tables/<cell>?<column>=<value>&limit=`: rows of a cell's table. */
  | { readonly kind: 'table'; readonly cell: string }
  /** `POST /api/run/<cell>` with input values: re-run the cell with them, return its rows. */
  | { readonly kind: 'run'; readonly cell: string };

/**
 * The route of `method` on `pathname` (already without its query string); throws an ApiError: 404 for a path the
 * API does not have, 405 (with `Allow`) for a method the path does not take, 400 for a cell name that cannot be decoded.
 * `routeOf('GET', '/api/tables/recommend')` → `{ kind: 'table', cell: 'recommend' }`.
 */
export function routeOf(method: string, pathname: string): ApiRoute {
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  if (path === '/health') return only(method, 'GET', { kind: 'health' });
  if (path === '/api/openapi.json') return only(method, 'GET', { kind: 'openapi' });
  const match = /^\/api\/(tables|run)\/([^/]+)$/.exec(path);
  if (match === null) throw new ApiError(404, `no such path ${JSON.stringify(pathname)}; the API has /health, /api/openapi.json, /api/tables/<cell> and /api/run/<cell>`);
  const cell = decodeSegment(match[2] ?? '');
  return match[1] === 'tables' ? only(method, 'GET', { kind: 'table', cell }) : only(method, 'POST', { kind: 'run', cell });
}

function only(method: string, allowed: 'GET' | 'POST', route: ApiRoute): ApiRoute {
  if (method === allowed || (allowed === 'GET' && method === 'HEAD')) return route;
  throw new ApiError(405, `${method} is not allowed here; use ${allowed}`, { Allow: allowed === 'GET' ? 'GET, HEAD' : 'POST' });
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiError(400, `the cell name ${JSON.stringify(segment)} is not valid percent-encoding`);
  }
}
