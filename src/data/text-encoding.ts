/**
 * Which character encoding a text file is in, and decoding it with the first undecodable bytes named.
 * Pure: TextDecoder is the only platform API used (Node and browsers both carry windows-1252 and UTF-16).
 */

/** The encodings a text file can be read in. Latin-1 is read as windows-1252, its superset (as browsers do). */
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export const TEXT_ENCODINGS: readonly TextEncoding[] = ['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1252'];

/** How an encoding is called to a person. */
export function encodingLabel(encoding: TextEncoding): string {
  switch (encoding) {
    case 'utf-8':
      return 'UTF-8';
    case 'utf-8-bom':
      return 'UTF-8 with BOM';
    case 'utf-16le':
      return 'UTF-16 LE';
    case 'utf-16be':
      return 'UTF-16 BE';
    case 'windows-1252':
      return 'Latin-1 (Windows-1252)';
  }
}

/**
 * An encoding from what people type: `parseEncoding('latin1')` → `'windows-1252'`, `parseEncoding('UTF8')` → `'utf-8'`;
 * null when unknown.
 */
export function parseEncoding(text: string): TextEncoding | null {
  const key = text.trim().toLowerCase().replace(/[\s_]/g, '-');
  switch (key) {
    case 'utf-8':
    case 'utf8':
      return 'utf-8';
    case 'utf-8-bom':
    case 'utf8-bom':
    case 'utf-8-sig':
    case 'utf8bom':
      return 'utf-8-bom';
    case 'utf-16le':
    case 'utf16le':
    case 'utf-16-le':
    case 'utf-16':
    case 'utf16':
      return 'utf-16le';
    case 'utf-16be':
    case 'utf16be':
    case 'utf-16-be':
      return 'utf-16be';
    case 'latin1':
    case 'latin-1':
    case 'iso-8859-1':
    case 'iso8859-1':
    case 'windows-1252':
    case 'cp1252':
    case 'win1252':
      return 'windows-1252';
    default:
      return null;
  }
}

/**
 * Windows-1252's characters for bytes 0x80–0x9F (where it differs from ISO-8859-1); the five bytes it leaves
 * undefined keep their C1 code, as the WHATWG decoder does. Node's TextDecoder decodes `windows-1252` as ISO-8859-1
 * (nodejs/node#56542), so the table is applied to its output, which makes browsers and Node agree.
 */
const WINDOWS_1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/** Text from a windows-1252 decoder, with 0x80–0x9F as Windows-1252 has them whatever the platform did. */
export function fixWindows1252(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (char) => WINDOWS_1252_HIGH[char.charCodeAt(0) - 0x80] as string);
}

/** The WHATWG label TextDecoder knows the encoding by. */
export function decoderLabel(encoding: TextEncoding): string {
  return encoding === 'utf-8-bom' ? 'utf-8' : encoding;
}

const startsWith = (bytes: Uint8Array, prefix: readonly number[]): boolean => prefix.every((byte, i) => bytes[i] === byte);

/** The byte-order mark the encoding's files start with, which the reader skips. */
export function byteOrderMark(encoding: TextEncoding): readonly number[] {
  switch (encoding) {
    case 'utf-8-bom':
      return [0xef, 0xbb, 0xbf];
    case 'utf-16le':
      return [0xff, 0xfe];
    case 'utf-16be':
      return [0xfe, 0xff];
    case 'utf-8':
    case 'windows-1252':
      return [];
  }
}

/**
 * Where the bytes stop being UTF-8: the offset of the first byte that starts no valid sequence, or -1.
 * With `truncated`, a sequence cut off by the end of `bytes` (a file's head) is not an error.
 * `invalidUtf8Offset(Uint8Array.of(0x63, 0x61, 0x66, 0xe9))` → 3.
 */
export function invalidUtf8Offset(bytes: Uint8Array, truncated = false): number {
  // The platform's strict decoder answers "is it valid" many times faster; the scan below only finds where it is not.
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: truncated });
    return -1;
  } catch {
    // Not valid: find the offset.
  }
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let min: number;
    if (lead >= 0xc2 && lead <= 0xdf) [length, min] = [2, 0x80];
    else if (lead >= 0xe0 && lead <= 0xef) [length, min] = [3, 0x800];
    else if (lead >= 0xf0 && lead <= 0xf4) [length, min] = [4, 0x10000];
    else return i;
    if (i + length > bytes.length) {
      for (let j = i + 1; j < bytes.length; j++) if (((bytes[j] as number) & 0xc0) !== 0x80) return i;
      return truncated ? -1 : i;
    }
    let code = lead & (0xff >> (length + 1));
    for (let j = 1; j < length; j++) {
      const next = bytes[i + j] as number;
      if ((next & 0xc0) !== 0x80) return i;
      code = (code << 6) | (next & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += length;
  }
  return -1;
}

/**
 * The encoding a file's first bytes show: a BOM names it; UTF-16 without a BOM shows as zero bytes in every
 * other position; bytes that are not valid UTF-8 are read as windows-1252 (Latin-1), where every byte is a character.
 */
