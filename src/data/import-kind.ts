import { contentProblem } from './file-problems.ts';
import { isGzip } from './text-dialect.ts';
import { detectEncoding } from './text-encoding.ts';

/**
 * Which import sheet a file gets, from its name and first bytes: `text` (delimited text, any extension, gzip
 * too), `excel` (an .xlsx workbook), `json` (by its extension, as the importer routes it), or `direct` (Parquet, or bytes that are no text: loaded straight away, so the
 * importer's own message names the problem).
 * `importKind('u.data', bytes('196\t242\t3\n'))` → `'text'`.
 */
export type ImportKind = 'text' | 'excel' | 'json' | 'direct';

const startsWith = (bytes: Uint8Array, prefix: readonly number[]): boolean => prefix.every((byte, i) => bytes[i] === byte);

export function importKind(fileName: string, head: Uint8Array): ImportKind {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  if (extension === 'json' || extension === 'ndjson' || extension === 'jsonl') return 'json';
  if (extension === 'parquet' || extension === 'pq' || startsWith(head, [0x50, 0x41, 0x52, 0x31])) return 'direct';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return extension === 'xlsx' || extension === 'xlsm' ? 'excel' : 'direct';
  if (isGzip(head)) return 'text';
  const encoding = detectEncoding(head);
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return 'text';
  return contentProblem(fileName, head) === null ? 'text' : 'direct';
}
