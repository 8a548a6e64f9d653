/** Joining the staff from an invite: the join page in the admin subpackage. */
import { DEMO_OWNER_OPENID } from '../../local/seed';
import { openPage, switchPhone } from './support/pages';
import { parsePath } from './support/story';
import { platform } from './support/wechat';

const JOIN = 'admin/pages/join/index';

/** The owner invites someone on the admin page and reads off the path to send them. */
async function ownerInvites(name: string): Promise<{ route: string; query: Record<string, string> }> {
  switchPhone(DEMO_OWNER_OPENID);
  const admin = openPage('admin/pages/index/index');
  await admin.waitFor('邀请员工');
  await admin.type('#invite-name', name);
  await admin.tap('生成邀请码');
  await admin.waitFor(`已为 ${name}（店员）生成邀请码`);
  const path = admin.textOf('.invite__path').replace(/^小程序路径：/, '');
  return parsePath(path);
}

test('a staff invite redeemed on the join page makes the invitee staff; a second person is told it was used', async () => {
  const invite = await ownerInvites('小李');
  expect(invite.route).toBe(JOIN);

  switchPhone('invitee-li');
  const join = openPage(invite.route, invite.query);
  expect(join.text).toContain('你收到了店铺团队的邀请');
  await join.tap('确认加入');

  await join.waitFor('已加入店铺团队');
  expect(join.text).toContain('小李，你的身份是店员。');
  await join.tap('进入店铺管理');
  expect(platform.navigations).toEqual([{ kind: 'redirectTo', url: '/admin/pages/index/index' }]);

  const mine = openPage('pages/mine/index');
  await mine.waitFor('员工身份');
  expect(mine.text).toContain('小李 店员');
  expect(mine.tabBar.text).toContain('管理');

  switchPhone('customer-zhao');
  const second = openPage(invite.route, invite.query);
  await second.tap('确认加入');

  await second.waitFor('这个邀请码已被使用');
  expect(second.text).toContain('返回首页');
  expect(second.text).not.toContain('重试');
  const zhaoMine = openPage('pages/mine/index');
  await zhaoMine.waitFor('你好，欢迎光临');
});

test('an invite used after it expired is refused as expired', async () => {
  const invite = await ownerInvites('小王');
  platform.runtime.clock.advance(73 * 3600_000);

  switchPhone('invitee-wang');
  const join = openPage(invite.route, invite.query);
  await join.tap('确认加入');

  await join.waitFor('邀请码已过期，请向店长重新索取');
  expect(join.text).not.toContain('重试');
});

test('a made-up code is refused as invalid', async () => {
  platform.actAs('invitee-guess');

  const join = openPage(JOIN, { code: 'aaaaaaaaaaaaaaaaaaaa.bm90LXNpZ25lZA' });
  await join.tap('确认加入');

  await join.waitFor('邀请码无效，请向店长重新索取');
});

test('a link without a code says it is incomplete and leads back home', async () => {
  platform.actAs('invitee-li');

  const join = openPage(JOIN, {});

  expect(join.text).toContain('邀请链接不完整');
  expect(join.text).not.toContain('确认加入');
  await join.tap('返回首页');
  expect(platform.navigations).toEqual([{ kind: 'switchTab', url: '/pages/home/index' }]);
});

test('a confirmation whose answer was lost can be retried with the same request id, and joins', async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const invite = await ownerInvites('小李');
  switchPhone('invitee-li');
  const join = openPage(invite.route, invite.query);

  platform.loseNextAnswer();
  await join.tap('确认加入');
  await join.waitFor('网络不稳定，请稍后重试');
  await join.tap('重试');

  await join.waitFor('已加入店铺团队');
  const redeems = platform.calls.filter((c) => (c.data as { action: string }).action === 'staff.redeemInvite');
  expect(redeems).toHaveLength(2);
  const [first, second] = redeems.map((c) => (c.data as { requestId?: string }).requestId);
  expect(first).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
  expect(second).toBe(first);
});
