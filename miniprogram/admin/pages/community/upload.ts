/**
 * Picks a QR image from the phone (saved from WeChat) and stores it: its file id. Cloud storage
 * (`wx.cloud.uploadFile`) in production; through the community function on the local backend,
 * which has no cloud storage.
 */
import { config } from '../../../config';
import { call, newRequestId } from '../../../services/api';
import { errorText } from '../../shared/format';
import { randomName, readBase64 } from '../../shared/files';

export type Picked = { ok: true; fileId: string } | { ok: false; cancelled: boolean; message: string };

/** What the community function takes; cloud storage would take more, but a QR code needs no more. */
const MAX_BYTES = 1024 * 1024;

function chooseImage(): Promise<{ path: string; size: number } | null> {
  return new Promise((resolve) => {
    wx.chooseMedia({
      count: 1,
      mediaType: ['image'],
      sourceType: ['album'],
      success: (res) => {
        const file = res.tempFiles[0];
        resolve(file ? { path: file.tempFilePath, size: file.size } : null);
      },
      fail: () => resolve(null),
    });
  });
}

async function putThroughFunction(filePath: string, entryId: string | undefined): Promise<Picked> {
  let base64: string;
  try {
    base64 = await readBase64(filePath);
  } catch {
    return { ok: false, cancelled: false, message: '图片没能读取，请重新选择' };
  }
  const name = filePath.split('/').pop() ?? filePath;
  const res = await call('community', 'community.qr.put', { ...(entryId ? { entryId } : {}), name, base64 }, { requestId: newRequestId() });
  return res.ok ? { ok: true, fileId: res.data.fileId } : { ok: false, cancelled: false, message: errorText(res.error) };
}

/** With `entryId`, a group's QR for that entry (`community/<entryId>/`); without, a contact code (`contacts/`). */
export async function pickAndUploadQr(entryId?: string): Promise<Picked> {
  const image = await chooseImage();
  if (!image) return { ok: false, cancelled: true, message: '' };
  if (config.backend !== 'cloud') {
    if (image.size > MAX_BYTES) return { ok: false, cancelled: false, message: '图片超过 1MB，请截取二维码部分后重试' };
    return putThroughFunction(image.path, entryId);
  }
  try {
    const folder = entryId ? `community/${entryId}` : 'contacts';
    const res = await wx.cloud.uploadFile({ cloudPath: `${folder}/${randomName()}.png`, filePath: image.path });
    return { ok: true, fileId: res.fileID };
  } catch (err) {
    console.warn('[community] upload failed', err);
    return { ok: false, cancelled: false, message: '图片没能上传，请检查网络后重试' };
  }
}
