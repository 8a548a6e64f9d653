/**
 * 活动 from the phone, kind by kind (coupons have their own file): the owner makes each one from the
 * tab as a person would, finds it in the list with its status, pauses it (after confirming), resumes
 * and ends it, while the customer's side follows every change.
 */
import { DEMO_OWNER_OPENID } from '../../local/seed';
import type { CouponTemplateView } from '../../typings';
import { CAMPAIGN, confirms, createsIt, customerAsks, fills, LIST, listShows, ownerStartsNew, pickCoupon, topsUp } from './support/campaigns';
import { ownerAddsGroup, staffSetsContact } from './support/community';
import { couponsHeldBy, ownerCreatesCoupon, sentActions } from './support/coupons';
import { act, customerJoined, sceneOf } from './support/members';
import { openPage, switchPhone, until } from './support/pages';
import { follow } from './support/story';
import { platform } from './support/wechat';

/** A coupon the rules hand out (not claimable by customers). */
const prize = (title: string): Promise<CouponTemplateView> => ownerCreatesCoupon({ title, totalStock: null, perMemberLimit: 10, publicClaim: false });

test('包裹卡: the campaign page sends the owner to 包裹卡批次 to print a batch, which then pauses, resumes and ends from 活动 while scans follow', async () => {
  await ownerCreatesCoupon({ title: '老客回购券', totalStock: null });
  // From the list filtered to 包裹卡, 新建活动 opens the campaign page, which sends the owner on.
  platform.actAs(DEMO_OWNER_OPENID);
  const all = openPage(LIST);
  await all.waitFor('新建活动');
  await all.tap('包裹卡');
  await all.waitFor('还没有活动');
  await all.tap('新建活动');
  follow('navigateTo');
  expect(platform.navigations[platform.navigations.length - 1]).toEqual({ kind: 'redirectTo', url: '/admin/pages/cards/index' });
  const cards = follow('redirectTo');
  await cards.waitFor('新建批次');
  await cards.tap('新建批次');
  await cards.waitFor('生成批次');
  await cards.type('#product', '明前龙井 250g');
  await cards.type('#quantity', '5');
  await cards.pick('#valid-until', '2025-06-30');
  await cards.pick('#benefit', '1');
  await cards.tap('生成批次');
  await until(() => platform.navigations[platform.navigations.length - 1]?.kind === 'navigateTo', () => cards.text);

  const title = '明前龙井 250g · 淘宝';
  const list = await listShows(title, '进行中');
  expect(list.text).toContain('包裹卡 · 福利 满99减20');
  await list.tap(title);
  const page = follow('navigateTo');
  await page.waitFor(`${title} 进行中`);
  const scene = await sceneOf(page.comp.data.id as string, 1);
  const scan = async () => {
    const res = await customerAsks('customer-wang', 'card', 'card.scan', { scene });
    if (!res.ok) throw new Error(res.error.message);
    return res.data;
  };
  expect((await scan()).state).toBe('fresh');

  await confirms(page, '暂停', title, '已暂停');
  expect((await scan()).message).toContain('这批卡片的福利暂停领取，请稍后再来');
  await confirms(page, '恢复', title, '进行中');
  expect((await scan()).state).toBe('fresh');
  await confirms(page, '结束', title, '已结束');
  expect((await scan()).message).toContain('这批卡片已停止使用');
  await listShows(title, '已结束');
});

