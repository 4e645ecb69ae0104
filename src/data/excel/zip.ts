import { Inflate, inflateSync } from 'fflate';
import { RecordFileError } from '../record-file-error.ts';

/** One file inside a ZIP archive, found through the central directory. */
export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly localHeaderOffset: number;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/**
 * The entries of a ZIP archive held in memory, by lower-case name (OOXML part names are case-insensitive).
 * The whole file is in memory anyway, so reading the central directory gives random access: the sheet can be
 * inflated before the shared strings that follow it in the archive.
 */
export function zipEntries(bytes: Uint8Array, fileName: string): Map<string, ZipEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === END_OF_CENTRAL_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new RecordFileError(`"${fileName}" is not an .xlsx workbook (it is not a ZIP archive, or it is cut short).`);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  if (at === 0xffffffff) throw new RecordFileError(`"${fileName}" is a ZIP64 archive (over 4 GB), which cannot be read here.`);
  const entries = new Map<string, ZipEntry>();
  const names = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL_HEADER) {
      throw new RecordFileError(`"${fileName}" is a damaged ZIP archive (its directory is cut short).`);
    }
    const flags = view.getUint16(at + 8, true);
    const nameLength = view.getUint16(at + 28, true);
    const entry: ZipEntry = {
      name: names.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      localHeaderOffset: view.getUint32(at + 42, true),
    };
    if ((flags & 1) !== 0) throw new RecordFileError(`"${fileName}" is encrypted (password-protected); save an unprotected copy first.`);
    entries.set(entry.name.toLowerCase(), entry);
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}

/** The compressed bytes of an entry, as stored after its local header. */
function compressedBytes(bytes: Uint8Array, entry: ZipEntry, fileName: string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL_HEADER) {
    throw new RecordFileError(`"${fileName}" is a damaged ZIP archive (${entry.name} cannot be found).`);
  }
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (entry.method !== STORED && entry.method !== DEFLATED) {
    throw new RecordFileError(`"${fileName}": ${entry.name} is compressed with method ${entry.method}; only stored and deflated parts can be read.`);
  }
  return bytes.subarray(start, start + entry.compressedSize);
}

/** A whole entry, uncompressed. */
export function entryBytes(bytes: Uint8Array, entry: ZipEntry, fileName: string): Uint8Array {
  const data = compressedBytes(bytes, entry, fileName);
  return entry.method === STORED ? data : inflateSync(data);
}

/** Compressed bytes pushed to the inflater at a time: small enough that the first rows arrive at once. */
const PUSH_BYTES = 256 * 1024;

/**
 * Inflate an entry a piece at a time, handing each piece of text to `onText` as soon as it is out, so a reader
 * can stop early (`onText` returns false) and rows can be shown before the whole part is inflated.
 * `onProgress` gets the fraction of the compressed bytes consumed.
 */
export function streamEntryText(
  bytes: Uint8Array,
  entry: ZipEntry,
  fileName: string,
  onText: (text: string) => boolean,
  onProgress?: (fraction: number) => void,
): void {
  const data = compressedBytes(bytes, entry, fileName);
  const decoder = new TextDecoder();
  let wanted = true;
  const take = (chunk: Uint8Array, final: boolean) => {
    if (!wanted) return;
    const text = decoder.decode(chunk, { stream: !final });
    if (text.length > 0 || final) wanted = onText(text);
  };
  const inflater = entry.method === STORED ? null : new Inflate((chunk, final) => take(chunk, final));
  for (let at = 0; at < data.length && wanted; at += PUSH_BYTES) {
    const piece = data.subarray(at, at + PUSH_BYTES);
    const final = at + PUSH_BYTES >= data.length;
    if (inflater) inflater.push(piece, final);
    else take(piece, final);
    onProgress?.(Math.min(1, (at + piece.length) / data.length));
  }
  if (data.length === 0 && wanted) take(new Uint8Array(0), true);
}
