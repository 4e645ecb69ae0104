import { base64ToBytes, bytesToBase64 } from '../store/crypto.ts';

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

/** Recognise a notebook file: an encrypted envelope, a bundle with data, or plain notebook text. */
export function readImported(text: string): ImportedFile {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{')) return { kind: 'markdown', text };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return { kind: 'markdown', text };
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
