/** The admin tab's home: each role sees the areas it may open, with today's numbers. */
import { DEMO_OWNER_OPENID } from '../../local/seed';
import { openPage, type PageScreen, switchPhone, until } from './support/pages';
import { act, customerJoined, ownerPrintsCards, sceneOf } from './support/members';
import { hireStaff } from './support/story';
import { platform } from './support/wechat';

const HOME = 'admin/pages/index/index';

/** The page is settled: today's numbers shown and, for those who see the team, the team loaded. */
async function settled(home: PageScreen): Promise<void> {
  await home.waitFor('今日扫码');
  await until(() => !home.text.includes('加载中'), () => home.text);
}

const entries = (text: string) =>
  ['核销优惠券', '会员查询', '数据看板', '活动', '包裹卡批次', '导入订单', '会员分层', '操作记录', '社群活码', '离职继承', '店铺团队'].filter((e) => text.includes(e));

test('a clerk sees 核销, members, the dashboard, campaigns and 社群活码; an admin and the owner also cards, imports, segments, the audit log, 离职继承 and the team', async () => {
  await hireStaff('clerk-liu', '刘小二', 'clerk');
  await hireStaff('admin-zhou', '周店长', 'admin');
  const seen: Record<string, string[]> = {};
  for (const who of ['clerk-liu', 'admin-zhou', DEMO_OWNER_OPENID]) {
    switchPhone(who);
    const home = openPage(HOME);
    await settled(home);
    seen[who] = entries(home.text);
  }
  expect(seen).toEqual({
    'clerk-liu': ['核销优惠券', '会员查询', '数据看板', '活动', '社群活码'],
    'admin-zhou': ['核销优惠券', '会员查询', '数据看板', '活动', '包裹卡批次', '导入订单', '会员分层', '操作记录', '社群活码', '离职继承', '店铺团队'],
    [DEMO_OWNER_OPENID]: ['核销优惠券', '会员查询', '数据看板', '活动', '包裹卡批次', '导入订单', '会员分层', '操作记录', '社群活码', '离职继承', '店铺团队'],
  });
});

test("today's numbers come from the counters, and each entry opens its page", async () => {
  const { batch } = await ownerPrintsCards();
  const scene = await sceneOf(batch.id, 1);
  await act('customer-wang', 'card', 'card.scan', { scene });
  await customerJoined('customer-wang', { scene });
  platform.actAs(DEMO_OWNER_OPENID);
  const home = openPage(HOME);

  await settled(home);
  expect(home.text).toContain('1 今日扫码 1 今日入会 0 今日绑定订单 0 订单金额（元）');

  for (const [label, url] of [
    ['会员查询', '/admin/pages/members/index'],
    ['数据看板', '/admin/pages/dashboard/index'],
    ['包裹卡批次', '/admin/pages/cards/index'],
    ['导入订单', '/admin/pages/imports/index'],
    ['会员分层', '/admin/pages/segments/index'],
    ['活动', '/admin/pages/campaigns/index'],
    ['操作记录', '/admin/pages/audit/index'],
    ['社群活码', '/admin/pages/community/index'],
    ['离职继承', '/admin/pages/handover/index'],
  ]) {
    await home.tap(label);
    expect(platform.navigations.pop()).toEqual({ kind: 'navigateTo', url });
  }
});

test('when the tab cannot be loaded it says so, and 重试 loads it', async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  platform.actAs(DEMO_OWNER_OPENID);
  platform.goOffline();
  const home = openPage(HOME);
  await home.waitFor('网络不稳定，请稍后重试');
  platform.goOnline();
  await home.tap('重试');
  await settled(home);
});
