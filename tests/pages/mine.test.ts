/** 我的: who the person is in this store. */
import { DEMO_OWNER_OPENID } from '../../local/seed';
import { openPage } from './support/pages';
import { platform } from './support/wechat';

test('a customer is welcomed and told membership comes with sign-up', async () => {
  platform.actAs('customer-wang');

  const mine = openPage('pages/mine/index');

  await mine.waitFor('你好，欢迎光临');
  expect(mine.text).toContain('注册成为会员后');
  expect(mine.text).not.toContain('员工身份');
});

test('the store owner sees their staff identity and role', async () => {
  platform.actAs(DEMO_OWNER_OPENID);

  const mine = openPage('pages/mine/index');

  await mine.waitFor('员工身份');
  expect(mine.text).toContain('店主（演示）');
  expect(mine.textOf('.tag')).toBe('店主');
  expect(mine.text).not.toContain('欢迎光临');
});

test('a customer leaves 首页 for 我的 as the network drops: 我的 says so and 重试 recovers', async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  platform.actAs('customer-wang');
  const home = openPage('pages/home/index');
  await home.waitFor('山间茶舍（演示店铺）');

  platform.goOffline();
  const mine = openPage('pages/mine/index');
  expect(mine.text).toBe('加载中…');
  await mine.waitFor('网络不稳定，请稍后重试');

  platform.goOnline();
  await mine.tap('重试');

  await mine.waitFor('你好，欢迎光临');
});

test('a new store owner finds the user id to hand to the bootstrap command, and copies it with a tap', async () => {
  platform.actAs('future-owner');
  const mine = openPage('pages/mine/index');

  await mine.waitFor('我的用户编号：future-owner');
  await mine.tap('我的用户编号：future-owner（点击复制）');
  expect(platform.clipboard).toBe('future-owner');
});
