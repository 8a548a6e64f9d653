/** 加入会员: joining without a card, the privacy notice, the phone sheet, and what goes wrong on the way. */
import { sentActions } from './support/coupons';
import { customerJoined, memberDoc } from './support/members';
import { openPage } from './support/pages';
import { follow } from './support/story';
import { platform } from './support/wechat';

const JOIN = 'pages/member/join/index';

beforeEach(() => platform.actAs('customer-wang'));

test('a visitor joins from 首页 without a card, and the member card takes the place of 加入会员', async () => {
  platform.willSharePhone('dev:13700001111');
  const home = openPage('pages/home/index');
  await home.waitFor('成为本店会员');
  await home.tap('加入会员');
  expect(platform.navigations).toEqual([{ kind: 'navigateTo', url: '/pages/member/join/index' }]);

  const join = follow('navigateTo');
  await join.waitFor('授权手机号并加入');
  expect(join.text).toContain('成为本店会员');
  expect(join.text).toContain('会员隐私保护指引（2026-03-01 生效）');
  expect(join.text).toContain('加入会员时：你授权的手机号');
  await join.tap('我已阅读并同意《会员隐私保护指引》');
  await join.tapPhoneButton('授权手机号并加入');

  await join.waitFor('加入成功');
  expect(join.text).toContain('会员手机号 137****1111 开发测试号码');
  expect(join.text).not.toContain('领取成功');
  const member = await memberDoc('customer-wang');
  expect(member).toMatchObject({ nickname: '', avatar: null, birthday: null, attribution: { source: 'direct' } });
  expect(member?.privacy.version).toBe('2026-03-01');

  await join.tap('查看会员卡');
  home.show();
  await home.waitFor('普通会员');
  expect(home.textOf('#member-card')).toContain('微信用户 普通会员 137****1111 开发测试号码');
  expect(home.text).not.toContain('成为本店会员');
});

test('declining the phone sheet says why the number is needed, and the next tap joins', async () => {
  const join = openPage(JOIN);
  await join.waitFor('授权手机号并加入');
  await join.tap('我已阅读并同意《会员隐私保护指引》');

  platform.willSharePhone('deny');
  await join.tapPhoneButton('授权手机号并加入');
  await join.waitFor('需要授权手机号才能加入会员');
  expect(sentActions('member.join')).toHaveLength(0);

  platform.willSharePhone('dev:13912345678');
  await join.tapPhoneButton('授权手机号并加入');
  await join.waitFor('加入成功');
  expect(sentActions('member.join')).toHaveLength(1);
});

test('the full privacy notice is one tap away', async () => {
  const join = openPage(JOIN);
  await join.waitFor('查看完整指引');

  await join.tap('查看完整指引');

  const notice = follow('navigateTo');
  await notice.waitFor('我们收集哪些信息');
  expect(notice.text).toContain('会员隐私保护指引 版本 2026-03-01，2026-03-01 起生效');
  for (const heading of ['我们如何使用', '我们如何保存和保护', '你的权利', '联系我们']) expect(notice.text).toContain(heading);
  expect(notice.text).not.toContain('我已阅读并同意'); // reading it is not accepting it again
});

test('a member who opens the join page is told so, and is not asked for the phone again', async () => {
  await customerJoined('customer-wang');

  const join = openPage(JOIN, { scene: 'x', benefit: '满99减20' });

  await join.waitFor('你已经是会员了');
  expect(join.text).not.toContain('授权手机号并加入');
  expect(sentActions('member.join')).toHaveLength(0);
});

test('an avatar that cannot be uploaded is left out with a note, and the customer still joins', async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const join = openPage(JOIN);
  await join.waitFor('授权手机号并加入');

  platform.goOffline();
  await join.chooseAvatar('选择头像');
  await join.waitFor('头像没能上传，可以稍后在「个人资料」中重新设置');
  platform.goOnline();
  await join.tap('我已阅读并同意《会员隐私保护指引》');
  await join.tapPhoneButton('授权手机号并加入');

  await join.waitFor('加入成功');
  expect((await memberDoc('customer-wang'))?.avatar).toBeNull();
  expect(sentActions('member.join')[0].payload).not.toHaveProperty('avatar');
});

test('a chosen avatar is uploaded to cloud storage once and joined with its file id', async () => {
  platform.willChooseAvatar('http://tmp/wang-portrait.png');
  const join = openPage(JOIN);
  await join.waitFor('授权手机号并加入');

  await join.chooseAvatar('选择头像');
  await join.tap('我已阅读并同意《会员隐私保护指引》');
  await join.tapPhoneButton('授权手机号并加入');

  await join.waitFor('加入成功');
  expect(platform.uploads).toHaveLength(1);
  expect(platform.uploads[0]).toMatchObject({ filePath: 'http://tmp/wang-portrait.png' });
  expect(platform.uploads[0].cloudPath).toMatch(/^avatars\/[a-z0-9]+\.png$/);
  expect((await memberDoc('customer-wang'))?.avatar).toBe(platform.uploads[0].fileId);
});

test('when the notice cannot be loaded the page says so and 重试 loads it', async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  platform.goOffline();

  const join = openPage(JOIN);
  await join.waitFor('网络不稳定，请稍后重试');
  expect(join.text).not.toContain('授权手机号并加入');

  platform.goOnline();
  await join.tap('重试');
  await join.waitFor('授权手机号并加入');
});

test('a join that cannot reach the cloud keeps the phone authorisation: 重试加入 sends it again', async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const join = openPage(JOIN);
  await join.waitFor('授权手机号并加入');
  await join.tap('我已阅读并同意《会员隐私保护指引》');

  platform.goOffline();
  await join.tapPhoneButton('授权手机号并加入');
  await join.waitFor('重试加入');
  expect(await memberDoc('customer-wang')).toBeNull();

  platform.goOnline();
  await join.tap('重试加入');
  await join.waitFor('加入成功');
  expect(platform.phoneSheets).toBe(1);
  expect(sentActions('member.join')).toHaveLength(1); // the offline try never left the phone
});
