/** 核销 (admin subpackage): staff scan or type a customer's code, check it against the order, and redeem it. */
import { COLLECTIONS } from '../../database/collections';
import { DEMO_OWNER_OPENID } from '../../local/seed';
import { getDb } from '../../server/runtime/db';
import { addMember } from '../coupons/support';
import { openPage, switchPhone, until } from './support/pages';
import { hireStaff } from './support/story';
import { couponOf, customerClaims, ownerCreatesCoupon, sentActions, staffRedeems } from './support/coupons';
import { platform } from './support/wechat';

const VERIFY = 'admin/pages/verify/index';

/** A customer, 小王, holds a 满99减20 coupon; returns its code. */
async function customerHoldsCoupon(): Promise<{ id: string; code: string }> {
  await addMember('customer-wang', { nickname: '小王', phoneMasked: '138****8000' });
  const tpl = await ownerCreatesCoupon({ title: '春季尝鲜券' });
  const { id, code } = await customerClaims('customer-wang', tpl.id);
  return { id, code };
}

async function openAsStaff(openid: string) {
  switchPhone(openid);
  const page = openPage(VERIFY);
  await page.waitFor('扫码核销');
  return page;
}

test('a clerk scans a 满99减20 coupon on a 120 元 order, sees 20.00 off, confirms, and a second scan says 已使用', async () => {
  const coupon = await customerHoldsCoupon();
  await hireStaff('clerk-liu', '刘小二', 'clerk');
  const till = await openAsStaff('clerk-liu');

  await till.type('#amount', '120');
  platform.willScan(coupon.code);
  await till.tap('扫码核销');

  await till.waitFor('确认核销');
  expect(platform.scans).toEqual([{ onlyFromCamera: false, scanType: ['qrCode'] }]);
  expect(till.textOf('.check')).toContain('满99减20 可使用 春季尝鲜券');
  expect(till.text).toContain('顾客 小王 138****8000');
  expect(till.text).toContain('订单金额 120.00 元');
  expect(till.text).toContain('优惠 20.00 元');
  expect(till.text).toContain('应收 100.00 元');
  await till.type('#order-ref', 'S-1001');
  await till.tap('确认核销');

  await till.waitFor('核销成功');
  expect(till.text).toContain('优惠 20.00 元');
  expect(till.text).toContain('小票号 S-1001');
  expect(till.text).toContain('核销时间 2025-03-08 10:00');
  expect(till.text).toContain('核销人 刘小二');
  expect(till.text).not.toContain('撤销核销'); // clerks cannot undo
  expect(till.text).toContain('如需撤销这次核销，请联系店长或管理员');
  expect((await couponOf('customer-wang', coupon.id)).state).toBe('used');

  await till.tap('继续核销');
  await till.type('#amount', '120');
  platform.willScan(coupon.code);
  await till.tap('扫码核销');

  await till.waitFor('不能重复使用');
  expect(till.textOf('.check')).toContain('已使用');
  expect(till.text).toContain('这张券已于 2025-03-08 10:00 核销，不能重复使用');
  expect(till.text).not.toContain('确认核销');
  expect(sentActions('coupon.redeem')).toHaveLength(1);
});

test('a customer who opens the verify page is told it is for staff only', async () => {
  platform.actAs('customer-wang');

  const page = openPage(VERIFY);

  await page.waitFor('仅限店铺员工');
  expect(page.text).not.toContain('扫码核销');
  await page.tap('返回首页');
  expect(platform.navigations).toEqual([{ kind: 'switchTab', url: '/pages/home/index' }]);
});

test('staff reach the verify page from 店铺管理', async () => {
  await hireStaff('clerk-liu', '刘小二', 'clerk');
  platform.actAs('clerk-liu');
  const admin = openPage('admin/pages/index/index');
  await admin.waitFor('核销优惠券');

  await admin.tap('核销优惠券');

  expect(platform.navigations).toEqual([{ kind: 'navigateTo', url: '/admin/pages/verify/index' }]);
});

