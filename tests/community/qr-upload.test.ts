/**
 * QR images on the local backend, where there is no `wx.cloud.uploadFile`: staff send the picked
 * image through `community.qr.put`, which keeps only real PNG or JPEG images of at most 1 MB.
 */
import { readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import { PNG } from 'pngjs';
import { createGateway } from '../../local/gateway';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { createEntry, openStore } from './support';

const t = useRuntime();
let server: Server;
let base: string;

beforeAll(async () => {
  server = createGateway(t.rt);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.PRIVDOM_GATEWAY_URL = base;
});
afterAll(async () => {
  delete process.env.PRIVDOM_GATEWAY_URL;
  await new Promise((resolve) => server.close(resolve));
});

function qrPng(size = 41): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let i = 0; i < size * size; i++) png.data.writeUInt32BE(i % 3 === 0 ? 0x000000ff : 0xffffffff, i * 4);
  return PNG.sync.write(png);
}

/** The start of a JFIF file: what the function checks of a JPEG. */
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), Buffer.alloc(200, 7), Buffer.from([0xff, 0xd9])]);

function storedFiles(): string[] {
  return readdirSync(t.rt.storageDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(t.rt.storageDir, path.join(e.parentPath, e.name)));
}

test('an admin uploads a group’s QR: the gateway serves it, and a customer opening the entry is shown it', async () => {
  const store = await openStore(t);
  const entry = await createEntry(t, store.admin);
  const image = qrPng();
  const requestId = rid('qr');

  const { fileId } = ok(await t.call(store.admin, 'community', 'community.qr.put', { entryId: entry.id, name: 'tmp_1a2b.png', base64: image.toString('base64') }, requestId));
  expect(fileId).toMatch(new RegExp(`^local://community/${entry.id}/[0-9a-f]{20}\\.png$`));
  // A retried upload lands on the same file.
  expect(ok(await t.call(store.admin, 'community', 'community.qr.put', { entryId: entry.id, name: 'tmp_1a2b.png', base64: image.toString('base64') }, requestId)).fileId).toBe(fileId);

  ok(await t.call(store.admin, 'community', 'community.group.add', { entryId: entry.id, name: '茶友 1 群', qrFileId: fileId }, rid('group')));
  const opened = ok(await t.call('customer-a', 'community', 'community.open', { entryId: entry.id }));
  expect(opened.kind).toBe('group');
  const src = (opened as { group: { qr: { src: string } } }).group.qr.src;
  expect(src.startsWith(`${base}/storage/community/${entry.id}/`)).toBe(true);

  const res = await fetch(src);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/png');
  expect(Buffer.from(await res.arrayBuffer()).equals(image)).toBe(true);
});

test('a clerk uploads their contact code as a JPEG; it is kept under contacts/', async () => {
  const store = await openStore(t);
  const { fileId } = ok(await t.call(store.clerks[0], 'community', 'community.qr.put', { name: 'wx_camera_1.jpeg', base64: JPEG.toString('base64') }, rid('qr')));
  expect(fileId).toMatch(/^local:\/\/contacts\/[0-9a-f]{20}\.jpg$/);
  const contact = ok(await t.call(store.clerks[0], 'community', 'community.contact.set', { qrFileId: fileId, kind: 'wechat' }, rid('contact')));
  expect((await fetch(contact.qr.src)).headers.get('content-type')).toBe('image/jpeg');
});

describe('what is refused, with nothing written', () => {
  const oversize = Buffer.concat([qrPng(), Buffer.alloc(1024 * 1024)]);
  const corrupt = Buffer.concat([qrPng().subarray(0, 40), Buffer.alloc(60, 1)]);

  test.each([
    ['a text file', 'qr.png', Buffer.from('这不是图片，只是一段文字'), '请选择 PNG 或 JPG 格式的二维码图片'],
    ['a GIF', 'qr.gif', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), '请选择 PNG 或 JPG 格式的二维码图片'],
    ['a JPEG named .png', 'qr.png', JPEG, '请选择 PNG 或 JPG 格式的二维码图片'],
    ['a PNG named .jpg', 'qr.jpg', qrPng(), '请选择 PNG 或 JPG 格式的二维码图片'],
    ['a PNG that does not decode', 'qr.png', corrupt, '图片已损坏，请重新保存二维码后再试'],
    ['an image over 1 MB', 'qr.png', oversize, '图片超过 1MB，请截取二维码部分后重试'],
  ])('%s', async (_what, name, bytes, message) => {
    const store = await openStore(t);
    const entry = await createEntry(t, store.admin);
    const before = storedFiles();
    const error = errorOf(await t.call(store.admin, 'community', 'community.qr.put', { entryId: entry.id, name, base64: bytes.toString('base64') }, rid('qr')));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.fields?.[0]).toEqual({ path: 'payload.base64', message });
    expect(storedFiles()).toEqual(before);
  });

  test('text that is not base64, or nothing at all', async () => {
    const store = await openStore(t);
    const before = storedFiles();
    for (const base64 of ['not base64!', '']) {
      const error = errorOf(await t.call(store.admin, 'community', 'community.qr.put', { name: 'qr.png', base64 }, rid('qr')));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.fields?.[0].message).toMatch(/图片内容无效|图片是空的/);
    }
    expect(storedFiles()).toEqual(before);
  });

  test('a customer, and a clerk uploading a group’s QR (adding groups is for managers)', async () => {
    const store = await openStore(t);
    const entry = await createEntry(t, store.admin);
    const before = storedFiles();
    const base64 = qrPng().toString('base64');
    expect(errorOf(await t.call('customer-a', 'community', 'community.qr.put', { name: 'qr.png', base64 }, rid('qr')))).toMatchObject({ code: 'FORBIDDEN', message: '仅限店铺员工使用' });
    expect(errorOf(await t.call(store.clerks[0], 'community', 'community.qr.put', { entryId: entry.id, name: 'qr.png', base64 }, rid('qr')))).toMatchObject({
      code: 'FORBIDDEN',
      message: '当前角色没有权限进行此操作',
    });
    expect(storedFiles()).toEqual(before);
  });
});
