/** 我的 and 个人资料: a member edits the profile, sets the birthday once, reads, exports and deletes. */
import { COLLECTIONS } from '../../database/collections';
import { PRIVACY_VERSION } from '../../server/members/privacy';
import { getDb } from '../../server/runtime/db';
import { sentActions } from './support/coupons';
import { act, countOf, customerJoined, memberDoc, ownerImportsOrders, ownerPrintsCards, sceneOf } from './support/members';
import { openPage, until } from './support/pages';
import { follow, hireStaff } from './support/story';
import { platform } from './support/wechat';

const PROFILE = 'pages/member/profile/index';

beforeEach(async () => {
  await customerJoined('customer-wang', { nickname: '小王' });
  platform.actAs('customer-wang');
});

test('我的 shows the member with the development-number mark and every membership page', async () => {
  const mine = openPage('pages/mine/index');

  await mine.waitFor('小王');
  expect(mine.text).toContain('小王 普通会员 139****5678 开发测试号码');
  for (const item of ['编辑个人资料', '绑定订单', '扫描包裹卡', '隐私保护指引', '导出我的数据', '注销账号']) expect(mine.text).toContain(item);
  expect(mine.text).not.toContain('你好，欢迎光临');

  await mine.tap('编辑个人资料');
  await mine.tap('绑定订单');
  await mine.tap('隐私保护指引');
  await mine.tap('导出我的数据');
  expect(platform.navigations.map((n) => n.url)).toEqual([
    '/pages/member/profile/index',
    '/pages/member/bind/index',
    '/pages/member/privacy/index',
    '/pages/member/export/index',
  ]);
});

test('a staff member who is also a member sees both', async () => {
  await hireStaff('customer-wang', '王店员', 'clerk');

  const mine = openPage('pages/mine/index');

  await mine.waitFor('员工身份');
  expect(mine.text).toContain('王店员');
  expect(mine.text).toContain('小王 普通会员');
});

test('a member changes the nickname and avatar; 我的 shows the new name', async () => {
  const profile = openPage(PROFILE);
  await profile.waitFor('保存');
  expect(profile.text).toContain('手机号 139****5678 开发测试号码');

  await profile.type('#nickname', '王小茶');
  await profile.chooseAvatar('更换头像');
  await profile.tap('保存');

  await until(() => platform.toasts.includes('已保存'), () => `no 已保存; the screen shows ${profile.text}`);
  expect(await memberDoc('customer-wang')).toMatchObject({ nickname: '王小茶', avatar: platform.uploads[0].fileId });
  const mine = openPage('pages/mine/index');
  await mine.waitFor('王小茶');
});

test('saving with nothing changed says so and sends nothing', async () => {
  const profile = openPage(PROFILE);
  await profile.waitFor('保存');

  await profile.tap('保存');

  await profile.waitFor('没有要保存的修改');
  expect(sentActions('member.profile.update')).toHaveLength(0);
});

test('the birthday is set once, after a confirmation, and then shown without a way to change it', async () => {
  const profile = openPage(PROFILE);
  await profile.waitFor('选择生日');
  expect(profile.text).toContain('生日只能设置一次，设置后不能修改。');

  await profile.pick('#birthday', '1990-05-01');
  await profile.tap('保存'); // the person cancels the confirmation
  await until(() => platform.modals.length === 1, () => 'no confirmation');
  expect(platform.modals[0].content).toBe('生日设置后不能修改，确认你的生日是 1990-05-01 吗？');
  expect(sentActions('member.profile.update')).toHaveLength(0);

  platform.willAnswerModal('confirm');
  await profile.tap('保存');
  await profile.waitFor('生日设置后不能修改，如需更正请联系客服。');
  expect(profile.textOf('#birthday-set')).toBe('1990-05-01');
  expect(profile.text).not.toContain('选择生日');
  expect((await memberDoc('customer-wang'))?.birthday).toBe('1990-05-01');
});

