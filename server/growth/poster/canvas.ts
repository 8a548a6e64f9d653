/**
 * A small RGB canvas for posters: filled (rounded) rectangles, coverage-blended pixels for text, a
 * PNG pasted scaled, and the result as an opaque PNG (pngjs). Enough for one poster, nothing more.
 */
import { PNG } from 'pngjs';

// Local bindings: per-pixel loops stay fast where global lookups are slow (vm contexts, as under Jest).
const { floor, hypot, max, min, round } = Math;

export type Rgb = readonly [number, number, number];

export const hex = (value: string): Rgb => {
  const n = parseInt(value.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
};

export class Canvas {
  readonly pixels: Buffer;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb,
  ) {
    this.pixels = Buffer.alloc(width * height * 3);
    this.fillRect(0, 0, width, height, background);
  }

  /** Mixes `color` into pixel (x, y) by `alpha` (0–1). */
  blend(x: number, y: number, color: Rgb, alpha: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height || alpha <= 0) return;
    const i = (y * this.width + x) * 3;
    const a = min(1, alpha);
    for (let c = 0; c < 3; c++) this.pixels[i + c] = round(this.pixels[i + c] * (1 - a) + color[c] * a);
  }

  fillRect(x: number, y: number, w: number, h: number, color: Rgb): void {
    const x0 = max(0, x);
    const x1 = min(this.width, x + w);
    const y0 = max(0, y);
    const y1 = min(this.height, y + h);
    if (x0 >= x1 || y0 >= y1) return;
    const first = (y0 * this.width + x0) * 3;
    for (let col = x0; col < x1; col++) this.pixels.set(color, first + (col - x0) * 3);
    const rowBytes = (x1 - x0) * 3;
    for (let row = y0 + 1; row < y1; row++) this.pixels.copyWithin((row * this.width + x0) * 3, first, first + rowBytes);
  }

  /** A rectangle with corners of `radius`, their edges smoothed by coverage. */
  fillRoundRect(x: number, y: number, w: number, h: number, radius: number, color: Rgb): void {
    for (let row = y; row < y + h; row++) {
      for (let col = x; col < x + w; col++) {
        const dx = max(x + radius - (col + 0.5), col + 0.5 - (x + w - radius), 0);
        const dy = max(y + radius - (row + 0.5), row + 0.5 - (y + h - radius), 0);
        const outside = hypot(dx, dy) - radius;
        this.blend(col, row, color, min(1, max(0, 0.5 - outside)));
      }
    }
  }

  /** Pastes a PNG of any colour type into the square (x, y, size), scaled by sampling, over white. */
  drawPng(png: Buffer, x: number, y: number, size: number): void {
    const image = PNG.sync.read(png);
    for (let row = 0; row < size; row++) {
      const sy = min(image.height - 1, floor(((row + 0.5) * image.height) / size));
      if (y + row < 0 || y + row >= this.height) continue;
      for (let col = 0; col < size; col++) {
        const sx = min(image.width - 1, floor(((col + 0.5) * image.width) / size));
        if (x + col < 0 || x + col >= this.width) continue;
        const s = (sy * image.width + sx) * 4;
        const alpha = image.data[s + 3] / 255;
        const d = ((y + row) * this.width + x + col) * 3;
        for (let c = 0; c < 3; c++) this.pixels[d + c] = round(image.data[s + c] * alpha + 255 * (1 - alpha));
      }
    }
  }

  toPng(): Buffer {
    const png = new PNG({ width: this.width, height: this.height, colorType: 2, inputColorType: 2, inputHasAlpha: false, bitDepth: 8 });
    png.data = this.pixels;
    // One filter for every row: pngjs otherwise tries all five per row, which doubles the time.
    return PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false, filterType: 1 });
  }
}
