/** Codes are flattened onto white before they go into the PDF, pixel for pixel. */
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { opaquePng } from '../../server/cards/export/png';

function png(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number], colorType: 2 | 6 = 6): Buffer {
  const image = new PNG({ width, height, colorType, inputColorType: 6, inputHasAlpha: true });
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) image.data.set(pixel(x, y), (y * width + x) * 4);
  return PNG.sync.write(image, { colorType, inputColorType: 6, inputHasAlpha: true });
}

const pixels = (buffer: Buffer) => PNG.sync.read(buffer);

it('a black-and-white RGBA code becomes a greyscale PNG with the same pixels', async () => {
  const code = await QRCode.toBuffer('pages/entry/index?scene=abc', { type: 'png', width: 120 });
  expect(code[25]).toBe(6); // RGBA, as the local stand-in draws it
  const flat = opaquePng(code);
  expect(flat[25]).toBe(0); // greyscale, no alpha
  expect(pixels(flat).data).toEqual(pixels(code).data);
});

it('colour stays colour and half-transparent pixels are mixed with white', () => {
  const source = png(3, 2, (x, y) => (y === 0 ? [200, 40, 10, 255] : x === 0 ? [0, 0, 0, 128] : [0, 0, 255, 0]));
  const flat = opaquePng(source);
  expect(flat[25]).toBe(2); // RGB
  const { data } = pixels(flat);
  expect([...data.subarray(0, 4)]).toEqual([200, 40, 10, 255]);
  expect([...data.subarray(12, 16)]).toEqual([127, 127, 127, 255]);
  expect([...data.subarray(16, 20)]).toEqual([255, 255, 255, 255]);
});

it('an opaque PNG passes untouched', () => {
  const opaque = png(4, 4, () => [10, 20, 30, 255], 2);
  expect(opaquePng(opaque)).toBe(opaque);
});
