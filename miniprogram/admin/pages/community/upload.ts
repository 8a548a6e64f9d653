/** Picks a QR image from the phone (saved from WeChat) and puts it in cloud storage: its file id. */
import { randomName } from './view';

export type Picked = { ok: true; fileId: string } | { ok: false; cancelled: boolean; message: string };

function chooseImage(): Promise<string | null> {
  return new Promise((resolve) => {
    wx.chooseMedia({
      count: 1,
      mediaType: ['image'],
      sourceType: ['album'],
      success: (res) => resolve(res.tempFiles[0]?.tempFilePath ?? null),
      fail: () => resolve(null),
    });
  });
}

/** `folder`: e.g. `community/<entryId>` or `contacts`. */
export async function pickAndUploadQr(folder: string): Promise<Picked> {
  const filePath = await chooseImage();
  if (!filePath) return { ok: false, cancelled: true, message: '' };
  try {
    const res = await wx.cloud.uploadFile({ cloudPath: `${folder}/${randomName()}.png`, filePath });
    return { ok: true, fileId: res.fileID };
  } catch (err) {
    console.warn('[community] upload failed', err);
    return { ok: false, cancelled: false, message: '图片没能上传，请检查网络后重试' };
  }
}
