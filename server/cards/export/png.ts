/**
 * Codes as the PDF wants them: opaque. A PNG with an alpha channel (the local stand-in's QR codes
 * are RGBA) makes pdfkit split it into colour and mask asynchronously, holding every image of a
 * sheet set in memory at once. Flattening it onto white first, here and synchronously, keeps one
 * image in memory at a time and lets pdfkit embed the result as it is. Opaque PNGs (what
 * `wxacode.getUnlimited` returns unless asked for a transparent background) pass untouched.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** PNG colour types: 4 grey + alpha, 6 RGB + alpha. */
const WITH_ALPHA = new Set([4, 6]);

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(parts: Buffer[]): number {
  let c = 0xffffffff;
  for (const part of parts) for (const byte of part) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32([head.subarray(4), body]), 0);
  return Buffer.concat([head, body, crc]);
}

interface Header {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  interlace: number;
}

function header(png: Buffer): Header | null {
  // IHDR is always the first chunk.
  if (png.length < 33 || !png.subarray(0, 8).equals(SIGNATURE) || png.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), bitDepth: png[24], colourType: png[25], interlace: png[28] };
}

/** The concatenated IDAT data, inflated: one filter byte and the row's bytes per row. */
function inflatedRows(png: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 8; at + 8 <= png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT') parts.push(png.subarray(at + 8, at + 8 + length));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  return inflateSync(Buffer.concat(parts));
}

/** Undoes PNG's per-row filters (bpp bytes per pixel); returns the pixel bytes. */
function unfilter(rows: Buffer, width: number, height: number, bpp: number): Buffer {
  const stride = width * bpp;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = rows[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    const prev = row - stride;
    const first = y === 0;
    // One loop per filter type: the hot loops stay branch-free.
    if (filter === 0) {
      rows.copy(out, row, src, src + stride);
    } else if (filter === 1) {
      for (let i = 0; i < stride; i++) out[row + i] = (rows[src + i] + (i >= bpp ? out[row + i - bpp] : 0)) & 0xff;
    } else if (filter === 2) {
      if (first) rows.copy(out, row, src, src + stride);
      else for (let i = 0; i < stride; i++) out[row + i] = (rows[src + i] + out[prev + i]) & 0xff;
    } else if (filter === 3) {
      for (let i = 0; i < stride; i++) {
        const left = i >= bpp ? out[row + i - bpp] : 0;
        const up = first ? 0 : out[prev + i];
        out[row + i] = (rows[src + i] + ((left + up) >> 1)) & 0xff;
      }
    } else if (filter === 4) {
      for (let i = 0; i < stride; i++) {
        const left = i >= bpp ? out[row + i - bpp] : 0;
        const up = first ? 0 : out[prev + i];
        const upLeft = !first && i >= bpp ? out[prev + i - bpp] : 0;
        const p = left + up - upLeft;
        const pa = p > left ? p - left : left - p;
        const pb = p > up ? p - up : up - p;
        const pc = p > upLeft ? p - upLeft : upLeft - p;
        out[row + i] = (rows[src + i] + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft)) & 0xff;
      }
    } else {
      throw new Error(`bad PNG filter ${filter}`);
    }
  }
  return out;
}

/** RGBA pixels of any PNG: a fast path for 8-bit RGBA / grey+alpha, pngjs for the rest. */
function rgbaOf(png: Buffer, h: Header): Buffer {
  if (h.bitDepth === 8 && h.interlace === 0 && (h.colourType === 6 || h.colourType === 4)) {
    const bpp = h.colourType === 6 ? 4 : 2;
    const pixels = unfilter(inflatedRows(png), h.width, h.height, bpp);
    if (bpp === 4) return pixels;
    const rgba = Buffer.alloc(h.width * h.height * 4);
    for (let i = 0, o = 0; i < pixels.length; i += 2, o += 4) {
      rgba[o] = rgba[o + 1] = rgba[o + 2] = pixels[i];
      rgba[o + 3] = pixels[i + 1];
    }
    return rgba;
  }
  return PNG.sync.read(png).data;
}

/** The same picture without transparency: greyscale when it has no colour, else RGB. */
export function opaquePng(png: Buffer): Buffer {
  const h = header(png);
  if (!h || !WITH_ALPHA.has(h.colourType)) return png;
  const { width, height } = h;
  const data = rgbaOf(png, h);
  let grey = true;
  for (let i = 0; i < data.length && grey; i += 4) grey = data[i] === data[i + 1] && data[i] === data[i + 2];
  const channels = grey ? 1 : 3;
  const stride = width * channels + 1;
  const raw = Buffer.alloc(stride * height);
  const onWhite = (v: number, a: number) => (a === 255 ? v : Math.round((v * a + 255 * (255 - a)) / 255));
  for (let y = 0, src = 0; y < height; y++) {
    let dst = y * stride + 1; // filter byte 0: none
    if (grey) {
      for (let x = 0; x < width; x++, src += 4) raw[dst++] = onWhite(data[src], data[src + 3]);
    } else {
      for (let x = 0; x < width; x++, src += 4) {
        raw[dst++] = onWhite(data[src], data[src + 3]);
        raw[dst++] = onWhite(data[src + 1], data[src + 3]);
        raw[dst++] = onWhite(data[src + 2], data[src + 3]);
      }
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = grey ? 0 : 2; // colour type
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