test('复购规则: a 生日当月 rule made from the tab reaches nobody while off, gives the coupon once switched on, and pauses and ends', async () => {
  await prize('生日礼券');
  await customerJoined('member-march', { birthday: '1990-03-15' });
  const form = await ownerStartsNew('复购规则');
  await form.waitFor('规则名称');
  await form.type('#f-name', '三月生日礼');
  await form.tap('生日当月');
  expect(form.text).not.toContain('订单付款后第几天发券');
  await pickCoupon(form, '#f-templateId', '生日礼券');
  await form.type('#f-reminder', '生日快乐，送您一张券');
  // New rules start off: the owner previews before switching one on.
  const id = await createsIt(form, '三月生日礼', '已暂停');
  expect(form.text).toContain('什么时候发券 生日当月（上线后不可改）');

  jest.spyOn(console, 'log').mockImplementation(() => undefined); // the timer logs each run
  const run = async () => {
    for (let i = 0; i < 20; i += 1) {
      const res = (await platform.runtime.fireTimer('growth')) as { ok: boolean; data: { repurchase: { status: string | null } } };
      if (res.data.repurchase.status === 'done') return;
    }
    throw new Error('the repurchase run did not finish');
  };
  await run();
  expect(await couponsHeldBy('member-march')).toHaveLength(0);

  await confirms(form, '恢复', '三月生日礼', '进行中');
  platform.runtime.clock.set('2025-03-09T02:00:00.000Z');
  await run();
  expect(await couponsHeldBy('member-march')).toHaveLength(1);

  const page = openPage(CAMPAIGN, { type: 'repurchase', id });
  await page.waitFor('三月生日礼 进行中');
  await confirms(page, '暂停', '三月生日礼', '已暂停');
  await listShows('三月生日礼', '已暂停');
  await confirms(page, '恢复', '三月生日礼', '进行中');
  await confirms(page, '结束', '三月生日礼', '已结束');
  await listShows('三月生日礼', '已结束');
});

test('拼团: a group-buy made from the tab to start tomorrow refuses groups until then, is topped up, paused, resumed and ended', async () => {
  await customerJoined('leader-li');
  await customerJoined('leader-zhao');
  const form = await ownerStartsNew('拼团');
  await form.waitFor('活动名称');
  await fills(form, {
    title: '明前龙井 3 人团',
    rules: '3 人成团，成团后按拼团价购买',
    productName: '明前龙井 250g',
    originalPrice: '128',
    groupPrice: '99',
    groupSize: '3',
    timeLimitHours: '24',
    maxGroups: '1',
  });
  await form.pick('#f-startDate', '2025-03-09');
  await form.pick('#f-endDate', '2025-03-31');
  const id = await createsIt(form, '明前龙井 3 人团', '未开始');
  const open = (openid: string) => customerAsks(openid, 'groupbuy', 'groupbuy.open', { campaignId: id });
  expect((await open('leader-li')).ok).toBe(false);
  await listShows('明前龙井 3 人团', '未开始');

  platform.runtime.clock.set('2025-03-09T00:00:01+08:00');
  const page = openPage(CAMPAIGN, { type: 'groupbuy', id });
  await page.waitFor('明前龙井 3 人团 进行中');
  const customerPage = await act('leader-li', 'groupbuy', 'groupbuy.campaign.get', { campaignId: id });
  expect(customerPage.campaign).toMatchObject({ benefitText: expect.stringContaining('99'), product: { originalPriceFen: 12800 } });
  expect((await open('leader-li')).ok).toBe(true);
  expect((await open('leader-zhao')).ok).toBe(false); // the one group allowed is taken

  await topsUp(page, '明前龙井 3 人团', 2, '开团上限 3');

  await confirms(page, '暂停', '明前龙井 3 人团', '已暂停');
  expect((await open('leader-zhao')).ok).toBe(false);
  await confirms(page, '恢复', '明前龙井 3 人团', '进行中');
  expect((await open('leader-zhao')).ok).toBe(true);
  await confirms(page, '结束', '明前龙井 3 人团', '已结束');
  await listShows('明前龙井 3 人团', '已结束');
});

test('邀请有礼: an invite made from the tab with a sign-up and a first-order reward is offered to members only while it runs', async () => {
  await prize('邀请注册奖励');
  await prize('好友首单奖励');
  await customerJoined('member-wu');
  const offered = async () => {
    const res = await customerAsks('member-wu', 'growth', 'invite.link', {});
    if (!res.ok) throw new Error(res.error.message);
    return res.data.campaign;
  };
  const form = await ownerStartsNew('邀请有礼');
  await form.waitFor('活动标题');
  await fills(form, { title: '邀好友 得好礼', rules: '好友加入会员你得一张券，好友首单后再得一张。', posterLine: '好茶一起喝' });
  await pickCoupon(form, '#f-templateId', '邀请注册奖励');
  await pickCoupon(form, '#f-orderTemplateId', '好友首单奖励');
  await fills(form, { signupDailyCap: '5', orderDailyCap: '5', totalRewardCap: '200' });
  await form.pick('#f-startDate', '2025-03-08');
  await form.pick('#f-endDate', '2025-03-31');
  const id = await createsIt(form, '邀好友 得好礼', '已暂停');
  expect(form.text).toContain('邀请有礼 · 注册奖 邀请注册奖励 · 首单奖 好友首单奖励');
  expect(await offered()).toBeNull();

  await confirms(form, '恢复', '邀好友 得好礼', '进行中');
  expect(await offered()).toMatchObject({ id, signupReward: '邀请注册奖励', orderReward: '好友首单奖励' });
  await confirms(form, '暂停', '邀好友 得好礼', '已暂停');
  expect(await offered()).toBeNull();
  await listShows('邀好友 得好礼', '已暂停');
  const page = openPage(CAMPAIGN, { type: 'invite', id });
  await page.waitFor('邀好友 得好礼 已暂停');
  await confirms(page, '恢复', '邀好友 得好礼', '进行中');
  await confirms(page, '结束', '邀好友 得好礼', '已结束');
  expect(await offered()).toBeNull();
  await listShows('邀好友 得好礼', '已结束');
});

