/** The HTTP shell of `aisle serve --api`: the token, the route, the JSON in and out; the answers come from NotebookApi. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { ApiError, NotebookApi, routeOf, type JsonValue } from '../engine/api/index.ts';
import { assertNever } from '../util/assert.ts';
import { messageOf } from '../util/errors.ts';
import { cookieToken } from './serve-app.ts';

/** The largest request body read (input values are small). */
const MAX_BODY_BYTES = 1024 * 1024;

/** Whether `given` is the token, compared in constant time. */
export function isToken(given: string | null | undefined, token: string): boolean {
  if (given === null || given === undefined) return false;
  const [a, b] = [Buffer.from(given), Buffer.from(token)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether the request carries `token` as `Authorization: Bearer …`, `?token=` or the app's cookie. */
export function hasToken(request: IncomingMessage, url: URL, token: string): boolean {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return isToken(header.slice('Bearer '.length).trim(), token);
  return isToken(url.searchParams.get('token'), token) || isToken(cookieToken(request), token);
}

/** Whether a path belongs to the JSON API. */
export function isApiPath(pathname: string): boolean {
  return pathname === '/health' || pathname === '/health/' || pathname.startsWith('/api/');
}

/** The answer to a request without the token: 401 JSON. */
export function refuseWithoutToken(request: IncomingMessage, response: ServerResponse): void {
  request.resume();
  const error = missingToken();
  send(response, error.status, { error: error.message }, error.headers);
}

function missingToken(): ApiError {
  return new ApiError(401, 'a token is required: send "Authorization: Bearer <token>" or ?token=<token>, as aisle serve printed it', { 'WWW-Authenticate': 'Bearer' });
}

/** The request handler of the API over a notebook that has run. */
export function apiHandler(api: NotebookApi, token: string, log: (line: string) => void = () => {}) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    void answer(api, token, request).then(
      ({ status, body, headers }) => send(response, status, body, headers),
      (error: unknown) => {
        if (error instanceof ApiError) return send(response, error.status, { error: error.message }, error.headers);
        log(`error ${request.method} ${request.url?.split('?')[0]}: ${messageOf(error)}`);
        send(response, 500, { error: `the server failed: ${messageOf(error)}` });
      },
    );
  };
}

interface Answer {
  readonly status: number;
  readonly body: JsonValue;
  readonly headers?: Readonly<Record<string, string>>;
}

async function answer(api: NotebookApi, token: string, request: IncomingMessage): Promise<Answer> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (!hasToken(request, url, token)) {
    request.resume();
    throw missingToken();
  }
  const route = routeOf(request.method ?? 'GET', url.pathname);
  switch (route.kind) {
    case 'health':
      return { status: 200, body: api.health() };
    case 'openapi':
      return { status: 200, body: api.openApi() };
    case 'table': {
      const result = await api.lookup(route.cell, url.searchParams);
      return { status: 200, body: { cell: result.cell, rows: result.rows } };
    }
    case 'run': {
      const result = await api.run(route.cell, await jsonBody(request), url.searchParams);
      return { status: 200, body: { cell: result.cell, inputs: result.inputs, rowCount: result.rowCount, rows: result.rows } };
    }
    default:
      return assertNever(route);
  }
}

/** The request's JSON body; undefined when it is empty. */
async function jsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, `the body is over ${MAX_BODY_BYTES / 1024} KB; send only input values`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiError(400, `the body is not JSON: ${messageOf(error)}`);
  }
}

function send(response: ServerResponse, status: number, body: JsonValue, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  response.end(response.req.method === 'HEAD' ? undefined : text);
}
