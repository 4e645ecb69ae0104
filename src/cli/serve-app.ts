/**
 * The built app served by `aisle serve`: static files from dist/, with `index.html` carrying a
 * `<meta name="aisle-server">` tag that tells the app to use the server's engine. The token arrives once in the
 * URL and is kept in an HttpOnly, SameSite=Strict cookie, so the page's own requests (scripts, data, `/db/…`) carry it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { sendJson } from './serve-remote.ts';
import type { DialectName } from '../util/dialect/index.ts';

export const TOKEN_COOKIE = 'aisle_token';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.parquet': 'application/octet-stream',
  '.csv': 'text/csv; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** What the page is told about the server's engine. */
export interface ServedEngine {
  /** `DuckDB 1.4.3 native, 2 threads`, shown in the header. */
  readonly label: string;
  /** Native DuckDB reads Parquet from the file the page sends; WASM takes it as Arrow row groups. */
  readonly native: boolean;
  /** Native DuckDB in memory keeps the Parquet file the page sends and reads it in place (`Database.keepFile`). */
  readonly inPlace?: boolean;
  /** The dialect the page writes its own SQL in; DuckDB's when absent. */
  readonly dialect?: DialectName;
  /** Set when the engine reads its tables from a catalog (Trino) and takes no file: the notebook tables bound there. */
  readonly catalogTables?: readonly string[];
}

/** The tag the app looks for at start: the engine it runs on, as JSON (escaped for an attribute). */
export function serverMetaTag(engine: ServedEngine): string {
  const content = JSON.stringify({ engine: engine.label, native: engine.native, inPlace: engine.inPlace, dialect: engine.dialect, catalogTables: engine.catalogTables }).replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
  return `<meta name="aisle-server" content="${content}" />`;
}

/** `index.html` with the server's tag at the top of its head. */
export function withServerMeta(html: string, engine: ServedEngine): string {
  return html.replace(/<head>/i, (head) => `${head}\n    ${serverMetaTag(engine)}`);
}

/** The token from the request's cookie, if any. */
export function cookieToken(request: IncomingMessage): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/** Answer `GET /?token=…` (a valid token) by keeping it in the cookie and sending the page to `/` without it. */
export function acceptToken(response: ServerResponse, url: URL, token: string): void {
  url.searchParams.delete('token');
  response.writeHead(302, {
    'Set-Cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
    Location: `${url.pathname}${url.search}`,
    'Cache-Control': 'no-store',
  });
  response.end();
}

/** Serve a file of the built app; `index.html` for `/`, with the server's tag. */
export async function serveStatic(distDir: string, engine: ServedEngine, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendJson(response, 405, { error: `${request.method} is not allowed here` });
    return;
  }
  let relative: string;
  try {
    relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
  } catch {
    sendJson(response, 404, { error: `no such file ${url.pathname}` });
    return;
  }
  const file = normalize(join(distDir, relative));
  if (!file.startsWith(distDir.endsWith(sep) ? distDir : distDir + sep) || !(await stat(file).then((info) => info.isFile(), () => false))) {
    sendJson(response, 404, { error: `no such file ${url.pathname}` });
    return;
  }
  const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const bytes = relative === 'index.html' ? Buffer.from(withServerMeta(await readFile(file, 'utf8'), engine)) : await readFile(file);
  response.writeHead(200, { 'Content-Type': type, 'Content-Length': bytes.byteLength, 'Cache-Control': relative === 'index.html' ? 'no-store' : 'no-cache', 'X-Content-Type-Options': 'nosniff' });
  response.end(request.method === 'HEAD' ? undefined : bytes);
}
