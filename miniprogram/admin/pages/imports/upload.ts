/**
 * Puts the chosen CSV where the cloud function can read it: cloud storage (`wx.cloud.uploadFile`) in
 * production; through the admin function itself on the local backend, which has no cloud storage.
 */
import { call, newRequestId } from '../../../services/api';
import { config } from '../../../config';
import { randomName, readBase64 } from '../../shared/files';

export type Uploaded = { ok: true; fileId: string } | { ok: false; message: string };

const UPLOAD_FAILED = '文件没能上传，请检查网络后重试';

export async function uploadCsv(filePath: string, name: string): Promise<Uploaded> {
  if (config.backend !== 'cloud') {
    try {
      const res = await call('admin', 'import.file.put', { name, base64: await readBase64(filePath) }, { requestId: newRequestId() });
      return res.ok ? { ok: true, fileId: res.data.fileId } : { ok: false, message: res.error.message };
    } catch {
      return { ok: false, message: '文件没能读取，请重新选择' };
    }
  }
  try {
    const res = await wx.cloud.uploadFile({ cloudPath: `imports/${randomName()}.csv`, filePath });
    return { ok: true, fileId: res.fileID };
  } catch (err) {
    console.warn('[imports] upload failed', err);
    return { ok: false, message: UPLOAD_FAILED };
  }
}