test('导出我的数据 shows what the store holds and copies all of it as JSON', async () => {
  const { batch } = await ownerPrintsCards();
  await act('customer-wang', 'member', 'member.claimCard', { scene: await sceneOf(batch.id, 1) });
  await ownerImportsOrders([{ orderNo: '3872001122334455', phone: '13912345678', amount: '99.00', paidAt: '2025-03-01 12:34:56', product: '明前龙井 250g' }]);
  await act('customer-wang', 'member', 'member.bindOrder', { orderNo: '3872001122334455', phoneLast4: '5678' });
  const page = openPage('pages/member/export/index');

  await page.waitFor('会员资料');
  expect(page.text).toContain('这是本店保存的与你有关的全部信息');
  expect(page.textOf('#export-profile')).toContain('昵称 小王');
  expect(page.textOf('#export-profile')).toContain('手机号 +86 13912345678（开发测试号码）');
  expect(page.textOf('#export-profile')).toContain(`隐私指引 版本 ${PRIVACY_VERSION}`);
  expect(page.textOf('#export-profile')).toContain('积分 99');
  expect(page.textOf('#export-profile')).toContain('订单与消费 1 笔，共 99 元');
  expect(page.textOf('#export-records')).toBe('绑定的订单 1 笔 积分记录 1 条 优惠券 1 张 活动记录 3 条');

  await page.tap('复制全部数据（JSON）');
  const copied = JSON.parse(platform.clipboard) as { profile: { phone: string }; orders: { orderNo: string }[]; coupons: { title: string }[] };
  expect(copied.profile.phone).toBe('13912345678');
  expect(copied.orders.map((o) => o.orderNo)).toEqual(['3872001122334455']);
  expect(copied.coupons.map((c) => c.title)).toEqual(['老客回购券']);
});

test('when the privacy notice changed, 首页 asks the member to read it, and agreeing records the new version', async () => {
  await getDb().collection(COLLECTIONS.members).doc('customer-wang').update({ data: { privacy: { version: '2025-01-01', acceptedAt: new Date('2025-01-02T00:00:00Z') } } });
  const home = openPage('pages/home/index');
  await home.waitFor('《会员隐私保护指引》已更新');

  await home.tap('查看并同意');
  expect(platform.navigations).toEqual([{ kind: 'navigateTo', url: '/pages/member/privacy/index?reaccept=1' }]);
  const notice = follow('navigateTo');
  await notice.waitFor('我已阅读并同意');
  await notice.tap('我已阅读并同意');

  await until(() => platform.navigations.some((n) => n.kind === 'navigateBack'), () => 'the notice page never closed');
  expect((await memberDoc('customer-wang'))?.privacy.version).toBe(PRIVACY_VERSION);
  home.show();
  await until(() => !home.shows('《会员隐私保护指引》已更新'), () => 'the banner stayed');
  expect(home.text).toContain('小王');
});

test('注销账号 from 个人资料: cancelled nothing happens; confirmed the member is gone and 首页 offers joining', async () => {
  const profile = openPage(PROFILE);
  await profile.waitFor('注销账号');

  await profile.tap('注销账号');
  await until(() => platform.modals.length === 1, () => 'no confirmation');
  expect(sentActions('member.delete')).toHaveLength(0);

  platform.willAnswerModal('confirm');
  await profile.tap('注销账号');
  await until(() => platform.navigations.some((n) => n.kind === 'reLaunch'), () => 'never left the page');
  expect(sentActions('member.delete').map((c) => c.payload)).toEqual([{ confirm: true }]);
  expect(await memberDoc('customer-wang')).toBeNull();
  expect(await countOf(COLLECTIONS.memberTombstones)).toBe(1);

  const home = openPage('pages/home/index');
  await home.waitFor('加入会员');
  const again = openPage(PROFILE);
  await again.waitFor('你还不是会员');
});

test('a visitor who opens the membership pages is offered to join', async () => {
  platform.actAs('visitor-zhao');

  const profile = openPage(PROFILE);
  await profile.waitFor('你还不是会员');
  const page = openPage('pages/member/export/index');
  await page.waitFor('本店没有保存你的会员资料。');
  await page.tap('加入会员');
  expect(platform.navigations).toEqual([{ kind: 'redirectTo', url: '/pages/member/join/index' }]);
});
