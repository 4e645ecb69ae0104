/**
 * Rewriting a text file into what DuckDB's CSV reader takes: UTF-8, uncompressed, one-character delimiters.
 * Pure and streaming (chunk in, chunk out); the browser runs it in a worker, never on the page's thread.
 */
import { Gunzip } from 'fflate';
import { byteOrderMark, decoderLabel, fixWindows1252, invalidOffset, type TextEncoding } from './text-encoding.ts';

export interface TranscodeRequest {
  readonly encoding: TextEncoding;
  readonly gzip: boolean;
  /** Rewrite each run of spaces and tabs outside quotes as one tab, and drop them at both ends of a line. */
  readonly whitespaceToTab: boolean;
  /** The quote character inside which whitespace is kept; '' for none. */
  readonly quote: string;
}

/** The UTF-8 bytes, or where the input stopped decoding (as data, so it crosses a worker boundary intact). */
export type TranscodeResult =
  | { readonly kind: 'ok'; readonly bytes: Uint8Array }
  | { readonly kind: 'undecodable'; readonly encoding: TextEncoding; readonly offset: number; readonly bytes: readonly number[]; readonly line: number };

/** Rewrites runs of whitespace to single tabs, across chunk boundaries. */
class WhitespaceToTab {
  private quoted = false;
  private pendingGap = false;
  private lineStart = true;
  constructor(private readonly quote: string) {}

  push(text: string): string {
    let out = '';
    for (const char of text) {
      if (this.quoted) {
        out += char;
        if (char === this.quote) this.quoted = false;
        continue;
      }
      if (char === ' ' || char === '\t') {
        if (!this.lineStart) this.pendingGap = true;
        continue;
      }
      if (char === '\n' || char === '\r') {
        this.pendingGap = false;
        this.lineStart = true;
        out += char;
        continue;
      }
      if (this.pendingGap) out += '\t';
      this.pendingGap = false;
      this.lineStart = false;
      if (char === this.quote && this.quote !== '') this.quoted = true;
      out += char;
    }
    return out;
  }
}

/** Line feeds in the bytes (code units for UTF-16), to say on which line an undecodable byte is. */
function countLines(bytes: Uint8Array, encoding: TextEncoding): number {
  let lines = 0;
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    const low = encoding === 'utf-16le' ? 0 : 1;
    for (let i = 0; i + 1 < bytes.length; i += 2) if (bytes[i + low] === 0x0a && bytes[i + 1 - low] === 0) lines++;
  } else {
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) lines++;
  }
  return lines;
}

/** How many bytes at the end start a character the next chunk finishes. */
function incompleteTail(bytes: Uint8Array, encoding: TextEncoding): number {
  switch (encoding) {
    case 'windows-1252':
      return 0;
    case 'utf-8':
    case 'utf-8-bom':
      for (let back = 1; back <= Math.min(3, bytes.length); back++) {
        const byte = bytes[bytes.length - back] as number;
        if ((byte & 0xc0) === 0x80) continue;
        const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
        return needed > back ? back : 0;
      }
      return 0;
    case 'utf-16le':
    case 'utf-16be': {
      const odd = bytes.length % 2;
      const end = bytes.length - odd;
      if (end < 2) return odd;
      const unit = encoding === 'utf-16le' ? (bytes[end - 2] as number) | ((bytes[end - 1] as number) << 8) : ((bytes[end - 2] as number) << 8) | (bytes[end - 1] as number);
      return unit >= 0xd800 && unit <= 0xdbff ? odd + 2 : odd;
    }
  }
}

/**
 * The file's text as UTF-8 bytes: gunzipped, decoded from `encoding` (strictly: the first undecodable bytes are
 * reported with their offset and line), whitespace runs turned into tabs when asked. A UTF-8 BOM is dropped.
 */
export async function transcode(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, request: TranscodeRequest): Promise<TranscodeResult> {
  const decoder = new TextDecoder(decoderLabel(request.encoding), { ignoreBOM: false });
  const encoder = new TextEncoder();
  const rewrite = request.whitespaceToTab ? new WhitespaceToTab(request.quote) : null;
  const out: Uint8Array[] = [];
  let outLength = 0;
  let consumed = 0;
  let lines = 1;
  let carry = new Uint8Array(0);
  let failure: TranscodeResult | null = null;
  const bom = byteOrderMark(request.encoding);

  const emit = (text: string) => {
    const piece = rewrite ? rewrite.push(text) : text;
    if (piece === '') return;
    const bytes = encoder.encode(piece);
    out.push(bytes);
    outLength += bytes.length;
  };
  // Decoded bytes are checked first (with what a previous chunk left unfinished), so a bad byte is found exactly.
  const decodeChunk = (chunk: Uint8Array, final: boolean) => {
    if (failure) return;
    const joined = carry.length === 0 ? chunk : concat(carry, chunk);
    const start = consumed - carry.length;
    const tail = final ? 0 : incompleteTail(joined, request.encoding);
    const bytes = joined.subarray(0, joined.length - tail);
    const skip = start === 0 && bom.length > 0 && bom.every((byte, i) => bytes[i] === byte) ? bom.length : 0;
    const bad = invalidOffset(bytes.subarray(skip), request.encoding, false);
    if (bad !== -1) {
      const at = skip + bad;
      const line = lines + countLines(bytes.subarray(0, at), request.encoding);
      failure = { kind: 'undecodable', encoding: request.encoding, offset: start + at, bytes: Array.from(joined.subarray(at, at + 4)), line };
      return;
    }
    lines += countLines(bytes, request.encoding);
    consumed += chunk.length;
    carry = joined.slice(joined.length - tail);
    const text = decoder.decode(bytes, { stream: !final });
    emit(request.encoding === 'windows-1252' ? fixWindows1252(text) : text);
  };

  if (request.gzip) {
    const gunzip = new Gunzip((data, final) => decodeChunk(data, final));
    for await (const chunk of chunks) {
      gunzip.push(chunk, false);
      if (failure) return failure;
    }
    gunzip.push(new Uint8Array(0), true);
  } else {
    let previous: Uint8Array | null = null;
    for await (const chunk of chunks) {
      if (previous) decodeChunk(previous, false);
      if (failure) return failure;
      previous = chunk;
    }
    decodeChunk(previous ?? new Uint8Array(0), true);
  }
  if (failure) return failure;
  const bytes = new Uint8Array(outLength);
  let at = 0;
  for (const piece of out) {
    bytes.set(piece, at);
    at += piece.length;
  }
  return { kind: 'ok', bytes };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
