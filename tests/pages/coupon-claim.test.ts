/** 领取优惠券: a customer claims a coupon from the store's campaign and finds it in 券包. */
import { openPage, switchPhone } from './support/pages';
import { parsePath } from './support/story';
import {
  couponsHeldBy,
  customerClaims,
  ownerCreatesCoupon,
  ownerSetsStatus,
  reminderCreditsOf,
  sentActions,
} from './support/coupons';
import { platform } from './support/wechat';

const CLAIM = 'pages/coupon/claim/index';
/** The expiry reminder's subscribe-message template on the local runtime. */
const LOCAL_REMINDER_TEMPLATE = 'local-coupon-expiry-reminder';

/** Follows the last navigation the app asked for, as WeChat would. */
function follow(kind: 'navigateTo' | 'redirectTo' | 'switchTab') {
  const last = platform.navigations[platform.navigations.length - 1];
  expect(last?.kind).toBe(kind);
  const { route, query } = parsePath(last.url ?? '');
  return openPage(route, query);
}

test('a customer claims a coupon from the home page, finds it in 券包 and opens its code', async () => {
  const tpl = await ownerCreatesCoupon({ title: '春季尝鲜券' });
  switchPhone('customer-wang');

  const home = openPage('pages/home/index');
  await home.waitFor('春季尝鲜券');
  await home.tap('去领取');
  expect(platform.navigations).toEqual([{ kind: 'navigateTo', url: `/pages/coupon/claim/index?templateId=${tpl.id}` }]);

  const claim = follow('navigateTo');
  await claim.waitFor('立即领取');
  expect(claim.textOf('.offer__benefit')).toBe('满99减20');
  expect(claim.text).toContain('春季尝鲜券');
  expect(claim.text).toContain('有效期：领取后 7 天内有效（含领取当天）');
  expect(claim.text).toContain('剩余 100 张');
  expect(claim.text).toContain('全店通用，每单限用一张');

  await claim.tap('立即领取');
  await claim.waitFor('领取成功');
  // Claimed on Saturday 10:00 in Shanghai: 7 days including today end on Friday 23:59 there.
  expect(claim.text).toContain('已放入券包，有效期至 2025-03-14 23:59');
  expect(claim.text).toContain('去使用');

  await claim.tap('查看券包');
  expect(platform.navigations[platform.navigations.length - 1]).toEqual({ kind: 'switchTab', url: '/pages/wallet/index' });
  const wallet = openPage('pages/wallet/index');
  await wallet.waitFor('春季尝鲜券');
  expect(wallet.textOf('.tabs')).toBe('可用 1 已使用 0 已过期 0');
  expect(wallet.text).toContain('满99减20 春季尝鲜券 有效期至 2025-03-14 23:59');

  await wallet.tap('春季尝鲜券');
  const detail = follow('navigateTo');
  await detail.waitFor('可使用');
  const [held] = await couponsHeldBy('customer-wang');
  expect(detail.textOf('.ticket__code').replace(/ /g, '')).toBe(held.code);
  expect(detail.text).toContain('结账时请向店员出示二维码或券码');
});

test('去使用 opens the new coupon with its code', async () => {
  const tpl = await ownerCreatesCoupon();
  platform.actAs('customer-wang');
  const claim = openPage(CLAIM, { templateId: tpl.id });
  await claim.waitFor('立即领取');
  await claim.tap('立即领取');
  await claim.waitFor('领取成功');

  await claim.tap('去使用');

  const detail = follow('redirectTo');
  await detail.waitFor('可使用');
  const [held] = await couponsHeldBy('customer-wang');
  expect(detail.textOf('.ticket__code').replace(/ /g, '')).toBe(held.code);
});

test('a claim whose answer was lost, tapped again, gives one coupon with the same request id', async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const tpl = await ownerCreatesCoupon({ perMemberLimit: 3 });
  platform.actAs('customer-wang');
  const claim = openPage(CLAIM, { templateId: tpl.id });
  await claim.waitFor('立即领取');

  platform.loseNextAnswer();
  await claim.tap('立即领取');
  await claim.waitFor('网络不稳定，请稍后重试');
  expect(await couponsHeldBy('customer-wang')).toHaveLength(1); // the cloud did issue it

  await claim.tap('立即领取');
  await claim.waitFor('领取成功');

  expect(await couponsHeldBy('customer-wang')).toHaveLength(1);
  const claims = sentActions('coupon.claim');
  expect(claims).toHaveLength(2);
  expect(claims[0].requestId).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
  expect(claims[1].requestId).toBe(claims[0].requestId);
});

