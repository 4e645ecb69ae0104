import { base64ToBytes, bytesToBase64 } from '../util/base64.ts';
import { messageOf } from '../util/errors.ts';

/** A notebook with its data: the text plus each table as Parquet, in one JSON file (`.aisle`). */
export interface NotebookBundle {
  readonly text: string;
  readonly tables: Readonly<Record<string, Uint8Array>>;
}

const BUNDLE_FORMAT = 'aisle-bundle';

/** Write a bundle: `{ "format": "aisle-bundle", "v": 1, "notebook": "…", "tables": { "sales": "<base64 Parquet>" } }`. */
export function writeBundle(bundle: NotebookBundle): string {
  const tables = Object.fromEntries(Object.entries(bundle.tables).map(([name, bytes]) => [name, bytesToBase64(bytes)]));
  return JSON.stringify({ format: BUNDLE_FORMAT, v: 1, notebook: bundle.text, tables });
}

/** What an imported file holds, told apart by its content (never by running it). */
export type ImportedFile =
  | { readonly kind: 'markdown'; readonly text: string }
  | { readonly kind: 'bundle'; readonly bundle: NotebookBundle }
  | { readonly kind: 'envelope'; readonly envelope: unknown };

/**
 * Recognise a notebook file: an encrypted envelope, a bundle with data, or plain notebook text. A file named
 * `.aisle-locked` or `.aisle`, or whose text is shaped like one (it opens with a brace, or carries the envelope's
 * or bundle's fields or format tag at its start), must parse as one: if it does not, it is refused as damaged rather than read
 * as notebook text. `readImported(await file.text(), file.name)`.
 */
export function readImported(text: string, fileName?: string): ImportedFile {
  const trimmed = text.trimStart();
  const container = expectedContainer(trimmed, fileName);
  if (!container) return { kind: 'markdown', text };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    throw damaged(container, trimmed.length === 0 ? 'the file is empty' : `its text is not valid JSON${whereBroken(error, trimmed.length)}`);
  }
  if ((typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw damaged(container, `expected a JSON object, found ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  const record = value as Record<string, unknown>;
  // Told apart by its format tag only; opening it checks every field (and refuses weak key settings).
  if (record.format === 'aisle-envelope') return { kind: 'envelope', envelope: value };
  if (record.format !== BUNDLE_FORMAT) throw new Error('this JSON file is neither an Aisle notebook bundle nor an encrypted notebook');
  if (record.v !== 1) throw new Error(`this bundle is version ${String(record.v)}; this Aisle reads version 1`);
  if (typeof record.notebook !== 'string') throw new Error('the bundle has no "notebook" text');
  const tables: Record<string, Uint8Array> = {};
  for (const [name, encoded] of Object.entries((record.tables as Record<string, unknown> | undefined) ?? {})) {
    if (typeof encoded !== 'string') throw new Error(`table "${name}" in the bundle is not base64 text`);
    tables[name] = base64ToBytes(encoded);
  }
  return { kind: 'bundle', bundle: { text: record.notebook, tables } };
}

type Container = 'envelope' | 'bundle' | 'file';

/** The fields an envelope or a bundle opens with, and its format tag (looked for even after damaged leading text). */
const CONTAINER_FIELDS = /"(?:format|v|kdf|cipher|ciphertext|notebook|tables)"\s*:/;
const FORMAT_TAG = /"format"\s*:\s*"aisle-(envelope|bundle)"/;
/** How far into the text the shape is looked for: both containers write their format tag first. */
const HEAD = 200;

/**
 * Which container the file must be, by its name or its shape; undefined for notebook text. Text opening with a
 * brace is never notebook text (a notebook opens with front matter or prose), so a broken one is damaged.
 */
function expectedContainer(trimmed: string, fileName: string | undefined): Container | undefined {
  const name = fileName?.toLowerCase() ?? '';
  if (name.endsWith('.aisle-locked')) return 'envelope';
  if (name.endsWith('.aisle')) return 'bundle';
  if (trimmed.startsWith('---')) return undefined;
  const head = trimmed.slice(0, HEAD);
  const tag = FORMAT_TAG.exec(head)?.[1];
  if (tag === 'envelope' || tag === 'bundle') return tag;
  if (head.startsWith('{') || (/^[["]/.test(head) && CONTAINER_FIELDS.test(head))) return head.includes('"ciphertext"') ? 'envelope' : 'file';
  return undefined;
}

/** Where JSON.parse stopped, from the engine's message (V8 and Firefox name a position); never the file's text. */
function whereBroken(error: unknown, length: number): string {
  const message = messageOf(error);
  if (/unexpected end/i.test(message)) return `: it ends too early, after ${length} characters`;
  const position = Number(/position (\d+)/.exec(message)?.[1] ?? NaN);
  if (position >= length) return `: it ends too early, after ${length} characters`;
  return Number.isNaN(position) ? '' : `: it breaks at character ${position + 1} of ${length}`;
}

function damaged(container: Container, reason: string): Error {
  const what =
    container === 'envelope' ? 'a locked Aisle notebook' : container === 'bundle' ? 'an Aisle notebook with data (.aisle)' : 'an Aisle notebook file';
  return new Error(`This file looks like ${what} but it is damaged (${reason}). Nothing was imported.`);
}
