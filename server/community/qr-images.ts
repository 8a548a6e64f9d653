/**
 * QR images a phone sends through the `community` function when there is no cloud storage to
 * upload to (the local backend): a group's QR or a staff member's contact code. Only real PNG or
 * JPEG bytes are stored, under the same folders `wx.cloud.uploadFile` uses in production.
 *
 * Retention: like uploads to cloud storage, a stored image is kept while anything may show it; an
 * image replaced by a newer one (or never saved to a group or contact) is not swept yet.
 */
import { createHash } from 'node:crypto';
import { PNG } from 'pngjs';
import type { CommunityQrUpload } from '../../typings';
import { fail } from '../runtime/errors';
import { platform } from '../runtime/platform';
import type { StaffCall } from './model';

export const MAX_QR_IMAGE_BYTES = 1024 * 1024;

type ImageType = 'png' | 'jpeg';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const EXTENSIONS: Record<ImageType, RegExp> = { png: /\.png$/i, jpeg: /\.jpe?g$/i };

function imageTypeOf(bytes: Buffer): ImageType | null {
  if (bytes.length > PNG_SIGNATURE.length && bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) return 'png';
  // Start of image, then the marker of the next segment (JFIF, EXIF, a table...).
  if (bytes.length > 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

function decodes(bytes: Buffer, type: ImageType): boolean {
  if (type === 'jpeg') return true; // the header is checked; no JPEG decoder in the function
  try {
    const png = PNG.sync.read(bytes);
    return png.width > 0 && png.height > 0;
  } catch {
    return false;
  }
}

const refuse = (message: string): never => fail('INVALID_INPUT', message, [{ path: 'payload.base64', message }]);

/** The bytes when they are a PNG or JPEG of at most 1 MB whose type agrees with the file name. */
export function checkedQrImage(name: string, base64: string): { bytes: Buffer; type: ImageType } {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) refuse('图片是空的，请重新选择');
  if (bytes.length > MAX_QR_IMAGE_BYTES) refuse('图片超过 1MB，请截取二维码部分后重试');
  const type = imageTypeOf(bytes);
  if (!type || !EXTENSIONS[type].test(name)) refuse('请选择 PNG 或 JPG 格式的二维码图片');
  if (!decodes(bytes, type!)) refuse('图片已损坏，请重新保存二维码后再试');
  return { bytes, type: type! };
}

/** Stores the image; named by the request, so a retried upload lands on the same file. */
export async function storeQrImage(call: StaffCall, input: CommunityQrUpload): Promise<{ fileId: string }> {
  const { bytes, type } = checkedQrImage(input.name, input.base64);
  const folder = input.entryId ? `community/${input.entryId}` : 'contacts';
  const key = createHash('sha256').update(`${call.openid}\n${call.requestId}`).digest('hex').slice(0, 20);
  return platform().storeFile(`${folder}/${key}.${type === 'png' ? 'png' : 'jpg'}`, bytes);
}