test('社群入口: an entry made from the tab shows its group while it runs and the staff contact code while paused or ended', async () => {
  const form = await ownerStartsNew('社群入口');
  await form.waitFor('入口名称');
  await fills(form, { name: '春茶群', welcome: '群里每周三有茶友价' });
  const id = await createsIt(form, '春茶群', '进行中');
  // Groups and the fallback contact are kept on the 社群入口 page.
  await ownerAddsGroup(id, '茶友 1 群');
  await staffSetsContact(DEMO_OWNER_OPENID);
  await act(DEMO_OWNER_OPENID, 'community', 'community.entry.update', { entryId: id, fallbackStaffId: DEMO_OWNER_OPENID });

  const customerSees = async (openid: string, text: string) => {
    switchPhone(openid);
    const entry = openPage('pages/community/index', { entry: id });
    await entry.waitFor(text);
    return entry.text;
  };
  const ownerReopens = async () => {
    switchPhone(DEMO_OWNER_OPENID);
    const page = openPage(CAMPAIGN, { type: 'community', id });
    await page.waitFor('春茶群');
    return page;
  };
  expect(await customerSees('customer-a', '长按识别二维码，加入群聊')).toContain('茶友 1 群');

  await confirms(await ownerReopens(), '暂停', '春茶群', '已暂停');
  expect(await customerSees('customer-b', '长按识别，添加店员微信')).not.toContain('茶友 1 群');
  await listShows('春茶群', '已暂停');

  await confirms(await ownerReopens(), '恢复', '春茶群', '进行中');
  expect(await customerSees('customer-c', '长按识别二维码，加入群聊')).toContain('茶友 1 群');

  await confirms(await ownerReopens(), '结束', '春茶群', '已结束');
  expect(await customerSees('customer-d', '长按识别，添加店员微信')).not.toContain('茶友 1 群');
  switchPhone(DEMO_OWNER_OPENID);
  const list = await listShows('春茶群', '已结束');
  expect(list.text).not.toContain('恢复');
});

test('拼团 with a coupon for everyone in a full group: the form asks for the coupon next to its picker, then makes it', async () => {
  await prize('拼团成团券');
  const form = await ownerStartsNew('拼团');
  await form.waitFor('活动名称');
  await fills(form, { title: '春茶 2 人团', rules: '2 人成团，每人得一张成团券', productName: '春茶礼盒', groupSize: '2', timeLimitHours: '24' });
  await form.pick('#f-startDate', '2025-03-08');
  await form.pick('#f-endDate', '2025-03-31');
  await form.tap('一张优惠券');
  expect(form.text).not.toContain('拼团价（元）');
  await form.tap('创建');
  await form.waitFor('请按红字提示修改后再提交');
  expect(form.textOf('#e-benefitTemplateId')).toBe('请选择成团发放的优惠券');
  expect(sentActions('groupbuy.campaign.create')).toHaveLength(0);

  await pickCoupon(form, '#f-benefitTemplateId', '拼团成团券');
  expect(form.text).not.toContain('请选择成团发放的优惠券');
  await createsIt(form, '春茶 2 人团', '进行中');
  expect(form.text).toContain('成团后顾客得到 一张优惠券（上线后不可改）');
  expect(form.text).toContain('成团发放的优惠券 拼团成团券（上线后不可改）');
});
