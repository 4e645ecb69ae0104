import { describe, expect, it } from 'vitest';
import { readImported, writeBundle } from '../../../src/format/bundle.ts';
import { envelopeToText, seal } from '../../../src/store/crypto.ts';

describe('notebook files', () => {
  it('a bundle carries the notebook text and each table as bytes, and reads back the same', () => {
    const tables = { sales: Uint8Array.from([80, 65, 82, 49, 0, 255]), empty: new Uint8Array() };
    const text = writeBundle({ text: '---\naisle: 1\n---\n\n# Hi\n', tables });
    const imported = readImported(text);
    expect(imported.kind).toBe('bundle');
    if (imported.kind !== 'bundle') return;
    expect(imported.bundle.text).toBe('---\naisle: 1\n---\n\n# Hi\n');
    expect([...imported.bundle.tables.sales!]).toEqual([80, 65, 82, 49, 0, 255]);
    expect(imported.bundle.tables.empty?.length).toBe(0);
  });

  it('plain notebook text is markdown, even when it starts with a brace-less JSON-looking line', () => {
    expect(readImported('# Notes\n{ not json').kind).toBe('markdown');
    expect(readImported('{ not json at all').kind).toBe('markdown');
  });

  it('an encrypted file is recognised as an envelope without being opened', async () => {
    const envelope = await seal(new TextEncoder().encode('# secret'), 'a passphrase', { iterations: 1000, minIterations: 1000 });
    expect(readImported(envelopeToText(envelope)).kind).toBe('envelope');
  });

  it('other JSON, a newer bundle version or a bad table are refused with a reason', () => {
    expect(() => readImported('{"hello": 1}')).toThrow(/neither an Aisle notebook bundle nor an encrypted notebook/);
    expect(() => readImported('{"format": "aisle-bundle", "v": 2, "notebook": ""}')).toThrow(/version 2/);
    expect(() => readImported('{"format": "aisle-bundle", "v": 1, "notebook": "x", "tables": {"t": 5}}')).toThrow(/table "t"/);
  });
});
