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

  it('plain notebook text is markdown, even with a JSON-looking line after its start', () => {
    expect(readImported('# Notes\n{ not json').kind).toBe('markdown');
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

describe('damaged envelopes and bundles', () => {
  const FAST = { iterations: 1000, minIterations: 1000 } as const;
  const NOTEBOOK = '---\naisle: 1\ntitle: Christmas baskets\n---\n\n# Best sellers\n';

  /** Ways a file gets damaged in transit or by hand: each leaves text that no longer parses as JSON. */
  function tampers(text: string): [string, string][] {
    const at = (fraction: number) => Math.floor(text.length * fraction);
    const firstQuote = text.indexOf('"');
    const firstColon = text.indexOf(':');
    const lastBrace = text.lastIndexOf('}');
    return [
      ['{ flipped to [', `[${text.slice(1)}`],
      ['last } flipped to ]', `${text.slice(0, lastBrace)}]${text.slice(lastBrace + 1)}`],
      ['cut at 5%', text.slice(0, at(0.05))],
      ['cut at half', text.slice(0, at(0.5))],
      ['cut at 90%', text.slice(0, at(0.9))],
      ['last 3 bytes cut', text.slice(0, -3)],
      ['first { deleted', text.slice(1)],
      ['first quote deleted', text.slice(0, firstQuote) + text.slice(firstQuote + 1)],
      ['a colon made an equals sign', `${text.slice(0, firstColon)}=${text.slice(firstColon + 1)}`],
      ['a NUL byte inserted in the middle', `${text.slice(0, at(0.5))}\u0000${text.slice(at(0.5))}`],
      ['a comma deleted', text.replace(',', '')],
      ['junk appended', `${text}}}`],
      ['first byte replaced by x', `x${text.slice(1)}`],
    ];
  }

  it('every tamper of a locked notebook that breaks its JSON is refused as damaged, with or without the file name', async () => {
    const envelope = await seal(new TextEncoder().encode(NOTEBOOK), 'a passphrase', FAST);
    const text = envelopeToText(envelope);
    expect(readImported(text, 'baskets.aisle-locked').kind).toBe('envelope');
    for (const [tamper, damaged] of tampers(text)) {
      expect(() => JSON.parse(damaged), tamper).toThrow();
      expect(() => readImported(damaged, 'baskets.aisle-locked'), tamper).toThrow(
        /^This file looks like a locked Aisle notebook but it is damaged \(.+\)\. Nothing was imported\.$/,
      );
      expect(() => readImported(damaged, 'baskets.aisle-locked'), 'the message quotes none of the file').not.toThrow(envelope.ciphertext.slice(0, 12));
      for (const fileName of ['renamed.md', undefined]) {
        // By shape alone a stub cut before the format tag can only be called an Aisle file.
        expect(() => readImported(damaged, fileName), `${tamper} (${fileName})`).toThrow(
          /^This file looks like (a locked Aisle notebook|an Aisle notebook file) but it is damaged \(.+\)\. Nothing was imported\.$/,
        );
      }
    }
  });

  it('every tamper of a bundle that breaks its JSON is refused as damaged', () => {
    const text = writeBundle({ text: NOTEBOOK, tables: { sales: Uint8Array.from([80, 65, 82, 49]) } });
    expect(readImported(text, 'baskets.aisle').kind).toBe('bundle');
    for (const [tamper, damaged] of tampers(text)) {
      expect(() => readImported(damaged, 'baskets.aisle'), tamper).toThrow(/^This file looks like an Aisle notebook with data \(\.aisle\) but it is damaged/);
      expect(() => readImported(damaged), tamper).toThrow(/^This file looks like (an Aisle notebook with data \(\.aisle\)|an Aisle notebook file) but it is damaged/);
    }
  });

  it('a file named .aisle-locked must be an envelope: notebook text, an empty file or a JSON array under that name is refused', () => {
    expect(() => readImported(NOTEBOOK, 'baskets.aisle-locked')).toThrow(/locked Aisle notebook but it is damaged \(its text is not valid JSON/);
    expect(() => readImported('', 'baskets.AISLE-LOCKED')).toThrow(/locked Aisle notebook but it is damaged \(the file is empty\)/);
    expect(() => readImported('{"format": "aisle-envelope", "v": 1, "kdf": {', 'baskets.aisle-locked')).toThrow(/\(its text is not valid JSON: it ends too early, after 45 characters\)/);
    expect(() => readImported('[1, 2]', 'baskets.aisle-locked')).toThrow(/damaged \(expected a JSON object, found an array\)/);
    expect(() => readImported(NOTEBOOK, 'baskets.aisle')).toThrow(/notebook with data \(\.aisle\) but it is damaged/);
  });

  it('text opening with a brace that is not JSON is refused, never read as a notebook', () => {
    expect(() => readImported('{ not json at all')).toThrow(/^This file looks like an Aisle notebook file but it is damaged/);
  });

  it('notebook text stays notebook text: front matter, a leading link, or a mention of the envelope format', () => {
    const mention = `${NOTEBOOK}\nExports look like {"format": "aisle-envelope", …}.\n`;
    for (const [text, fileName] of [
      [NOTEBOOK, 'baskets.md'],
      [NOTEBOOK, undefined],
      ['[Read me first](https://example.org) then the cells.\n', 'notes.md'],
      [mention, 'baskets.md'],
    ] as const) {
      expect(readImported(text, fileName)).toEqual({ kind: 'markdown', text });
    }
  });
});
