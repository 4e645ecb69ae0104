/**
 * Just enough of a 2D canvas for Observable Plot's continuous colour legend, which fills a 256×1 canvas pixel by pixel
 * and embeds it as a PNG (plot/src/legends/ramp.js). jsdom has no canvas without the native `canvas` package, which
 * downloads a prebuilt binary when installed; this one keeps RGBA bytes and encodes them with node:zlib.
 */
import { deflateSync } from 'node:zlib';

interface CanvasWindow {
  readonly HTMLCanvasElement: typeof HTMLCanvasElement;
}

/** Colour fills on the canvases of this window (a jsdom window; the global one is never touched). */
export function installPixelCanvas(window: CanvasWindow): void {
  const pixels = new WeakMap<HTMLCanvasElement, Uint8Array>();
  const pixelsOf = (canvas: HTMLCanvasElement): Uint8Array => {
    const size = canvas.width * canvas.height * 4;
    let bytes = pixels.get(canvas);
    if (bytes?.length !== size) pixels.set(canvas, (bytes = new Uint8Array(size)));
    return bytes;
  };
  const prototype = window.HTMLCanvasElement.prototype;
  Object.defineProperty(prototype, 'getContext', {
    configurable: true,
    value(this: HTMLCanvasElement, kind: string) {
      return kind === '2d' ? fillingContext(this, pixelsOf) : null;
    },
  });
  Object.defineProperty(prototype, 'toDataURL', {
    configurable: true,
    value(this: HTMLCanvasElement, type = 'image/png') {
      if (type !== 'image/png') throw new Error(`this canvas encodes PNG only, not ${type}`);
      return `data:image/png;base64,${encodePng(this.width, this.height, pixelsOf(this)).toString('base64')}`;
    },
  });
}

/** A context that knows `fillStyle` and `fillRect`; anything else Plot might call is missing, and fails loudly. */
function fillingContext(canvas: HTMLCanvasElement, pixelsOf: (canvas: HTMLCanvasElement) => Uint8Array) {
  let fill: readonly [number, number, number, number] = [0, 0, 0, 255];
  let fillStyle = '#000000';
  return {
    canvas,
    get fillStyle() {
      return fillStyle;
    },
    set fillStyle(value: string) {
      fill = parseColor(value);
      fillStyle = value;
    },
    fillRect(x: number, y: number, width: number, height: number) {
      const bytes = pixelsOf(canvas);
      const [left, right] = [Math.max(0, Math.round(x)), Math.min(canvas.width, Math.round(x + width))];
      const [top, bottom] = [Math.max(0, Math.round(y)), Math.min(canvas.height, Math.round(y + height))];
      for (let row = top; row < bottom; row += 1) {
        for (let column = left; column < right; column += 1) bytes.set(fill, (row * canvas.width + column) * 4);
      }
    },
  };
}

/**
 * `#rgb`, `#rrggbb`, `rgb(r, g, b)` and `rgba(r, g, b, a)` — what d3's interpolators hand Plot — as RGBA bytes.
 * `parseColor('rgb(247, 252, 245)')` → `[247, 252, 245, 255]`
 */
export function parseColor(text: string): [number, number, number, number] {
  const value = text.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(value)?.[1];
  if (hex !== undefined) {
    const digits = hex.length === 3 ? [...hex].map((digit) => digit + digit) : [hex.slice(0, 2), hex.slice(2, 4), hex.slice(4, 6)];
    const [red, green, blue] = digits.map((pair) => parseInt(pair, 16)) as [number, number, number];
    return [red, green, blue, 255];
  }
  const functional = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$/.exec(value);
  if (functional) {
    const [red, green, blue] = functional.slice(1, 4).map((channel) => clampByte(Number(channel))) as [number, number, number];
    const alpha = functional[4] === undefined ? 255 : clampByte(Number(functional[4]) * 255);
    return [red, green, blue, alpha];
  }
  throw new Error(`the legend canvas cannot read the colour ${JSON.stringify(text)} (it reads #hex, rgb() and rgba())`);
}

function clampByte(value: number): number {
  return Math.min(255, Math.max(0, Math.round(value)));
}

/** RGBA bytes as a PNG file: 8-bit truecolour with alpha, every row unfiltered (https://www.w3.org/TR/png/). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const rows = Buffer.alloc(height * (width * 4 + 1));
  for (let row = 0; row < height; row += 1) {
    // Each row starts with its filter type, 0 = none.
    rows.set(rgba.subarray(row * width * 4, (row + 1) * width * 4), row * (width * 4 + 1) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, adaptive filtering, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, byte) => {
  let value = byte;
  for (let bit = 0; bit < 8; bit += 1) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
  return value >>> 0;
});

/** CRC-32 as PNG chunks use it (zlib.crc32 is Node ≥ 20.15 only). */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
