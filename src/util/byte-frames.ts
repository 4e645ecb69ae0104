/**
 * Several byte arrays and a JSON header in one body, for a model run over HTTP: a 4-byte little-endian header
 * length, the header as UTF-8 JSON (with the parts' names and lengths), then the parts one after another.
 */
export interface FramedParts<Header> {
  readonly header: Header;
  readonly parts: Readonly<Record<string, Uint8Array>>;
}

/** `frameParts({ model: 'rfm' }, { sales: ipc })` → one Uint8Array that `unframeParts` reads back. */
export function frameParts<Header>(header: Header, parts: Readonly<Record<string, Uint8Array>>): Uint8Array {
  const entries = Object.entries(parts);
  const headerBytes = new TextEncoder().encode(JSON.stringify({ header, parts: entries.map(([name, bytes]) => [name, bytes.byteLength]) }));
  const total = 4 + headerBytes.byteLength + entries.reduce((sum, [, bytes]) => sum + bytes.byteLength, 0);
  const body = new Uint8Array(total);
  new DataView(body.buffer).setUint32(0, headerBytes.byteLength, true);
  body.set(headerBytes, 4);
  let offset = 4 + headerBytes.byteLength;
  for (const [, bytes] of entries) {
    body.set(bytes, offset);
    offset += bytes.byteLength;
  }
  return body;
}

/** The header and parts of a framed body; throws naming what is wrong with a malformed one. */
export function unframeParts<Header>(body: Uint8Array): FramedParts<Header> {
  if (body.byteLength < 4) throw new Error('the framed body is shorter than its length field');
  const headerLength = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(0, true);
  if (4 + headerLength > body.byteLength) throw new Error('the framed body is shorter than its header');
  const { header, parts } = JSON.parse(new TextDecoder().decode(body.subarray(4, 4 + headerLength))) as { header: Header; parts: [string, number][] };
  const result: Record<string, Uint8Array> = {};
  let offset = 4 + headerLength;
  for (const [name, length] of parts) {
    if (offset + length > body.byteLength) throw new Error(`the framed body ends inside part ${name}`);
    result[name] = body.slice(offset, offset + length);
    offset += length;
  }
  return { header, parts: result };
}