test('a sold-out coupon says 已领完 and its button claims nothing', async () => {
  const tpl = await ownerCreatesCoupon({ totalStock: 1 });
  await customerClaims('customer-early', tpl.id);
  platform.actAs('customer-wang');

  const claim = openPage(CLAIM, { templateId: tpl.id });

  await claim.waitFor('已领完');
  expect(claim.text).toContain('来晚了，券已经被领完了');
  expect(claim.text).toContain('剩余 0 张');
  expect(claim.text).not.toContain('立即领取');
  await claim.tap('已领完');
  await claim.tap('已领完');
  expect(sentActions('coupon.claim')).toHaveLength(0);
  expect(await couponsHeldBy('customer-wang')).toHaveLength(0);
});

test('a customer who already holds the coupon is told the limit is reached and offered 券包', async () => {
  const tpl = await ownerCreatesCoupon();
  await customerClaims('customer-wang', tpl.id);
  platform.actAs('customer-wang');

  const claim = openPage(CLAIM, { templateId: tpl.id });

  await claim.waitFor('已达到领取上限');
  expect(claim.text).toContain('你已经领过这张券了');
  await claim.tap('查看券包');
  expect(platform.navigations).toEqual([{ kind: 'switchTab', url: '/pages/wallet/index' }]);
});

test('a paused campaign says so; an unlimited one says 不限量', async () => {
  const paused = await ownerCreatesCoupon({ title: '暂停的券' });
  await ownerSetsStatus(paused.id, 'paused');
  const unlimited = await ownerCreatesCoupon({ title: '不限量的券', totalStock: null });
  platform.actAs('customer-wang');

  const first = openPage(CLAIM, { templateId: paused.id });
  await first.waitFor('活动已暂停');
  expect(first.text).toContain('该券已暂停发放');

  const second = openPage(CLAIM, { templateId: unlimited.id });
  await second.waitFor('立即领取');
  expect(second.text).toContain('不限量');
});

test('stock running out between opening the page and tapping closes the offer with the reason', async () => {
  const tpl = await ownerCreatesCoupon({ totalStock: 1 });
  platform.actAs('customer-wang');
  const claim = openPage(CLAIM, { templateId: tpl.id });
  await claim.waitFor('立即领取');

  await customerClaims('customer-quick', tpl.id);
  await claim.tap('立即领取');

  await claim.waitFor('已领完');
  expect(claim.text).toContain('来晚了，券已经被领完了');
  expect(claim.text).not.toContain('立即领取');
});

test('a link to a coupon that does not exist says so and leads home', async () => {
  platform.actAs('customer-wang');

  const unknown = openPage(CLAIM, { templateId: 'tpl_0123456789abcdef' });
  await unknown.waitFor('这张优惠券不存在或已下架');
  const malformed = openPage(CLAIM, { templateId: 'spring-tea' });
  await malformed.waitFor('这张优惠券不存在或已下架');
  const missing = openPage(CLAIM, {});
  expect(missing.text).toContain('这张优惠券不存在或已下架');

  await missing.tap('返回首页');
  expect(platform.navigations).toEqual([{ kind: 'switchTab', url: '/pages/home/index' }]);
});

test('when the offer cannot be loaded the page says so and 重试 loads it', async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const tpl = await ownerCreatesCoupon();
  platform.actAs('customer-wang');
  platform.goOffline();

  const claim = openPage(CLAIM, { templateId: tpl.id });
  await claim.waitFor('网络不稳定，请稍后重试');

  platform.goOnline();
  await claim.tap('重试');
  await claim.waitFor('立即领取');
});