export function detectEncoding(head: Uint8Array, truncated = true): TextEncoding {
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return 'utf-8-bom';
  if (startsWith(head, [0xff, 0xfe])) return 'utf-16le';
  if (startsWith(head, [0xfe, 0xff])) return 'utf-16be';
  const sample = head.subarray(0, Math.min(head.length, 4096) & ~1);
  if (sample.length >= 4) {
    let evenZeros = 0;
    let oddZeros = 0;
    for (let i = 0; i < sample.length; i += 2) {
      if (sample[i] === 0) evenZeros++;
      if (sample[i + 1] === 0) oddZeros++;
    }
    const pairs = sample.length / 2;
    // ASCII text in UTF-16: the high byte of nearly every code unit is zero, the low byte almost never.
    if (oddZeros / pairs > 0.4 && evenZeros / pairs < 0.05) return 'utf-16le';
    if (evenZeros / pairs > 0.4 && oddZeros / pairs < 0.05) return 'utf-16be';
  }
  return invalidUtf8Offset(head, truncated) === -1 ? 'utf-8' : 'windows-1252';
}

/** Bytes that do not decode in the chosen encoding, where they are, and the line they are on. */
export class EncodingError extends Error {
  override readonly name = 'EncodingError';
  constructor(
    readonly encoding: TextEncoding,
    /** Byte offset of the first undecodable byte, from the start of the file. */
    readonly offset: number,
    /** The undecodable bytes and up to three after them. */
    readonly bytes: readonly number[],
    /** 1-based line of the offset. */
    readonly line: number,
  ) {
    super(
      `bytes ${hexBytes(bytes)} at offset ${offset.toLocaleString('en-US')} (line ${line.toLocaleString('en-US')}) do not decode as ${encodingLabel(encoding)}`,
    );
  }
}

/** `hexBytes([0xe9, 0x0a])` → `'E9 0A'`. */
export function hexBytes(bytes: readonly number[]): string {
  return bytes.map((byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

/** 1-based line number of a byte offset (counts LF bytes before it; UTF-16 counts LF code units). */
function lineAt(bytes: Uint8Array, offset: number, encoding: TextEncoding): number {
  let line = 1;
  const wide = encoding === 'utf-16le' || encoding === 'utf-16be';
  for (let i = 0; i < offset && i < bytes.length; i += wide ? 2 : 1) {
    const unit = encoding === 'utf-16le' ? (bytes[i] as number) | ((bytes[i + 1] ?? 0) << 8) : encoding === 'utf-16be' ? ((bytes[i] as number) << 8) | (bytes[i + 1] ?? 0) : (bytes[i] as number);
    if (unit === 0x0a) line++;
  }
  return line;
}

/** The first undecodable position in `bytes` for the encoding, or -1 (windows-1252 decodes every byte). */
export function invalidOffset(bytes: Uint8Array, encoding: TextEncoding, truncated = false): number {
  switch (encoding) {
    case 'utf-8':
    case 'utf-8-bom':
      return invalidUtf8Offset(bytes, truncated);
    case 'windows-1252':
      return -1;
    case 'utf-16le':
    case 'utf-16be':
      return invalidUtf16Offset(bytes, encoding === 'utf-16le', truncated);
  }
}

function invalidUtf16Offset(bytes: Uint8Array, littleEndian: boolean, truncated: boolean): number {
  const unit = (i: number) => (littleEndian ? (bytes[i] as number) | ((bytes[i + 1] as number) << 8) : ((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  const end = bytes.length & ~1;
  for (let i = 0; i < end; i += 2) {
    const code = unit(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      if (i + 2 >= end) return truncated ? -1 : i;
      const low = unit(i + 2);
      if (low < 0xdc00 || low > 0xdfff) return i;
      i += 2;
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      return i;
    }
  }
  return bytes.length % 2 === 1 && !truncated ? bytes.length - 1 : -1;
}

/**
 * Decode bytes in the encoding, skipping its BOM. `strict` throws an EncodingError naming the first bytes that
 * do not decode; otherwise they become U+FFFD. `truncated`: the bytes are a head cut anywhere (a sequence cut
 * at the end is dropped, not an error). `decodeText(Uint8Array.of(0x63, 0x61, 0x66, 0xe9), 'windows-1252')` → `'café'`.
 */
export function decodeText(bytes: Uint8Array, encoding: TextEncoding, options: { strict?: boolean; truncated?: boolean; baseOffset?: number } = {}): string {
  const bom = byteOrderMark(encoding);
  const body = startsWith(bytes, bom) ? bytes.subarray(bom.length) : bytes;
  if (options.strict) {
    const offset = invalidOffset(body, encoding, options.truncated);
    if (offset !== -1) {
      const start = offset + (body === bytes ? 0 : bom.length);
      throw new EncodingError(encoding, start + (options.baseOffset ?? 0), Array.from(bytes.subarray(start, start + 4)), lineAt(bytes, start, encoding));
    }
  }
  const decoder = new TextDecoder(decoderLabel(encoding), { ignoreBOM: true });
  const text = options.truncated ? decoder.decode(body, { stream: true }) : decoder.decode(body);
  return encoding === 'windows-1252' ? fixWindows1252(text) : text;
}
