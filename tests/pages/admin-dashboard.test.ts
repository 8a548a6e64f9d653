/** 数据看板 (admin subpackage): today, 7 and 30 days, read from the day counters. */
import { DEMO_OWNER_OPENID } from '../../local/seed';
import { openPage, switchPhone } from './support/pages';
import { act, customerJoined, ownerPrintsCards, sceneOf } from './support/members';
import { hireStaff } from './support/story';
import { platform } from './support/wechat';

const DASHBOARD = 'admin/pages/dashboard/index';

process.env.PRIVDOM_LOG = 'silent';

/** A Saturday morning: a 20-card Taobao batch, three scans, two of them join. */
async function morningTraffic(): Promise<void> {
  const { batch } = await ownerPrintsCards();
  await platform.runtime.fireTimer('admin', 'continueImports'); // the dashboard learns the batch's name
  for (const [i, who] of ['customer-wang', 'customer-li', 'customer-zhao'].entries()) {
    const scene = await sceneOf(batch.id, i + 1);
    await act(who, 'card', 'card.scan', { scene });
    if (i < 2) await customerJoined(who, { scene, phoneCode: `dev:1390000000${i}` });
  }
}

test('a clerk reads today: the funnel, the batch against the 5%–15% benchmark, the channel', async () => {
  await morningTraffic();
  await hireStaff('clerk-liu', '刘小二', 'clerk');
  switchPhone('clerk-liu');
  const page = openPage(DASHBOARD);

  await page.waitFor('转化漏斗');
  expect(page.textOf('.funnel')).toContain('3 扫码 2 入会 扫码入会率 66.7% 2 领券 0 核销 0 绑定订单 0 元');
  expect(page.textOf('.batches')).toContain('明前龙井 250g · 淘宝 10.0% 5%–15% 常见水平');
  expect(page.textOf('.batches')).toContain('印制 20 张 · 扫码 3 · 入会 2（入会率 66.7%）· 领取福利 2');
  expect(page.textOf('.channels')).toContain('淘宝 10.0%');
  expect(page.text).toContain('会员数据还在统计中，几分钟后再看');
  expect(page.text).not.toContain('这段时间还没有扫码');
  expect(page.textOf('.triangle')).toContain('2 会员增长');
});

test('近7天 draws a bar per day; 会员质量 shows 私域有效率 once the members are counted', async () => {
  await morningTraffic();
  await platform.runtime.fireTimer('admin', 'continueImports');
  platform.actAs(DEMO_OWNER_OPENID);
  const page = openPage(DASHBOARD);
  await page.waitFor('转化漏斗');
  expect(page.comp.querySelector('.chart')).toBeUndefined();

  await page.tap('近7天');

  await page.waitFor('2025-03-02 至 2025-03-08');
  expect(page.comp.data.view).toMatchObject({ bars: expect.arrayContaining([expect.objectContaining({ day: '03-08', scans: 3, signups: 2, scanHeight: 100 })]) });
  expect((page.comp.data.view as { bars: unknown[] }).bars).toHaveLength(7);
  expect(page.textOf('.members')).toContain('2 会员总数 0.0% 私域有效率 近 30 天下单或核销 0 人 — 复购率 0 / 0 位购买会员');
  expect(page.text).toContain('会员数据统计于 2025-03-08 10:00');
});

test('a quiet store sees zeros and a sentence, not an error', async () => {
  platform.actAs(DEMO_OWNER_OPENID);
  const page = openPage(DASHBOARD);
  await page.waitFor('这段时间还没有扫码、入会或订单');
  expect(page.textOf('.batches')).toContain('这段时间没有包裹卡扫码');
});

test('when the figures cannot be loaded the page says so, and 重试 loads them', async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  platform.actAs(DEMO_OWNER_OPENID);
  platform.goOfflineAfter(1); // admin.home goes through, dashboard.get does not
  const page = openPage(DASHBOARD);
  await page.waitFor('网络不稳定，请稍后重试');
  platform.goOnline();
  await page.tap('重试');
  await page.waitFor('转化漏斗');
});

test('a customer who opens the dashboard is told it is for staff only', async () => {
  platform.actAs('customer-wang');
  const page = openPage(DASHBOARD);
  await page.waitFor('仅限店铺员工');
  expect(page.text).not.toContain('转化漏斗');
});