test('a code typed in lower case with spaces and dashes is found', async () => {
  const coupon = await customerHoldsCoupon();
  const till = await openAsStaff(DEMO_OWNER_OPENID);
  const typed = `${coupon.code.slice(0, 3)}-${coupon.code.slice(3, 6)} ${coupon.code.slice(6)}`.toLowerCase();

  await till.type('#code', typed);
  await till.type('#amount', '99.9');
  await till.tap('查询');

  await till.waitFor('确认核销');
  expect(till.text).toContain(`券码 ${coupon.code.slice(0, 5)} ${coupon.code.slice(5)}`);
  expect(till.text).toContain('订单金额 99.90 元');
  expect(till.text).toContain('应收 79.90 元');
  expect(sentActions('coupon.verify')[0].payload).toEqual({ code: typed, orderAmountFen: 9990 });
});

test('scanned before the amount is typed, the code waits for the amount and 查询', async () => {
  const coupon = await customerHoldsCoupon();
  const till = await openAsStaff(DEMO_OWNER_OPENID);

  platform.willScan(coupon.code);
  await till.tap('扫码核销');
  // The camera answers asynchronously, as WeChat's does; the code lands in the code field.
  const codeField = () => (till.comp.data.form as { code: string }).code;
  await until(() => codeField() === coupon.code, () => `the code field holds "${codeField()}"`);
  expect(sentActions('coupon.verify')).toHaveLength(0);
  await till.type('#amount', '150');
  await till.tap('查询');

  await till.waitFor('确认核销');
  expect(sentActions('coupon.verify')[0].payload).toEqual({ code: coupon.code, orderAmountFen: 15000 });
  expect(till.text).toContain('应收 130.00 元');
});

test('amounts with more than two decimals, negative or missing are refused before asking the cloud', async () => {
  const coupon = await customerHoldsCoupon();
  const till = await openAsStaff(DEMO_OWNER_OPENID);
  await till.type('#code', coupon.code);

  await till.tap('查询');
  await till.waitFor('请输入订单金额');
  await till.type('#amount', '99.999');
  await till.tap('查询');
  await till.waitFor('金额最多精确到分（两位小数）');
  await till.type('#amount', '-5');
  await till.tap('查询');
  await till.waitFor('订单金额不能为负数');
  await till.type('#amount', '1e3');
  await till.tap('查询');
  await till.waitFor('请输入正确的金额，如 99.9');

  expect(sentActions('coupon.verify')).toHaveLength(0);
});

test('an order below the threshold is refused with the reason and nothing to confirm', async () => {
  const coupon = await customerHoldsCoupon();
  const till = await openAsStaff(DEMO_OWNER_OPENID);
  await till.type('#code', coupon.code);
  await till.type('#amount', '98.5');

  await till.tap('查询');

  await till.waitFor('订单满 99 元才能使用，当前 98.5 元');
  expect(till.text).not.toContain('确认核销');
  expect(till.text).not.toContain('优惠 ');
});

test('an unknown or malformed code says so; no scan (the person closed the scanner) changes nothing', async () => {
  await customerHoldsCoupon();
  const till = await openAsStaff(DEMO_OWNER_OPENID);
  await till.type('#amount', '120');

  await till.type('#code', 'ABCDE FGHJK');
  await till.tap('查询');
  await till.waitFor('券码不存在，请核对后重新输入');
  await till.type('#code', 'https://example.com/not-a-coupon');
  await till.tap('查询');
  await till.waitFor('券码无效，请核对后重新输入');

  await till.tap('扫码核销');
  expect(platform.toasts).toEqual([]);
  expect(till.text).toContain('券码无效，请核对后重新输入');
});

