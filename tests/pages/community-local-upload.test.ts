/**
 * 社群活码 on the local backend (`npm start`, config.ts `backend: 'local'`): there is no
 * `wx.cloud.uploadFile`, so the group's QR goes through the community function, and the customer's
 * entry page shows it from the local gateway.
 */
import type { AddressInfo } from 'node:net';
import http, { type Server } from 'node:http';
import { PNG } from 'pngjs';
import { createGateway } from '../../local/gateway';
import { DEMO_OWNER_OPENID } from '../../local/seed';
import { config } from '../../miniprogram/config';
import { ownerCreatesEntry } from './support/community';
import { closeAllPages, openPage } from './support/pages';
import { platform } from './support/wechat';

const shipped = { ...config };
let gateway: Server;
let base: string;

function groupQr(): Buffer {
  const png = new PNG({ width: 33, height: 33 });
  for (let i = 0; i < 33 * 33; i++) png.data.writeUInt32BE(i % 2 ? 0x000000ff : 0xffffffff, i * 4);
  return PNG.sync.write(png);
}

/** What the image view loads from the gateway (the page environment has no fetch). */
function download(url: string): Promise<{ type: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ type: res.headers['content-type'], body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

/** The phone now talks to the local gateway as `openid` (config.ts `devOpenid`). */
function useLocalPhone(openid: string): void {
  closeAllPages();
  Object.assign(config, { backend: 'local', localGateway: base, devOpenid: openid });
  platform.launchApp();
}

beforeEach(async () => {
  gateway = createGateway(platform.runtime);
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  process.env.PRIVDOM_GATEWAY_URL = base;
});

afterEach(async () => {
  Object.assign(config, shipped);
  delete process.env.PRIVDOM_GATEWAY_URL;
  if (gateway.listening) await new Promise((resolve) => gateway.close(resolve));
});

test('the owner adds a group by picking its QR image, and a customer opening the entry sees that QR', async () => {
  const entry = await ownerCreatesEntry();
  const image = groupQr();

  useLocalPhone(DEMO_OWNER_OPENID);
  const page = openPage('admin/pages/community/entry/index', { id: entry.id });
  await page.waitFor('添加群');
  await page.tap('添加群');
  await page.type('#group-name', '茶友 1 群');
  platform.willChooseImage('http://tmp/group-qr.png', image);
  await page.tap('上传群二维码');
  await page.waitFor('已上传，重新选择');
  expect(platform.uploads).toEqual([]); // nothing went to cloud storage
  await page.tap('保存');
  await page.waitFor('已占 0/200');

  useLocalPhone('customer-li');
  const entryPage = openPage('pages/community/index', { entry: entry.id });
  await entryPage.waitFor('茶友 1 群');
  const src = entryPage.attrOf('.qr', 'src') as string;
  expect(src).toMatch(new RegExp(`^${base}/storage/community/${entry.id}/[0-9a-f]{20}\\.png$`));
  const served = await download(src);
  expect(served.type).toBe('image/png');
  expect(served.body.equals(image)).toBe(true);
  expect(platform.calls).toEqual([]); // every call went over HTTP
});

test('a picked file that is not an image is refused, and the group cannot be saved without a QR', async () => {
  const entry = await ownerCreatesEntry();

  useLocalPhone(DEMO_OWNER_OPENID);
  const page = openPage('admin/pages/community/entry/index', { id: entry.id });
  await page.waitFor('添加群');
  await page.tap('添加群');
  await page.type('#group-name', '茶友 1 群');
  platform.willChooseImage('http://tmp/not-a-qr.png', Buffer.from('聊天记录导出.txt'));
  await page.tap('上传群二维码');
  await page.waitFor('请选择 PNG 或 JPG 格式的二维码图片');
  await page.tap('保存');
  await page.waitFor('请先上传群二维码图片');
});
