/**
 * Local stand-ins for the WeChat platform. They say what they are: the QR code is a plain QR of the
 * scene (not a WeChat mini program code), phone numbers are development numbers, and subscribe
 * messages stay in the outbox collection instead of reaching a phone.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import QRCode from 'qrcode';
import { now } from '../server/runtime/clock';
import { recordOutbox, type PlatformServices } from '../server/runtime/platform';

/** `dev:<11 digits>` picks the development number; anything else gets the default one. */
export const DEV_PHONE = '13800138000';

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
  };
}

const localServices: Omit<PlatformServices, 'storeFile' | 'fileUrl' | 'readFile'> = {
  kind: 'local',
  async miniProgramCode(req) {
    const text = `${req.page}?scene=${encodeURIComponent(req.scene)}`;
    const png = await QRCode.toBuffer(text, { type: 'png', width: req.width ?? 430, margin: 2, errorCorrectionLevel: 'M' });
    return { png };
  },
  async phoneNumber(code) {
    const match = /^dev:(1\d{10})$/.exec(code);
    return { phoneNumber: match ? match[1] : DEV_PHONE, countryCode: '86', isDevelopment: true };
  },
  async sendSubscribeMessage(msg) {
    return recordOutbox(msg, 'local', now());
  },
};
