/** 店铺管理 (admin subpackage home): staff only; owners and admins see the team and invite staff. */
import { COLLECTIONS } from '../../database/collections';
import { DEMO_OWNER_OPENID } from '../../local/seed';
import { getDb } from '../../server/runtime/db';
import { openPage } from './support/pages';
import { hireStaff } from './support/story';
import { platform } from './support/wechat';

const ADMIN = 'admin/pages/index/index';

async function invitesInDatabase(): Promise<number> {
  const { total } = await getDb().collection(COLLECTIONS.staffInvites).count();
  return total;
}

test('a customer who opens the admin pages is told they are for staff only', async () => {
  platform.actAs('customer-wang');

  const admin = openPage(ADMIN);

  await admin.waitFor('仅限店铺员工');
  expect(admin.text).not.toContain('当前身份');
  expect(admin.text).not.toContain('生成邀请码');
  await admin.tap('返回首页');
  expect(platform.navigations).toEqual([{ kind: 'switchTab', url: '/pages/home/index' }]);
});

test('the owner sees the team and invites a clerk, getting a one-time code to hand over', async () => {
  platform.actAs(DEMO_OWNER_OPENID);
  const admin = openPage(ADMIN);
  await admin.waitFor('2025-03-08 加入');
  expect(admin.textOf('.members')).toContain('店主（演示）');
  expect(admin.textOf('.roles')).toBe('店员 管理员');

  await admin.type('#invite-name', '小李');
  await admin.tap('生成邀请码');

  await admin.waitFor('已为 小李（店员）生成邀请码，仅可使用一次');
  const code = admin.textOf('.invite__code');
  expect(code).toMatch(/^[\w-]+\.[\w-]+$/);
  expect(admin.text).toContain(`小程序路径：/admin/pages/join/index?code=${encodeURIComponent(code)}`);
  expect(admin.text).toContain('有效期至 2025-03-11 02:00'); // 72 hours, shown in the phone's zone (UTC here)

  await admin.tap('复制邀请码');
  expect(platform.clipboard).toBe(code);
  expect(admin.share()).toEqual({ title: '邀请小李加入店铺团队', path: `/admin/pages/join/index?code=${encodeURIComponent(code)}` });
});

test('the owner may invite an admin; an admin may invite clerks only', async () => {
  await hireStaff('admin-zhou', '周店长', 'admin');
  platform.actAs('admin-zhou');

  const admin = openPage(ADMIN);

  await admin.waitFor('邀请员工');
  expect(admin.textOf('.me')).toBe('周店长 管理员');
  expect(admin.textOf('.roles')).toBe('店员');
  await admin.waitFor('周店长 管理员 2025-03-08 加入');
});

test('the owner picks 管理员 and invites an admin', async () => {
  platform.actAs(DEMO_OWNER_OPENID);
  const admin = openPage(ADMIN);
  await admin.waitFor('邀请员工');

  await admin.type('#invite-name', '小周');
  await admin.tap('管理员');
  await admin.tap('生成邀请码');

  await admin.waitFor('已为 小周（管理员）生成邀请码');
});

test('a clerk sees their role but neither the team nor the invite form', async () => {
  await hireStaff('clerk-liu', '刘小二', 'clerk');
  platform.actAs('clerk-liu');

  const admin = openPage(ADMIN);

  await admin.waitFor('当前身份');
  expect(admin.textOf('.me')).toBe('刘小二 店员');
  expect(admin.text).toContain('会员查询');
  expect(admin.text).toContain('数据看板');
  expect(admin.text).not.toContain('包裹卡批次');
  expect(admin.text).not.toContain('店铺团队');
  expect(admin.text).not.toContain('邀请员工');
});

test('an invite without a name is refused with the reason', async () => {
  platform.actAs(DEMO_OWNER_OPENID);
  const admin = openPage(ADMIN);
  await admin.waitFor('邀请员工');

  await admin.tap('生成邀请码');

  await admin.waitFor('请填写姓名');
  expect(await invitesInDatabase()).toBe(0);
});

test('tapping 生成邀请码 again after a lost answer does not create a second invite', async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  platform.actAs(DEMO_OWNER_OPENID);
  const admin = openPage(ADMIN);
  await admin.waitFor('邀请员工');
  await admin.type('#invite-name', '小李');

  platform.loseNextAnswer();
  await admin.tap('生成邀请码');
  await admin.waitFor('网络不稳定，请稍后重试');
  expect(await invitesInDatabase()).toBe(1); // the function did run

  await admin.tap('生成邀请码');
  await admin.waitFor('已为 小李（店员）生成邀请码');
  expect(await invitesInDatabase()).toBe(1);
});

test('a name corrected after a failed attempt gets an invite of its own', async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  platform.actAs(DEMO_OWNER_OPENID);
  const admin = openPage(ADMIN);
  await admin.waitFor('邀请员工');
  await admin.type('#invite-name', '小里');
  platform.loseNextAnswer();
  await admin.tap('生成邀请码');
  await admin.waitFor('网络不稳定，请稍后重试');

  await admin.type('#invite-name', '小李');
  await admin.tap('生成邀请码');

  await admin.waitFor('已为 小李（店员）生成邀请码');
  expect(await invitesInDatabase()).toBe(2);
});

test('when the team cannot be loaded the page says so and 重试 loads it', async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  platform.actAs(DEMO_OWNER_OPENID);
  platform.goOfflineAfter(1); // staff.me goes through, staff.list does not

  const admin = openPage(ADMIN);

  await admin.waitFor('网络不稳定，请稍后重试');
  expect(admin.text).toContain('当前身份 店主（演示） 店主');

  platform.goOnline();
  await admin.tap('重试');

  await admin.waitFor('2025-03-08 加入');
});
