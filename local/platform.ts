/**
 * Local stand-ins for the WeChat platform. They say what they are: the QR code is a plain QR of the
 * scene (not a WeChat mini program code), phone numbers are development numbers, and subscribe
 * messages stay in the outbox collection instead of reaching a phone.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { now } from '../server/runtime/clock';
import { recordOutbox, type PlatformServices } from '../server/runtime/platform';

/** `dev:<11 digits>` picks the development number; anything else gets the default one. */
export const DEV_PHONE = '13800138000';

/**
 * A plain QR code of `text` as an opaque 8-bit greyscale PNG, `width` pixels at most, with a quiet
 * zone of two modules. Drawn straight from the QR matrix: about eight times faster than
 * `QRCode.toBuffer` (RGBA), which matters for a 10,000-card export, and with no alpha channel for
 * the PDF to flatten.
 */
export function qrPng(text: string, width: number): Buffer {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const margin = 2;
  const cells = n + margin * 2;
  const scale = Math.max(1, Math.floor(width / cells));
  const size = cells * scale;
  const pixels = Buffer.alloc(size * size, 255);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!qr.modules.get(r, c)) continue;
      for (let y = 0; y < scale; y++) {
        const row = ((r + margin) * scale + y) * size;
        pixels.fill(0, row + (c + margin) * scale, row + (c + margin + 1) * scale);
      }
    }
  }
  const png = new PNG({ width: size, height: size, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
  png.data = pixels;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

/** Cloud paths stay inside the storage folder: no absolute paths, no `..`. */
export function safeStoragePath(cloudPath: string): string {
  const normal = path.posix.normalize(cloudPath.replace(/\\/g, '/'));
  if (!normal || normal.startsWith('..') || normal.startsWith('/') || normal.includes('\0')) {
    throw new Error(`invalid cloud path: ${cloudPath}`);
  }
  return normal;
}

/**
 * `storageDir` holds stored files; links point at the gateway (`PRIVDOM_GATEWAY_URL`, set when it
 * listens), which serves them under /storage/.
 */
export function createLocalPlatform(storageDir: string): PlatformServices {
  return {
    ...localServices,
    // Stand-in for cloud storage: files live under the data folder, served by the gateway.
    async storeFile(cloudPath, content) {
      const rel = safeStoragePath(cloudPath);
      const file = path.join(storageDir, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
      return { fileId: `local://${rel}` };
    },
    async readFile(fileId) {
      return readFileSync(path.join(storageDir, safeStoragePath(fileId.replace(/^local:\/\//, ''))));
    },
    async fileUrl(fileId) {
      const rel = safeStoragePath(fileId.replace(/^local:\/\//, ''));
      const base = process.env.PRIVDOM_GATEWAY_URL ?? 'http://127.0.0.1:3000';
      return `${base}/storage/${rel.split('/').map(encodeURIComponent).join('/')}`;
    },
    async deleteFiles(fileIds) {
      for (const id of fileIds) rmSync(path.join(storageDir, safeStoragePath(id.replace(/^local:\/\//, ''))), { force: true });
    },
  };
}

const localServices: Omit<PlatformServices, 'storeFile' | 'fileUrl' | 'readFile' | 'deleteFiles'> = {
  kind: 'local',
  async miniProgramCode(req) {
    return { png: qrPng(`${req.page}?scene=${encodeURIComponent(req.scene)}`, req.width ?? 430) };
  },
  async phoneNumber(code) {
    const match = /^dev:(1\d{10})$/.exec(code);
    return { phoneNumber: match ? match[1] : DEV_PHONE, countryCode: '86', isDevelopment: true };
  },
  async sendSubscribeMessage(msg) {
    return recordOutbox(msg, 'local', now());
  },
};
