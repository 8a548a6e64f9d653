/** 绑定订单: a member binds the order from the parcel; mistakes are explained with the tries left. */
import { COLLECTIONS } from '../../database/collections';
import { sentActions } from './support/coupons';
import { countOf, customerJoined, memberDoc, ownerImportsOrders } from './support/members';
import { openPage } from './support/pages';
import { platform } from './support/wechat';

const BIND = 'pages/member/bind/index';
const ORDER = { orderNo: '3872001122334455', phone: '13912345678', amount: '128.50', paidAt: '2025-03-01 12:34:56', product: '明前龙井 250g' };

beforeEach(async () => {
  await ownerImportsOrders([ORDER]);
  await customerJoined('customer-wang');
  platform.actAs('customer-wang');
});

async function attempt(orderNo: string, last4: string) {
  const bind = openPage(BIND);
  await bind.type('#order-no', orderNo);
  await bind.type('#last4', last4);
  await bind.tap('绑定订单');
  return bind;
}

test('a member types the order number and the last four digits and sees the points it earned', async () => {
  const bind = await attempt(ORDER.orderNo, '5678');

  await bind.waitFor('绑定成功');
  expect(bind.text).toContain('+128 积分');
  expect(bind.text).toContain('商品 明前龙井 250g');
  expect(bind.text).toContain('实付 128.50 元');
  expect(bind.text).toContain('付款时间 2025-03-01 12:34');
  expect(bind.textOf('#bound-points')).toBe('128');
  expect(bind.textOf('#bound-level')).toBe('普通会员');
  expect((await memberDoc('customer-wang'))?.points).toBe(128);
});

test('wrong digits say so with the tries left; the right ones then bind it', async () => {
  const bind = await attempt(ORDER.orderNo, '0000');
  await bind.waitFor('手机号后四位与订单不一致，今天还可以再试 9 次');
  expect(bind.text).not.toContain('绑定成功');

  await bind.type('#last4', '5678');
  await bind.tap('绑定订单');
  await bind.waitFor('绑定成功');
});

test('an order the store has not imported says what to do, with the tries left', async () => {
  const bind = await attempt('9999000011112222', '5678');

  await bind.waitFor('没有找到这个订单：请核对订单号，或等店铺导入最新订单后再试（今天还可以再试 9 次）');
});

test('after five wrong tries on one order it is locked for the day', async () => {
  const bind = openPage(BIND);
  await bind.type('#order-no', ORDER.orderNo);
  for (const digits of ['0001', '0002', '0003', '0004', '0005']) {
    await bind.type('#last4', digits);
    await bind.tap('绑定订单');
    await bind.waitFor('手机号后四位与订单不一致');
  }
  await bind.type('#last4', '5678');
  await bind.tap('绑定订单');

  await bind.waitFor('这个订单今天核对失败的次数太多，请明天再试，或联系客服帮你绑定');
  expect((await memberDoc('customer-wang'))?.points).toBe(0);
});

test('an order another member bound is refused', async () => {
  await customerJoined('customer-li');
  platform.actAs('customer-li');
  await (await attempt(ORDER.orderNo, '5678')).waitFor('绑定成功');
  platform.actAs('customer-wang');

  const bind = await attempt(ORDER.orderNo, '5678');

  await bind.waitFor('这个订单已被其他会员绑定，如有疑问请联系客服');
  expect((await memberDoc('customer-wang'))?.points).toBe(0);
});

test('binding the same order again credits nothing twice', async () => {
  await (await attempt(ORDER.orderNo, '5678')).waitFor('绑定成功');

  const again = await attempt(ORDER.orderNo, '5678');

  await again.waitFor('这个订单已经绑定过了');
  expect(again.text).toContain('积分在第一次绑定时已经发放，不会重复发放。');
  expect(again.textOf('#bound-points')).toBe('128');
});

test('an incomplete form is explained before anything is sent', async () => {
  const bind = openPage(BIND);
  await bind.tap('绑定订单');
  expect(bind.text).toContain('请填写订单号');

  await bind.type('#order-no', ORDER.orderNo);
  await bind.type('#last4', '56');
  await bind.tap('绑定订单');
  expect(bind.text).toContain('请填写订单手机号的后四位数字');
  expect(sentActions('member.bindOrder')).toHaveLength(0);
});

test('粘贴 takes the order as copied from the shopping app; an empty clipboard says so', async () => {
  const bind = openPage(BIND);
  await bind.tap('粘贴');
  await bind.waitFor('绑定订单'); // nothing to paste: a toast, the form unchanged
  expect(platform.toasts).toEqual(['剪贴板里没有内容']);

  platform.clipboard = `订单编号：${ORDER.orderNo}\n`;
  await bind.tap('粘贴');
  await bind.type('#last4', '5678');
  await bind.tap('绑定订单');

  await bind.waitFor('绑定成功');
  expect(sentActions('member.bindOrder')[0].payload).toEqual({ orderNo: `订单编号：${ORDER.orderNo}`, phoneLast4: '5678' });
});

test('a bind whose answer was lost, tapped again, credits once with the same request id', async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const bind = openPage(BIND);
  await bind.type('#order-no', ORDER.orderNo);
  await bind.type('#last4', '5678');

  platform.loseNextAnswer();
  await bind.tap('绑定订单');
  await bind.waitFor('网络不稳定，请稍后重试');
  await bind.tap('绑定订单');

  await bind.waitFor('绑定成功');
  expect(bind.text).toContain('+128 积分');
  expect((await memberDoc('customer-wang'))?.points).toBe(128);
  expect(await countOf(COLLECTIONS.pointsLedger)).toBe(1);
  const binds = sentActions('member.bindOrder');
  expect(binds).toHaveLength(2);
  expect(binds[1].requestId).toBe(binds[0].requestId);
});
