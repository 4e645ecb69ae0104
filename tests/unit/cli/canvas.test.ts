import { describe, expect, it } from 'vitest';
import { crc32, inflateSync } from 'node:zlib';
import { JSDOM } from 'jsdom';
import { encodePng, installPixelCanvas, parseColor } from '../../../src/cli/canvas.ts';

describe('parseColor', () => {
  it('reads the colours d3 interpolators produce, and names one it cannot read', () => {
    expect(parseColor('#f7fcf5')).toEqual([247, 252, 245, 255]);
    expect(parseColor('#0af')).toEqual([0, 170, 255, 255]);
    expect(parseColor('rgb(0, 68, 27)')).toEqual([0, 68, 27, 255]);
    expect(parseColor('rgba(255, 0, 0, 0.5)')).toEqual([255, 0, 0, 128]);
    expect(() => parseColor('hsl(120, 50%, 50%)')).toThrow(/cannot read the colour "hsl\(120, 50%, 50%\)"/);
  });
});

describe('encodePng', () => {
  it('writes a PNG whose chunks hold the size and, deflated, each row behind a filter byte', () => {
    const png = encodePng(2, 1, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]]).toEqual([2, 1, 8, 6]);
    // Every chunk ends in the CRC-32 of its type and data; zlib's own crc32 checks ours.
    expect(png.readUInt32BE(29)).toBe(crc32(png.subarray(12, 29)));
    const idat = png.indexOf('IDAT', 0, 'latin1');
    expect([...inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)))]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(png.subarray(-8, -4).toString('latin1')).toBe('IEND');
  });
});

describe('installPixelCanvas', () => {
  it('gives a jsdom window canvases that fill pixels and encode them', () => {
    const { window } = new JSDOM('');
    installPixelCanvas(window);
    const canvas = window.document.createElement('canvas');
    canvas.width = 2;
    canvas.height = 1;
    const context = canvas.getContext('2d')!;
    context.fillStyle = 'rgb(255, 0, 0)';
    context.fillRect(0, 0, 1, 1);
    context.fillStyle = '#0000ff';
    context.fillRect(1, 0, 1, 1);

    expect(canvas.toDataURL()).toBe(`data:image/png;base64,${encodePng(2, 1, new Uint8Array([255, 0, 0, 255, 0, 0, 255, 255])).toString('base64')}`);
    expect(canvas.getContext('webgl')).toBeNull();
  });
});
