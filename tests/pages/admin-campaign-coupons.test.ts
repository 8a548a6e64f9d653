/**
 * 活动 → 优惠券 from the phone: the owner makes a coupon on the campaign page (every coupon type the
 * store offers, fixed dates or days after the claim, who may claim it), schedules, tops up, pauses,
 * resumes and ends it, while customers are refused or served as its status says.
 */
import { CAMPAIGN, confirms, createsIt, customerAsks, fills, listShows, ownerStartsNew, topsUp } from './support/campaigns';
import { customerJoined } from './support/members';
import { openPage } from './support/pages';
import { platform } from './support/wechat';

const claim = (openid: string, templateId: string) => customerAsks(openid, 'coupon', 'coupon.claim', { templateId });

async function refusedWith(openid: string, templateId: string): Promise<string> {
  const res = await claim(openid, templateId);
  if (res.ok) throw new Error(`${openid} was given the coupon`);
  return res.error.message;
}

test('the owner makes a coupon that starts tomorrow, tops it up once it runs, pauses, resumes and ends it from the tab', async () => {
  const form = await ownerStartsNew('优惠券');
  await form.waitFor('券名称');
  await fills(form, { title: '春茶券', rules: '全场满 99 元可用，不与其他优惠同享', amountOff: '20', threshold: '99', totalStock: '50', perMemberLimit: '1', validDays: '7' });
  await form.pick('#f-startDate', '2025-03-09');
  await form.pick('#f-startTime', '10:00');
  const id = await createsIt(form, '春茶券', '未开始');
  expect(form.text).toContain('优惠券 · 满99减20');
  expect(await refusedWith('customer-early', id)).toContain('开始');
  await listShows('春茶券', '未开始');

  platform.runtime.clock.set('2025-03-09T02:01:00.000Z');
  const page = openPage(CAMPAIGN, { type: 'coupon', id });
  await page.waitFor('春茶券 进行中');
  expect((await claim('customer-wang', id)).ok).toBe(true);

  await topsUp(page, '春茶券', 20, '剩余 69');

  await confirms(page, '暂停', '春茶券', '已暂停');
  expect(await refusedWith('customer-li', id)).toContain('暂停');
  await listShows('春茶券', '已暂停');
  await confirms(page, '恢复', '春茶券', '进行中');
  expect((await claim('customer-li', id)).ok).toBe(true);
  await confirms(page, '结束', '春茶券', '已结束');
  expect(page.text).not.toContain('修改活动');
  expect(await refusedWith('customer-zhao', id)).toBeTruthy();
  await listShows('春茶券', '已结束');
});

test('a members-only 8.5 折 coupon with fixed dates, a gift coupon and a 无门槛 coupon only cards hand out are made from the form', async () => {
  await customerJoined('member-chen');
  const form = await ownerStartsNew('优惠券');
  await form.waitFor('券名称');
  await fills(form, { title: '会员 85 折', rules: '会员专享，最高优惠 30 元' });
  await form.tap('折扣券');
  await form.waitFor('最高优惠（元）');
  expect(form.text).not.toContain('减免金额（元）');
  await fills(form, { payPercent: '85', maxDiscount: '30', perMemberLimit: '2' });
  await form.tap('固定日期');
  await form.pick('#f-validFrom', '2025-03-08');
  await form.pick('#f-validTo', '2025-03-31');
  await form.tap('仅会员');
  await form.toggle('#f-stackable', true);
  const percent = await createsIt(form, '会员 85 折', '进行中');
  expect(form.text).toContain('券类型 折扣券（上线后不可改）');
  expect(form.text).toContain('可用截止日期 2025-03-31（上线后不可改）');
  expect(form.text).toContain('谁能领 仅会员（上线后不可改）');
  expect(form.text).toContain('可与其他优惠同享 是（上线后不可改）');
  expect(await refusedWith('visitor-zhou', percent)).toBe('该券仅限会员领取，请先加入会员');
  expect((await claim('member-chen', percent)).ok).toBe(true);

  const gift = await ownerStartsNew('优惠券');
  await gift.waitFor('券名称');
  await fills(gift, { title: '到店赠茶', rules: '到店消费满 50 元赠送一份' });
  await gift.tap('赠品券');
  await fills(gift, { giftName: '50g 试饮装', minSpend: '50', perMemberLimit: '1', validDays: '30' });
  await createsIt(gift, '到店赠茶', '进行中');

  const cash = await ownerStartsNew('优惠券');
  await cash.waitFor('券名称');
  await fills(cash, { title: '包裹卡 10 元券', rules: '下单直接抵扣' });
  await cash.tap('无门槛券');
  await fills(cash, { cashOff: '10', perMemberLimit: '1', validDays: '14' });
  await cash.toggle('#f-publicClaim', false);
  const onlyCards = await createsIt(cash, '包裹卡 10 元券', '进行中');
  expect(await refusedWith('member-chen', onlyCards)).toBe('这张券仅通过包裹卡、邀请等活动发放');

  const list = await listShows('包裹卡 10 元券', '进行中');
  expect(list.text).toContain('会员 85 折 进行中');
  expect(list.text).toContain('优惠券 · 8.5折，最高减30元');
  expect(list.text).toContain('优惠券 · 满50赠50g 试饮装');
  expect(list.text).toContain('优惠券 · 10元无门槛 · 仅活动发放');
});
