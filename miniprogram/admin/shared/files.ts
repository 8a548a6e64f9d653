/** What the tab's uploads share: a cloud file name and, on the local backend, the picked file's bytes. */

/** A name no other upload will take: time, then random letters. */
export function randomName(): string {
  let name = Date.now().toString(36);
  for (let i = 0; i < 8; i += 1) name += 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 36)];
  return name;
}

/** A picked temp file as base64, for the functions that take a file where there is no cloud storage. */
export function readBase64(filePath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.getFileSystemManager().readFile({ filePath, encoding: 'base64', success: (res) => resolve(res.data as string), fail: reject });
  });
}
