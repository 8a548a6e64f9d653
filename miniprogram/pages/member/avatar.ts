/**
 * The avatar picked with `<button open-type="chooseAvatar">` is a temp file on the phone; the member
 * keeps a cloud file id instead. Uploaded as soon as it is picked so joining or saving does not wait.
 */
import { config } from '../../config';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomName(): string {
  let name = Date.now().toString(36);
  for (let i = 0; i < 10; i += 1) name += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  return name;
}

/** The cloud file id of the uploaded avatar, or null when it could not be uploaded. */
export function uploadAvatar(tempPath: string): Promise<string | null> {
  // The local gateway has no cloud storage: the avatar stays on the phone only.
  if (config.backend !== 'cloud') return Promise.resolve(null);
  const ext = /\.(jpe?g|png|webp|gif)$/i.exec(tempPath)?.[1].toLowerCase() ?? 'jpg';
  return wx.cloud
    .uploadFile({ cloudPath: `avatars/${randomName()}.${ext}`, filePath: tempPath })
    .then((res) => res.fileID)
    .catch((err: unknown) => {
      console.warn('[avatar] upload failed', err);
      return null;
    });
}

export const AVATAR_FAILED = '头像没能上传，可以稍后在「个人资料」中重新设置';
