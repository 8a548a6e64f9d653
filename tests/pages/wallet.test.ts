/** 券包: my coupons by state, with counts, badges, paging, and each state's own empty page. */
import { openPage } from './support/pages';
import { customerClaims, ownerCreatesCoupon, staffRedeems } from './support/coupons';
import { DEMO_OWNER_OPENID } from '../../local/seed';
import { platform } from './support/wechat';

const WALLET = 'pages/wallet/index';

/** How many coupon cards are on screen. */
function cardsOn(screen: { text: string }): number {
  return (screen.text.match(/有效期至|已于 \S+ \S+ (使用|过期)/g) ?? []).length;
}

beforeEach(() => {
  platform.actAs('customer-wang');
});

test('coupons sit under 可用, 已使用 and 已过期 with their counts; the tab bar marks 券包', async () => {
  const fresh = await ownerCreatesCoupon({ title: '新品尝鲜券' });
  const spent = await ownerCreatesCoupon({ title: '到店礼', kind: 'cash', amountOffFen: 500, thresholdFen: undefined });
  await customerClaims('customer-wang', fresh.id);
  const used = await customerClaims('customer-wang', spent.id);
  await staffRedeems(DEMO_OWNER_OPENID, used.code, 3000);

  const wallet = openPage(WALLET);

  await wallet.waitFor('新品尝鲜券');
  expect(wallet.textOf('.tabs')).toBe('可用 1 已使用 1 已过期 0');
  expect(wallet.text).not.toContain('到店礼');
  expect(wallet.tabBar.textOf('.tab--active')).toBe('券包');

  await wallet.tap('已使用');
  await wallet.waitFor('到店礼');
  expect(wallet.text).toContain('5元无门槛 到店礼 已于 2025-03-08 10:00 使用');
  expect(wallet.text).not.toContain('新品尝鲜券');

  await wallet.tap('已过期');
  await wallet.waitFor('没有过期的优惠券');
  expect(wallet.text).not.toContain('到店礼');
});

test('a coupon moves from 可用 to 已过期 when the Shanghai day it ends on is over', async () => {
  const oneDay = await ownerCreatesCoupon({ title: '当日券', validity: { type: 'relative', days: 1 } });
  await customerClaims('customer-wang', oneDay.id);

  // 23:59 on the claim day in Shanghai (15:59 UTC, the zone these tests run in): still usable.
  platform.runtime.clock.set('2025-03-08T15:59:00.000Z');
  const wallet = openPage(WALLET);
  await wallet.waitFor('当日券');
  expect(wallet.text).toContain('当日券 即将过期 有效期至 2025-03-08 23:59');

  // Midnight in Shanghai, though still the 8th in UTC: it has expired.
  platform.runtime.clock.set('2025-03-08T16:00:00.000Z');
  wallet.pullDown();
  await wallet.waitFor('还没有可用的优惠券，去首页看看店铺活动吧');
  expect(wallet.textOf('.tabs')).toBe('可用 0 已使用 0 已过期 1');

  await wallet.tap('已过期');
  await wallet.waitFor('当日券');
  expect(wallet.text).toContain('当日券 已于 2025-03-08 23:59 过期');
  expect(wallet.text).not.toContain('即将过期');
});

test('each tab of an empty wallet says so in its own words', async () => {
  const wallet = openPage(WALLET);

  await wallet.waitFor('还没有可用的优惠券，去首页看看店铺活动吧');
  expect(wallet.textOf('.tabs')).toBe('可用 0 已使用 0 已过期 0');
  await wallet.tap('已使用');
  await wallet.waitFor('还没有使用过优惠券');
  await wallet.tap('已过期');
  await wallet.waitFor('没有过期的优惠券');

  await wallet.tap('可用');
  await wallet.waitFor('去首页看看');
  await wallet.tap('去首页看看');
  expect(platform.navigations).toEqual([{ kind: 'switchTab', url: '/pages/home/index' }]);
});

