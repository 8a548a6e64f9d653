/** 活动 and 操作记录 (admin subpackage): the list of every campaign, making one and pausing it, and the audit log. */
import { DEMO_OWNER_OPENID } from '../../local/seed';
import { ownerCreatesCoupon } from './support/coupons';
import { openPage, switchPhone, until } from './support/pages';
import { follow, hireStaff } from './support/story';
import { platform } from './support/wechat';

const LIST = 'admin/pages/campaigns/index';

test('the owner sees every campaign with its status and filters them by kind; an empty kind says so', async () => {
  await ownerCreatesCoupon({ title: '老客回购券' });
  platform.actAs(DEMO_OWNER_OPENID);
  const page = openPage(LIST);
  await page.waitFor('老客回购券');
  expect(page.text).toContain('进行中');
  expect(page.text).toContain('优惠券 · 满99减20');
  expect(page.text).toContain('已领 0 · 剩余 100 · 已核销 0');

  await page.tap('拼团');
  await page.waitFor('还没有活动');
  expect(page.text).not.toContain('老客回购券');
  await page.tap('优惠券');
  await page.waitFor('老客回购券');
});

test('when the list cannot be loaded it says so, and 重试 loads it', async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  await ownerCreatesCoupon({ title: '老客回购券' });
  platform.actAs(DEMO_OWNER_OPENID);
  const page = openPage(LIST);
  await page.waitFor('老客回购券');
  platform.goOffline();
  await page.tap('全部');
  await page.waitFor('网络不稳定，请稍后重试');
  platform.goOnline();
  await page.tap('重试');
  await page.waitFor('老客回购券');
});

test('the owner creates a community entry from the tab, then pauses it after confirming', async () => {
  platform.actAs(DEMO_OWNER_OPENID);
  const list = openPage(LIST);
  await list.waitFor('新建活动');
  await list.tap('新建活动');
  const form = follow('navigateTo');
  await form.waitFor('新建活动');
  await form.tap('社群入口');
  await form.waitFor('入口名称');
  await form.tap('创建');
  await form.waitFor('请填写入口名称');

  await form.type('#f-name', '春茶群');
  await form.type('#f-welcome', '群里每周三有茶友价');
  await form.tap('创建');
  await form.waitFor('修改活动');
  expect(form.text).toContain('春茶群 进行中');

  platform.willAnswerModal('confirm');
  await form.tap('暂停');
  await form.waitFor('已暂停');
  expect(platform.modals.pop()).toMatchObject({ title: '暂停活动', confirmText: '暂停' });

  const again = openPage(LIST);
  await again.waitFor('春茶群');
  expect(again.text).toContain('已暂停');
  expect(again.text).toContain('恢复');
});

test('a clerk sees the campaigns but cannot change them', async () => {
  await ownerCreatesCoupon({ title: '老客回购券' });
  await hireStaff('clerk-liu', '刘小二', 'clerk');
  switchPhone('clerk-liu');
  const page = openPage(LIST);
  await page.waitFor('老客回购券');
  expect(page.text).toContain('你可以查看和预览活动');
  expect(page.text).not.toContain('新建活动');
  expect(page.text).not.toContain('暂停');
});

test('the audit log shows who changed what, with before and after; a clerk may not open it', async () => {
  const coupon = await ownerCreatesCoupon({ title: '老客回购券' });
  platform.actAs(DEMO_OWNER_OPENID);
  const list = openPage(LIST);
  await list.waitFor('老客回购券');
  platform.willAnswerModal('confirm');
  await list.tap('暂停');
  await list.waitFor('已暂停');

  const audit = openPage('admin/pages/audit/index');
  await audit.waitFor('优惠券状态');
  expect(audit.text).toContain('改前：{"status":"active"}');
  expect(audit.text).toContain('改后：{"status":"paused"}');
  expect(audit.text).toContain(`couponTemplates/${coupon.id}`);
  expect(audit.text).toContain('新建优惠券');

  await hireStaff('clerk-liu', '刘小二', 'clerk');
  switchPhone('clerk-liu');
  const denied = openPage('admin/pages/audit/index');
  await until(() => denied.text.includes('没有权限'), () => denied.text);
});
