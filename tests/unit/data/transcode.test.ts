import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { transcode, type TranscodeRequest } from '../../../src/data/transcode.ts';
import { decodeText, detectEncoding, invalidUtf8Offset, parseEncoding } from '../../../src/data/text-encoding.ts';

const plain: TranscodeRequest = { encoding: 'utf-8', gzip: false, whitespaceToTab: false, quote: '"' };
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
/** The bytes cut into chunks of `size`, as a file stream delivers them. */
const chunked = (bytes: Uint8Array, size: number) => Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));

async function ok(chunks: Iterable<Uint8Array>, request: TranscodeRequest): Promise<string> {
  const result = await transcode(chunks, request);
  if (result.kind !== 'ok') throw new Error(`undecodable at ${result.offset}`);
  return text(result.bytes);
}

describe('encodings by their known bytes', () => {
  it("reads 'café' from Latin-1 (63 61 66 E9), UTF-8 (… C3 A9), UTF-16 LE with BOM and UTF-16 BE with BOM", async () => {
    expect(await ok([Uint8Array.of(0x63, 0x61, 0x66, 0xe9)], { ...plain, encoding: 'windows-1252' })).toBe('café');
    expect(await ok([Uint8Array.of(0x63, 0x61, 0x66, 0xc3, 0xa9)], plain)).toBe('café');
    expect(await ok([Uint8Array.of(0xff, 0xfe, 0x63, 0, 0x61, 0, 0x66, 0, 0xe9, 0)], { ...plain, encoding: 'utf-16le' })).toBe('café');
    expect(await ok([Uint8Array.of(0xfe, 0xff, 0, 0x63, 0, 0x61, 0, 0x66, 0, 0xe9)], { ...plain, encoding: 'utf-16be' })).toBe('café');
    expect(await ok([Uint8Array.of(0xef, 0xbb, 0xbf, 0x61)], { ...plain, encoding: 'utf-8-bom' })).toBe('a');
    // Windows-1252, not ISO-8859-1, for 0x80–0x9F: 0x80 is the euro sign.
    expect(decodeText(Uint8Array.of(0x80), 'windows-1252')).toBe('€');
  });

  it('detects each by its bytes', () => {
    expect(detectEncoding(Uint8Array.of(0x63, 0x61, 0x66, 0xe9, 0x0a), false)).toBe('windows-1252');
    expect(detectEncoding(Uint8Array.of(0x63, 0x61, 0x66, 0xc3, 0xa9), false)).toBe('utf-8');
    expect(detectEncoding(Uint8Array.of(0xff, 0xfe, 0x61, 0))).toBe('utf-16le');
    expect(detectEncoding(Uint8Array.of(0xfe, 0xff, 0, 0x61))).toBe('utf-16be');
    expect(detectEncoding(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61))).toBe('utf-8-bom');
    // UTF-16 LE without a BOM: a zero after every ASCII byte.
    expect(detectEncoding(Uint8Array.of(0x61, 0, 0x2c, 0, 0x62, 0, 0x0a, 0))).toBe('utf-16le');
    // A head cut inside a two-byte sequence is still UTF-8; the whole file is not.
    expect(invalidUtf8Offset(Uint8Array.of(0x61, 0xc3), true)).toBe(-1);
    expect(invalidUtf8Offset(Uint8Array.of(0x61, 0xc3), false)).toBe(1);
    expect(parseEncoding('Latin-1')).toBe('windows-1252');
  });

  it('decodes characters cut across chunk boundaries', async () => {
    const utf8 = new TextEncoder().encode('é€😀,x\n'.repeat(50));
    for (const size of [1, 2, 3, 5, 7]) expect(await ok(chunked(utf8, size), plain)).toBe('é€😀,x\n'.repeat(50));
    const units = 'é😀\n'.repeat(20).split('').map((char) => char.charCodeAt(0));
    const le = Uint8Array.from([0xff, 0xfe, ...units.flatMap((unit) => [unit & 0xff, unit >> 8])]);
    for (const size of [1, 3, 5]) expect(await ok(chunked(le, size), { ...plain, encoding: 'utf-16le' })).toBe('é😀\n'.repeat(20));
  });

  it('names the first undecodable bytes, their offset and line, across chunks', async () => {
    const bytes = Uint8Array.of(...new TextEncoder().encode('ab\ncd\n'), 0x63, 0x61, 0x66, 0xe9, 0x20, 0x0a);
    expect(await transcode([bytes], plain)).toEqual({ kind: 'undecodable', encoding: 'utf-8', offset: 9, bytes: [0xe9, 0x20, 0x0a], line: 3 });
    for (const size of [1, 4]) {
      const result = await transcode(chunked(bytes, size), plain);
      expect(result).toMatchObject({ kind: 'undecodable', offset: 9, line: 3, bytes: expect.arrayContaining([0xe9]) });
    }
    // A lone low surrogate in UTF-16 LE (00 DC) at byte 4.
    expect(await transcode([Uint8Array.of(0x61, 0, 0x0a, 0, 0x00, 0xdc)], { ...plain, encoding: 'utf-16le' })).toMatchObject({ kind: 'undecodable', offset: 4, line: 2 });
  });
});

describe('rewriting for DuckDB', () => {
  it('turns runs of spaces and tabs into one tab, outside quotes, across chunks', async () => {
    const source = new TextEncoder().encode('  196  242\t 3 "a  b"\r\n186 302   1 x  \n');
    for (const size of [1, 2, 64]) {
      expect(await ok(chunked(source, size), { ...plain, whitespaceToTab: true })).toBe('196\t242\t3\t"a  b"\r\n186\t302\t1\tx\n');
    }
  });

  it('gunzips, then decodes', async () => {
    const gz = new Uint8Array(gzipSync(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x20, 0x31, 0x0a])));
    expect(await ok(chunked(gz, 5), { encoding: 'windows-1252', gzip: true, whitespaceToTab: true, quote: '"' })).toBe('café\t1\n');
  });
});