test('a long wallet shows 20 coupons and the rest when the customer reaches the bottom', async () => {
  const many = await ownerCreatesCoupon({ title: '常客券', totalStock: null, perMemberLimit: 20 });
  const more = await ownerCreatesCoupon({ title: '回馈券', totalStock: null, perMemberLimit: 5 });
  for (let i = 0; i < 20; i++) await customerClaims('customer-wang', many.id);
  platform.runtime.clock.advance(60_000);
  for (let i = 0; i < 5; i++) await customerClaims('customer-wang', more.id);

  const wallet = openPage(WALLET);
  await wallet.waitFor('加载更多');
  expect(cardsOn(wallet)).toBe(20);
  expect(wallet.textOf('.tabs')).toBe('可用 25 已使用 0 已过期 0');
  expect(wallet.text.indexOf('回馈券')).toBeLessThan(wallet.text.indexOf('常客券')); // newest first

  wallet.reachBottom();
  await wallet.waitFor('没有更多了');
  expect(cardsOn(wallet)).toBe(25);
  expect(wallet.text.match(/回馈券/g)).toHaveLength(5);
  expect(wallet.text.match(/常客券/g)).toHaveLength(20);
  const pages = platform.calls.map((c) => (c.data as { payload: { cursor?: string } }).payload);
  expect(pages).toHaveLength(2);
  expect(pages[1].cursor).toEqual(expect.any(String));
});

test('when the next page fails the list stays and the footer retries it', async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const many = await ownerCreatesCoupon({ title: '常客券', totalStock: null, perMemberLimit: 20 });
  const more = await ownerCreatesCoupon({ title: '回馈券', totalStock: null, perMemberLimit: 5 });
  for (let i = 0; i < 20; i++) await customerClaims('customer-wang', many.id);
  await customerClaims('customer-wang', more.id);
  const wallet = openPage(WALLET);
  await wallet.waitFor('加载更多');

  platform.goOffline();
  wallet.reachBottom();
  await wallet.waitFor('加载失败，点此重试');
  expect(cardsOn(wallet)).toBe(20);

  platform.goOnline();
  await wallet.tap('加载失败，点此重试');
  await wallet.waitFor('没有更多了');
  expect(cardsOn(wallet)).toBe(21);
});

test('pulling down shows a coupon claimed elsewhere', async () => {
  const first = await ownerCreatesCoupon({ title: '首张券' });
  const second = await ownerCreatesCoupon({ title: '第二张券' });
  await customerClaims('customer-wang', first.id);
  const wallet = openPage(WALLET);
  await wallet.waitFor('首张券');

  await customerClaims('customer-wang', second.id);
  wallet.pullDown();

  await wallet.waitFor('第二张券');
  expect(wallet.textOf('.tabs')).toBe('可用 2 已使用 0 已过期 0');
  expect(platform.pullDownsStopped).toBe(1);
});

test('back from a redemption, the wallet refreshes when it is shown again', async () => {
  const tpl = await ownerCreatesCoupon({ title: '到店券' });
  const coupon = await customerClaims('customer-wang', tpl.id);
  const wallet = openPage(WALLET);
  await wallet.waitFor('到店券');

  await staffRedeems(DEMO_OWNER_OPENID, coupon.code, 12000);
  wallet.show();

  await wallet.waitFor('可用 0 已使用 1 已过期 0');
  expect(wallet.text).toContain('还没有可用的优惠券');
});

test('when the wallet cannot be loaded it says so and 重试 loads it', async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const tpl = await ownerCreatesCoupon({ title: '到店券' });
  await customerClaims('customer-wang', tpl.id);
  platform.goOffline();

  const wallet = openPage(WALLET);
  await wallet.waitFor('网络不稳定，请稍后重试');
  expect(wallet.text).not.toContain('到店券');

  platform.goOnline();
  await wallet.tap('重试');
  await wallet.waitFor('到店券');
});

test('tapping a coupon opens its detail page', async () => {
  const tpl = await ownerCreatesCoupon({ title: '到店券' });
  const coupon = await customerClaims('customer-wang', tpl.id);
  const wallet = openPage(WALLET);
  await wallet.waitFor('到店券');

  await wallet.tap('满99减20');

  expect(platform.navigations).toEqual([{ kind: 'navigateTo', url: `/pages/coupon/detail/index?id=${coupon.id}` }]);
});

test('the 券包 tab opens the wallet from 首页', async () => {
  const home = openPage('pages/home/index');
  await home.waitFor('山间茶舍（演示店铺）');

  await home.tabBar.tap('券包');

  expect(platform.navigations).toEqual([{ kind: 'switchTab', url: '/pages/wallet/index' }]);
});
