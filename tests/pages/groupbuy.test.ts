/** 拼团: a member opens a group and shares it, friends join until it is full, and how it ends. */
import { ownerStartsGroupBuy, memberOpensGroup } from './support/groupbuy';
import { customerJoined } from './support/members';
import { openPage, switchPhone } from './support/pages';
import { follow, parsePath } from './support/story';
import { platform } from './support/wechat';

const DETAIL = 'pages/groupbuy/detail/index';

function tokenOf(path: string): string {
  return parsePath(path).query.token;
}

test('a member opens a group from the campaign page and shares it', async () => {
  const campaign = await ownerStartsGroupBuy();
  await customerJoined('leader-li', { nickname: '李雷' });
  switchPhone('leader-li');

  const page = openPage('pages/groupbuy/campaign/index', { id: campaign.id });
  await page.waitFor('发起拼团');
  expect(page.text).toContain('明前龙井 3 人团');
  expect(page.text).toContain('开团后 24 小时内凑满 3 人即成团');

  await page.tap('发起拼团');
  await until(() => platform.navigations.length > 0);
  const detail = follow('navigateTo');
  await detail.waitFor('还差 2 人成团');
  expect(detail.text).toContain('拼团中');
  expect(detail.text).toContain('李雷（我）');
  expect(detail.text).toContain('团长');
  expect(detail.text).toMatch(/剩余 \d\d:\d\d:\d\d/);
  expect(detail.text).toContain('邀请好友参团');

  const shared = detail.share();
  expect(shared.path).toMatch(/^\/pages\/groupbuy\/detail\/index\?token=/);
  expect(shared.title).toContain('明前龙井 3 人团');
});

test('friends join through the shared link until the group is full, and everyone sees 拼团成功 and their coupon', async () => {
  const campaign = await ownerStartsGroupBuy();
  await customerJoined('leader-li', { nickname: '李雷' });
  await customerJoined('friend-han', { nickname: '韩梅梅' });
  await customerJoined('friend-lin', { nickname: '林涛' });
  const group = await memberOpensGroup('leader-li', campaign.id);
  const token = tokenOf(group.sharePath);

  switchPhone('friend-han');
  const first = openPage(DETAIL, { token });
  await first.waitFor('立即参团');
  expect(first.text).toContain('还差 2 人成团');
  expect(first.text).toContain('李雷');
  await first.tap('立即参团');
  await first.waitFor('还差 1 人成团');
  expect(first.text).toContain('韩梅梅（我）');
  expect(first.text).toContain('邀请好友参团');

  switchPhone('friend-lin');
  const last = openPage(DETAIL, { token });
  await last.waitFor('立即参团');
  await last.tap('立即参团');
  await last.waitFor('拼团成功');
  expect(last.text).toContain('你获得了 满99减20');
  expect(last.text).toContain('林涛（我）');
  expect(last.text).not.toContain('立即参团');

  switchPhone('leader-li');
  const leader = openPage(DETAIL, { token });
  await leader.waitFor('拼团成功');
  expect(leader.text).toContain('你获得了 满99减20');
  expect(leader.text).toContain('李雷（我）');

  switchPhone('friend-han');
  const mine = openPage('pages/groupbuy/mine/index');
  await mine.waitFor('明前龙井 3 人团');
  expect(mine.text).toContain('拼团成功');
  expect(mine.text).toContain('我参与的 · 3/3 人');
});

test('a visitor who is not a member yet is sent to join the store first', async () => {
  const campaign = await ownerStartsGroupBuy();
  await customerJoined('leader-li', { nickname: '李雷' });
  const group = await memberOpensGroup('leader-li', campaign.id);
  switchPhone('visitor-zhao');

  const detail = openPage(DETAIL, { token: tokenOf(group.sharePath) });
  await detail.waitFor('加入会员后参团');
  expect(detail.text).toContain('加入会员后即可参与拼团');
  await detail.tap('加入会员后参团');

  expect(platform.navigations[platform.navigations.length - 1]).toEqual({ kind: 'navigateTo', url: '/pages/member/join/index' });
  const join = follow('navigateTo');
  await join.waitFor('授权手机号并加入');
});

test('a group nobody filled shows 拼团失败 once the clock passes its deadline', async () => {
  const campaign = await ownerStartsGroupBuy();
  await customerJoined('leader-li', { nickname: '李雷' });
  const group = await memberOpensGroup('leader-li', campaign.id);
  switchPhone('leader-li');

  const before = openPage(DETAIL, { token: tokenOf(group.sharePath) });
  await before.waitFor('还差 2 人成团');

  platform.runtime.clock.set(new Date(Date.parse(group.expiresAt) + 1000).toISOString());
  before.pullDown();
  await before.waitFor('拼团未成功，已结束');
  expect(before.textOf('.status__label')).toBe('拼团失败');
  expect(before.text).not.toContain('邀请好友参团');
  expect(before.text).toContain('我也开一个团');

  const mine = openPage('pages/groupbuy/mine/index');
  await mine.waitFor('我是团长');
  expect(mine.text).toContain('拼团失败');
  expect(mine.text).toContain('我是团长 · 1/3 人');
});

test('我的拼团 says so when there are none', async () => {
  await customerJoined('leader-li');
  switchPhone('leader-li');
  const mine = openPage('pages/groupbuy/mine/index');
  await mine.waitFor('还没有参加过拼团');
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
}
