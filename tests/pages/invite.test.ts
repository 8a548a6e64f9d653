/** 邀请好友: a member shares their link, a friend joins through it, and the member sees them in 我的邀请. */
import { ownerRunsInviteCampaign } from './support/invites';
import { customerJoined, memberDoc } from './support/members';
import { openPage, switchPhone } from './support/pages';
import { follow, parsePath } from './support/story';
import { platform } from './support/wechat';

const INVITE = 'pages/invite/index';

test('a member shares their invite link, a friend joins through it, and the member sees the friend in 我的邀请', async () => {
  await ownerRunsInviteCampaign();
  await customerJoined('inviter-li', { nickname: '李雷' });
  switchPhone('inviter-li');

  const page = openPage(INVITE);
  await page.waitFor('分享邀请链接');
  expect(page.text).toContain('邀好友 得好礼');
  expect(page.text).toContain('好友加入会员，你得 邀请奖励券');
  expect(page.text).toContain('已邀请 0 人');
  expect(page.text).toContain('还没有好友通过你的邀请加入');
  const shared = page.share();
  expect(shared.path).toMatch(/^\/pages\/entry\/index\?invite=iv[0-9A-Za-z]{28}$/);
  const { route, query } = parsePath(shared.path ?? '');

  switchPhone('friend-han');
  platform.willSharePhone('dev:13700002222');
  const landing = openPage(route, query);
  await landing.waitFor('邀请你加入会员');
  expect(landing.text).toContain('邀好友 得好礼');
  await landing.tap('加入会员');
  const join = follow('navigateTo');
  await join.waitFor('授权手机号并加入');
  await join.tap('我已阅读并同意《会员隐私保护指引》');
  await join.tapPhoneButton('授权手机号并加入');
  await join.waitFor('加入成功');
  expect((await memberDoc('friend-han'))?.attribution).toMatchObject({ source: 'invite' });

  switchPhone('inviter-li');
  const mine = openPage(INVITE);
  await mine.waitFor('已邀请 1 人');
  expect(mine.text).toMatch(/\d{4}-\d{2}-\d{2} 加入/);
  expect(mine.text).toContain('入会奖励');
});

test('the invite poster code opens the same landing, and the member\'s own link says so', async () => {
  await customerJoined('inviter-li', { nickname: '李雷' });
  switchPhone('inviter-li');
  const page = openPage(INVITE);
  await page.waitFor('分享邀请链接');
  const token = parsePath(page.share().path ?? '').query.invite;

  const own = openPage('pages/entry/index', { scene: token });
  await own.waitFor('这是你自己的邀请');
  await own.tap('去邀请好友');
  expect(platform.navigations[platform.navigations.length - 1]).toEqual({ kind: 'redirectTo', url: '/pages/invite/index' });
});

test('a visitor who is not a member is asked to join before inviting', async () => {
  switchPhone('visitor-zhao');
  const page = openPage(INVITE);
  await page.waitFor('加入会员后即可邀请好友');
  await page.tap('加入会员');
  expect(platform.navigations[platform.navigations.length - 1]).toEqual({ kind: 'navigateTo', url: '/pages/member/join/index' });
});
