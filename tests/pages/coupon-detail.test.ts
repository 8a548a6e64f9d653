/** 优惠券详情: the holder's code and QR for the till; nobody else's coupon; closed coupons say why. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_OWNER_OPENID } from '../../local/seed';
import { MINIPROGRAM_ROOT, openPage } from './support/pages';
import { customerClaims, ownerCreatesCoupon, reminderCreditsOf, sentActions, staffRedeems } from './support/coupons';
import { platform } from './support/wechat';

const DETAIL = 'pages/coupon/detail/index';

beforeEach(() => {
  platform.actAs('customer-wang');
});

test('the holder sees the code in large groups and its QR, with the validity and rules', async () => {
  const tpl = await ownerCreatesCoupon({ title: '春季尝鲜券', rules: '仅限堂食使用' });
  const coupon = await customerClaims('customer-wang', tpl.id);

  const detail = openPage(DETAIL, { id: coupon.id });

  await detail.waitFor('可使用');
  expect(detail.textOf('.ticket__code')).toBe(`${coupon.code.slice(0, 5)} ${coupon.code.slice(5)}`);
  expect(detail.comp.querySelector('.ticket__qr')).toBeTruthy();
  expect((detail.comp.data.coupon as { qr: string }).qr).toMatch(/^data:image\/png;base64,/);
  expect(detail.text).toContain('满99减20 春季尝鲜券 可使用');
  expect(detail.text).toContain('有效期 2025-03-08 10:00 至 2025-03-14 23:59');
  expect(detail.text).toContain('使用规则 仅限堂食使用');
});

test('the QR is drawn at least 480rpx wide and tall, so a staff phone can scan it off the screen', () => {
  const wxss = readFileSync(path.join(MINIPROGRAM_ROOT, DETAIL.replace(/index$/, 'index.wxss')), 'utf8');
  const rule = /\.ticket__qr\s*\{([^}]*)\}/.exec(wxss)?.[1] ?? '';
  const size = (prop: string) => Number(new RegExp(`(?:^|;|\\s)${prop}:\\s*(\\d+)rpx`).exec(rule)?.[1] ?? 0);
  expect(size('width')).toBeGreaterThanOrEqual(480);
  expect(size('height')).toBeGreaterThanOrEqual(480);
});

test("another customer opening someone's coupon is told it is not theirs to see, and sees no code", async () => {
  const tpl = await ownerCreatesCoupon();
  const coupon = await customerClaims('customer-wang', tpl.id);
  platform.actAs('customer-li');

  const detail = openPage(DETAIL, { id: coupon.id });

  await detail.waitFor('找不到这张券');
  expect(detail.text).toContain('它可能不属于当前微信账号');
  expect(detail.text).not.toContain(coupon.code.slice(0, 5));
  expect(detail.comp.querySelector('.ticket__qr')).toBeFalsy();
  await detail.tap('查看我的券包');
  expect(platform.navigations).toEqual([{ kind: 'switchTab', url: '/pages/wallet/index' }]);
});

test('opened from an expiry reminder (no tab bar), the page leads on to all coupons', async () => {
  const tpl = await ownerCreatesCoupon();
  const coupon = await customerClaims('customer-wang', tpl.id);
  const detail = openPage(DETAIL, { id: encodeURIComponent(coupon.id) });
  await detail.waitFor('可使用');

  await detail.tap('查看全部优惠券');

  expect(platform.navigations).toEqual([{ kind: 'switchTab', url: '/pages/wallet/index' }]);
});

test('a malformed or missing id reads as not found', async () => {
  const malformed = openPage(DETAIL, { id: 'not-a-coupon' });
  await malformed.waitFor('找不到这张券');
  const missing = openPage(DETAIL, {});
  expect(missing.text).toContain('找不到这张券');
});

test('a used coupon says when it was used and shows neither QR nor code', async () => {
  const tpl = await ownerCreatesCoupon();
  const coupon = await customerClaims('customer-wang', tpl.id);
  platform.runtime.clock.advance(3 * 3_600_000);
  await staffRedeems(DEMO_OWNER_OPENID, coupon.code, 12000);

  const detail = openPage(DETAIL, { id: coupon.id });

  await detail.waitFor('已使用');
  expect(detail.text).toContain('这张券已于 2025-03-08 13:00 核销');
  expect(detail.comp.querySelector('.ticket__qr')).toBeFalsy();
  expect(detail.text).not.toContain(coupon.code.slice(0, 5));
  expect(detail.text).not.toContain('开启到期提醒');
});

test('an expired coupon says when it expired and shows neither QR nor code', async () => {
  const tpl = await ownerCreatesCoupon({ validity: { type: 'relative', days: 1 } });
  const coupon = await customerClaims('customer-wang', tpl.id);
  platform.runtime.clock.set('2025-03-09T01:00:00.000Z');

  const detail = openPage(DETAIL, { id: coupon.id });

  await detail.waitFor('已过期');
  expect(detail.text).toContain('这张券已于 2025-03-08 23:59 过期');
  expect(detail.comp.querySelector('.ticket__qr')).toBeFalsy();
  expect(detail.text).not.toContain(coupon.code.slice(0, 5));
});

test('a coupon about to expire carries the 即将过期 badge', async () => {
  const tpl = await ownerCreatesCoupon({ validity: { type: 'relative', days: 2 } });
  const coupon = await customerClaims('customer-wang', tpl.id);

  const detail = openPage(DETAIL, { id: coupon.id });

  await detail.waitFor('可使用 即将过期');
});

test('pulling down after the till redeemed it shows it as used', async () => {
  const tpl = await ownerCreatesCoupon();
  const coupon = await customerClaims('customer-wang', tpl.id);
  const detail = openPage(DETAIL, { id: coupon.id });
  await detail.waitFor('可使用');

  await staffRedeems(DEMO_OWNER_OPENID, coupon.code, 12000);
  detail.pullDown();

  await detail.waitFor('已使用');
  expect(detail.comp.querySelector('.ticket__qr')).toBeFalsy();
  expect(platform.pullDownsStopped).toBe(1);
});

test('the customer turns on the expiry reminder from the coupon: one credit is recorded', async () => {
  const tpl = await ownerCreatesCoupon();
  const coupon = await customerClaims('customer-wang', tpl.id);
  const detail = openPage(DETAIL, { id: coupon.id });
  await detail.waitFor('怕忘记使用？到期前微信提醒你');
  platform.willAnswerSubscribe('accept');

  await detail.tap('开启到期提醒');

  await detail.waitFor('已开启到期提醒');
  expect(platform.subscribePanels).toEqual([['local-coupon-expiry-reminder']]);
  expect(sentActions('coupon.subscribeReminder')).toEqual([
    expect.objectContaining({ payload: { templateId: tpl.id, accepted: true }, requestId: expect.any(String) }),
  ]);
  expect(await reminderCreditsOf('customer-wang')).toBe(1);
});

test('declining the reminder on the coupon records nothing and leaves the offer open', async () => {
  const tpl = await ownerCreatesCoupon();
  const coupon = await customerClaims('customer-wang', tpl.id);
  const detail = openPage(DETAIL, { id: coupon.id });
  await detail.waitFor('开启到期提醒');
  platform.willAnswerSubscribe('reject');

  await detail.tap('开启到期提醒');

  await detail.waitFor('你暂未开启提醒');
  expect(detail.text).toContain('开启到期提醒');
  expect(sentActions('coupon.subscribeReminder')).toHaveLength(0);
  expect(await reminderCreditsOf('customer-wang')).toBe(0);
});