describe('the expiry reminder', () => {
  test('accepted in the claim tap, it is reported once: the customer holds one reminder credit', async () => {
    const tpl = await ownerCreatesCoupon();
    platform.actAs('customer-wang');
    platform.willAnswerSubscribe('accept');
    const claim = openPage(CLAIM, { templateId: tpl.id });
    await claim.waitFor('立即领取');

    await claim.tap('立即领取');

    await claim.waitFor('已开启到期提醒');
    expect(platform.subscribePanels).toEqual([[LOCAL_REMINDER_TEMPLATE]]);
    expect(sentActions('coupon.subscribeReminder')).toHaveLength(1);
    expect(await reminderCreditsOf('customer-wang')).toBe(1);
  });

  test('after a lost claim answer the panel is not shown again and the acceptance still counts once', async () => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const tpl = await ownerCreatesCoupon();
    platform.actAs('customer-wang');
    platform.willAnswerSubscribe('accept');
    const claim = openPage(CLAIM, { templateId: tpl.id });
    await claim.waitFor('立即领取');

    platform.loseNextAnswer();
    await claim.tap('立即领取');
    await claim.waitFor('网络不稳定，请稍后重试');
    await claim.tap('立即领取');

    await claim.waitFor('已开启到期提醒');
    expect(platform.subscribePanels).toHaveLength(1);
    expect(await reminderCreditsOf('customer-wang')).toBe(1);
  });

  test('a lost report is retried with the same request id and adds one credit', async () => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const tpl = await ownerCreatesCoupon();
    platform.actAs('customer-wang');
    platform.willAnswerSubscribe('accept');
    const claim = openPage(CLAIM, { templateId: tpl.id });
    await claim.waitFor('立即领取');

    platform.loseAnswerAfter(1); // the claim is answered, the report's answer is lost
    await claim.tap('立即领取');
    await claim.waitFor('到期提醒未能开启：网络不稳定，请稍后重试');
    expect(await reminderCreditsOf('customer-wang')).toBe(1); // the cloud did record it
    await claim.tap('重新开启提醒');

    await claim.waitFor('已开启到期提醒');
    expect(platform.subscribePanels).toHaveLength(1);
    expect(await reminderCreditsOf('customer-wang')).toBe(1);
    const reports = sentActions('coupon.subscribeReminder');
    expect(reports).toHaveLength(2);
    expect(reports[1].requestId).toBe(reports[0].requestId);
  });

  test('declined, nothing is reported and the customer learns where to turn it on later', async () => {
    const tpl = await ownerCreatesCoupon();
    platform.actAs('customer-wang');
    platform.willAnswerSubscribe('reject');
    const claim = openPage(CLAIM, { templateId: tpl.id });
    await claim.waitFor('立即领取');

    await claim.tap('立即领取');

    await claim.waitFor('领取成功');
    expect(claim.text).toContain('未开启到期提醒，可在券详情中随时开启');
    expect(sentActions('coupon.subscribeReminder')).toHaveLength(0);
    expect(await reminderCreditsOf('customer-wang')).toBe(0);
  });
});

test('a campaign paused while the page is open refuses the claim and then shows 活动已暂停', async () => {
  const tpl = await ownerCreatesCoupon();
  platform.actAs('customer-wang');
  const claim = openPage(CLAIM, { templateId: tpl.id });
  await claim.waitFor('立即领取');

  await ownerSetsStatus(tpl.id, 'paused');
  await claim.tap('立即领取');

  await claim.waitFor('活动已暂停');
  expect(claim.text.match(/该券已暂停发放/g)).toHaveLength(1);
  expect(claim.text).not.toContain('立即领取');
  expect(await couponsHeldBy('customer-wang')).toHaveLength(0);
});

test('a customer shares the offer with a friend, who opens the same claim page', async () => {
  const tpl = await ownerCreatesCoupon({ title: '春季尝鲜券' });
  platform.actAs('customer-wang');
  const claim = openPage(CLAIM, { templateId: tpl.id });
  await claim.waitFor('立即领取');

  const shared = claim.share();

  expect(shared).toEqual({ title: '满99减20｜春季尝鲜券', path: `/pages/coupon/claim/index?templateId=${tpl.id}` });
  switchPhone('friend-zhao');
  const { route, query } = parsePath(shared.path ?? '');
  const friend = openPage(route, query);
  await friend.waitFor('立即领取');
  expect(friend.text).toContain('春季尝鲜券');
});
