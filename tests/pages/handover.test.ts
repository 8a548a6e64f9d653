/** 离职继承 (admins): a departing clerk's members go to colleagues in one action. */
import { DEMO_OWNER_OPENID } from '../../local/seed';
import { act, customerJoined, memberDoc } from './support/members';
import { openPage, switchPhone, until } from './support/pages';
import { hireStaff } from './support/story';
import { platform } from './support/wechat';

const HANDOVER = 'admin/pages/handover/index';

test('an admin hands a departing clerk’s members over to another clerk and sees 已完成 with the number moved', async () => {
  await hireStaff('clerk-liu', '刘小二', 'clerk');
  await hireStaff('clerk-zhao', '赵小三', 'clerk');
  await hireStaff('admin-chen', '陈经理', 'admin');
  const customers = ['customer-a', 'customer-b', 'customer-c'];
  for (const c of customers) await customerJoined(c);
  await act(DEMO_OWNER_OPENID, 'community', 'ownership.assign', { openids: customers, staffId: 'clerk-liu' });

  switchPhone('admin-chen');
  const page = openPage(HANDOVER);
  await page.waitFor('刘小二（店员 · 3 位会员）');
  await page.tap('刘小二（店员 · 3 位会员）');
  await page.tap('全部交给一人');
  await page.tap('赵小三（店员 · 0 位会员）');
  platform.willAnswerModal('confirm');
  await page.tap('开始交接');

  await page.waitFor('已完成');
  expect(platform.modals).toHaveLength(1);
  expect(platform.modals[0].content).toContain('刘小二 的 3 位会员将全部交给 赵小三');
  expect(page.text).toContain('已将 刘小二 的 3 位会员交接完毕');
  expect(page.text).toContain('赵小三：3 位');
  for (const c of customers) expect((await memberDoc(c))?.staffId).toBe('clerk-zhao');
});

test('cancelling the confirmation moves nobody', async () => {
  await hireStaff('clerk-liu', '刘小二', 'clerk');
  await hireStaff('clerk-zhao', '赵小三', 'clerk');
  await customerJoined('customer-a');
  await act(DEMO_OWNER_OPENID, 'community', 'ownership.assign', { openids: ['customer-a'], staffId: 'clerk-liu' });

  switchPhone(DEMO_OWNER_OPENID);
  const page = openPage(HANDOVER);
  await page.waitFor('刘小二（店员 · 1 位会员）');
  await page.tap('刘小二（店员 · 1 位会员）');
  platform.willAnswerModal('cancel');
  await page.tap('开始交接');
  await until(() => platform.modals.length === 1, () => 'the confirmation never opened');
  expect(page.text).not.toContain('已完成');
  expect((await memberDoc('customer-a'))?.staffId).toBe('clerk-liu');
});

test('a clerk cannot reach the handover', async () => {
  await hireStaff('clerk-liu', '刘小二', 'clerk');
  switchPhone('clerk-liu');
  const page = openPage(HANDOVER);
  await page.waitFor('仅限管理员');
  expect(page.text).not.toContain('开始交接');
  expect(platform.calls.some((c) => JSON.stringify(c.data).includes('ownership.'))).toBe(false);
});