test('changing the amount after 查询 asks for a new check before anything can be confirmed', async () => {
  const coupon = await customerHoldsCoupon();
  const till = await openAsStaff(DEMO_OWNER_OPENID);
  await till.type('#code', coupon.code);
  await till.type('#amount', '120');
  await till.tap('查询');
  await till.waitFor('确认核销');

  await till.type('#amount', '50');

  expect(till.text).not.toContain('确认核销');
  await till.tap('查询');
  await till.waitFor('订单满 99 元才能使用，当前 50 元');
});

test('a confirmation whose answer was lost, tapped again, redeems once with the same request id', async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const coupon = await customerHoldsCoupon();
  const till = await openAsStaff(DEMO_OWNER_OPENID);
  await till.type('#code', coupon.code);
  await till.type('#amount', '120');
  await till.tap('查询');
  await till.waitFor('确认核销');

  platform.loseNextAnswer();
  await till.tap('确认核销');
  await till.waitFor('网络不稳定，请稍后重试');
  await till.tap('确认核销');

  await till.waitFor('核销成功');
  expect(till.text).toContain('小票号 未填写');
  const redeems = sentActions('coupon.redeem');
  expect(redeems).toHaveLength(2);
  expect(redeems[0].requestId).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
  expect(redeems[1].requestId).toBe(redeems[0].requestId);
});

test('when another till redeems the coupon first, confirming says it was already used', async () => {
  const coupon = await customerHoldsCoupon();
  await hireStaff('clerk-liu', '刘小二', 'clerk');
  const till = await openAsStaff(DEMO_OWNER_OPENID);
  await till.type('#code', coupon.code);
  await till.type('#amount', '120');
  await till.tap('查询');
  await till.waitFor('确认核销');

  await staffRedeems('clerk-liu', coupon.code, 15000, 'S-2002');
  await till.tap('确认核销');

  await till.waitFor('这张券已于 2025-03-08 10:00 核销，不能重复使用');
  expect(till.text).not.toContain('确认核销');
  expect(till.text).not.toContain('核销成功');
});

test('an admin undoes a redemption with a reason; the coupon is back in the customer’s wallet and the log says why', async () => {
  const coupon = await customerHoldsCoupon();
  await hireStaff('admin-zhou', '周店长', 'admin');
  const till = await openAsStaff('admin-zhou');
  await till.type('#code', coupon.code);
  await till.type('#amount', '120');
  await till.tap('查询');
  await till.waitFor('确认核销');
  await till.tap('确认核销');
  await till.waitFor('核销成功');

  await till.tap('撤销核销');
  await till.tap('确认撤销');
  await till.waitFor('请填写撤销原因');
  await till.type('#reverse-reason', '顾客退单');
  await till.tap('确认撤销');

  await till.waitFor('已撤销核销');
  expect(till.text).toContain('这张券已退回顾客的券包，可以再次使用');
  expect(till.text).not.toContain('确认撤销');
  expect((await couponOf('customer-wang', coupon.id)).state).toBe('available');
  const log = await getDb().collection(COLLECTIONS.auditLog).where({ action: 'coupon.reverse' }).get();
  expect(log.data).toEqual([expect.objectContaining({ actor: 'admin-zhou', reason: '顾客退单' })]);
});

test('an undo after the merchant’s window is refused with the reason', async () => {
  const coupon = await customerHoldsCoupon();
  const till = await openAsStaff(DEMO_OWNER_OPENID);
  await till.type('#code', coupon.code);
  await till.type('#amount', '120');
  await till.tap('查询');
  await till.waitFor('确认核销');
  await till.tap('确认核销');
  await till.waitFor('核销成功');

  platform.runtime.clock.advance(25 * 3_600_000);
  await till.tap('撤销核销');
  await till.type('#reverse-reason', '顾客退单');
  await till.tap('确认撤销');

  await till.waitFor('核销已超过 24 小时，不能撤销');
  expect((await couponOf('customer-wang', coupon.id)).state).toBe('used');
});
