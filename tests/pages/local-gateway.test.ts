/**
 * The developer's setup: miniprogram/config.ts pointed at the local gateway (`npm start`), calls
 * going over HTTP with the configured dev openid instead of through wx.cloud.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createGateway } from '../../local/gateway';
import { config } from '../../miniprogram/config';
import { openPage } from './support/pages';
import { platform } from './support/wechat';

const STORE_NAME = '山间茶舍（演示店铺）';
const shipped = { ...config };
let gateway: Server;

beforeEach(async () => {
  gateway = createGateway(platform.runtime);
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  const { port } = gateway.address() as AddressInfo;
  Object.assign(config, { backend: 'local', localGateway: `http://127.0.0.1:${port}`, devOpenid: 'demo-owner' });
  platform.launchApp(); // launched again with the local config
});

afterEach(async () => {
  Object.assign(config, shipped);
  if (gateway.listening) await new Promise((resolve) => gateway.close(resolve));
});

test('the shipped config talks to CloudBase and initialises wx.cloud with its environment', () => {
  Object.assign(config, shipped);
  platform.launchApp();

  expect(shipped.backend).toBe('cloud');
  expect(platform.cloudInitCalls).toEqual([{ env: shipped.cloudEnv, traceUser: true }]);
});

test('pointed at the local gateway, the app loads the store over HTTP as the dev openid', async () => {
  expect(platform.cloudInitCalls).toEqual([]); // no wx.cloud.init for the local backend

  const home = openPage('pages/home/index');

  await home.waitFor(STORE_NAME);
  expect(home.text).toContain('本地开发环境');
  expect(home.tabBar.text).toContain('管理'); // demo-owner is the store's owner
  expect(platform.calls).toEqual([]); // nothing went through wx.cloud
});

test('with the gateway stopped, the page shows the network error', async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  await new Promise((resolve) => gateway.close(resolve));

  const home = openPage('pages/home/index');

  await home.waitFor('网络不稳定，请稍后重试');
});
