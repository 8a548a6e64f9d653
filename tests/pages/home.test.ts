/** 首页: what a customer sees when they open the mini program. */
import { COLLECTIONS } from '../../database/collections';
import { getDb } from '../../server/runtime/db';
import { openPage, until } from './support/pages';
import { platform } from './support/wechat';

const STORE_NAME = '山间茶舍（演示店铺）';

beforeEach(() => {
  platform.actAs('customer-wang');
});

test('a customer opens the home page and sees the store and its campaign', async () => {
  const home = openPage('pages/home/index');

  await home.waitFor(STORE_NAME);
  expect(home.text).toContain('自家茶园直发，每一包茶都由店主亲自挑选。');
  expect(home.text).toContain('店铺活动');
  expect(home.text).toContain('感谢您的购买');
  expect(home.text).toContain('扫码加入会员，下次购买满 99 减 20');
  expect(home.text).toContain('包裹卡');
  expect(home.text).not.toContain('暂时没有进行中的活动');
});

test('on the local runtime the page says it is a local development environment', async () => {
  const home = openPage('pages/home/index');

  await home.waitFor(STORE_NAME);
  expect(home.text).toContain('本地开发环境');
});

test('with no active campaigns the page says so', async () => {
  await getDb().collection(COLLECTIONS.campaigns).doc('demo-welcome').update({ data: { status: 'ended' } });

  const home = openPage('pages/home/index');

  await home.waitFor(STORE_NAME);
  expect(home.text).toContain('暂时没有进行中的活动，敬请期待');
  expect(home.text).not.toContain('感谢您的购买');
});

test('while the store is loading the page says so', async () => {
  const home = openPage('pages/home/index');

  expect(home.text).toContain('加载中');
  await home.waitFor(STORE_NAME);
  expect(home.text).not.toContain('加载中');
});

test('when the cloud is unreachable the page shows an error and 重试 recovers', async () => {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  platform.goOffline();

  const home = openPage('pages/home/index');

  await home.waitFor('网络不稳定，请稍后重试');
  expect(home.text).not.toContain(STORE_NAME);
  expect(warn).toHaveBeenCalled(); // the detail goes to the developer's log

  platform.goOnline();
  await home.tap('重试');

  await home.waitFor(STORE_NAME);
  expect(home.text).toContain('感谢您的购买');
  expect(home.text).not.toContain('网络不稳定');
});

test('pulling down shows a new campaign; offline, the store stays on screen and a toast says why', async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const home = openPage('pages/home/index');
  await home.waitFor('感谢您的购买');

  await getDb()
    .collection(COLLECTIONS.campaigns)
    .add({ data: { _id: 'spring-tea', kind: 'coupon', title: '春茶上新', subtitle: '新茶 8 折', status: 'active', startsAt: new Date(platform.runtime.clock.now()) } });
  home.pullDown();
  await home.waitFor('春茶上新');
  expect(platform.pullDownsStopped).toBe(1);

  platform.goOffline();
  home.pullDown();
  await until(() => platform.pullDownsStopped === 2, () => 'the refresh never ended');
  expect(platform.toasts).toEqual(['网络不稳定，请稍后重试']);
  expect(home.text).toContain(STORE_NAME);
  expect(home.text).toContain('春茶上新');
});
