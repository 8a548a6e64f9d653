/**
 * The front door, end to end through the real pages and functions: a customer opens a parcel, scans
 * the package card, joins in one flow with the card's benefit, binds the order, and finds points,
 * level and coupon on the member card; the next person with the same card is told it is used.
 */
import { COLLECTIONS } from '../../database/collections';
import { couponsHeldBy, sentActions } from './support/coupons';
import { countOf, customerJoined, FOUNDER_LETTER, memberDoc, ownerImportsOrders, ownerPrintsCards, ownerSetsLevels, sceneOf } from './support/members';
import { openPage, switchPhone, until } from './support/pages';
import { follow } from './support/story';
import { platform } from './support/wechat';

const ENTRY = 'pages/entry/index';

/** What WeChat hands the landing page when the card's code is scanned: the scene, URI-encoded. */
const scanned = (scene: string) => ({ scene: encodeURIComponent(scene) });

const LEVELS = {
  levels: [
    { name: '普通会员', minSpentFen: 0, minOrders: 0 },
    { name: '银卡会员', minSpentFen: 10_000, minOrders: 1 },
    { name: '金卡会员', minSpentFen: 100_000, minOrders: 5 },
  ],
  pointsPerYuan: 1,
};

const PARCEL_ORDER = { orderNo: '3872001122334455', phone: '13912345678', amount: '328.00', paidAt: '2025-03-01 12:34:56', product: '明前龙井 250g' };

test('a customer scans the card in the parcel, joins in one flow, binds the order, and the member card shows it all', async () => {
  await ownerSetsLevels(LEVELS);
  const { batch } = await ownerPrintsCards();
  await ownerImportsOrders([PARCEL_ORDER]);
  const scene = await sceneOf(batch.id, 3);

  switchPhone('customer-wang');
  platform.willSharePhone('dev:13912345678');
  const entry = openPage(ENTRY, scanned(scene));
  await entry.waitFor('一键入会并领取');
  expect(entry.text).toContain('谢谢你选择山间茶舍。这罐明前龙井是我们在狮峰山下亲手炒的');
  expect(entry.textOf('.landing__benefit-line')).toBe('满99减20');
  expect(entry.text).toContain('老客回购券');
  expect(entry.textOf('.landing__origin')).toBe('淘宝 · 明前龙井 250g · No.000003');
  expect(entry.text).toContain('加入会员即可领取「满99减20」');

  await entry.tap('一键入会并领取');
  const join = follow('navigateTo');
  await join.waitFor('授权手机号并加入');
  expect(join.textOf('.intro')).toContain('加入会员，领取礼遇 满99减20');
  await join.tap('我已阅读并同意《会员隐私保护指引》');
  await join.type('#nickname', '小王');
  await join.pick('#birthday', '1990-05-01');
  await join.chooseAvatar('选择头像');
  await join.tapPhoneButton('授权手机号并加入');

  await join.waitFor('加入成功');
  expect(join.text).toContain('领取成功 满99减20 老客回购券 已放入券包，有效期至 2025-03-14 23:59');
  expect(join.text).toContain('会员手机号 139****5678 开发测试号码');
  const member = await memberDoc('customer-wang');
  expect(member).toMatchObject({
    nickname: '小王',
    birthday: '1990-05-01',
    avatar: platform.uploads[0].fileId,
    phoneMasked: '139****5678',
    attribution: { source: 'card', channel: 'taobao', batchId: batch.id, serial: 3 },
  });
  expect(platform.uploads).toHaveLength(1);
  expect(await couponsHeldBy('customer-wang')).toHaveLength(1);

  // Back on the landing page the card is now theirs.
  entry.show();
  await entry.waitFor('已领取，去使用');
  expect(entry.text).toContain('你已领取这张卡的礼遇');
  expect(sentActions('card.scan')).toHaveLength(1); // shown from the join's answer: the card is not counted as scanned twice

  await join.tap('查看会员卡');
  expect(platform.navigations[platform.navigations.length - 1]).toEqual({ kind: 'switchTab', url: '/pages/home/index' });
  const home = openPage('pages/home/index');
  await home.waitFor('普通会员');
  expect(home.textOf('#member-card')).toContain('小王 普通会员 139****5678 开发测试号码');
  expect(home.child('#member-card').textOf('#member-points')).toBe('0');
  expect(home.child('#member-card').textOf('#member-coupons')).toBe('1');
  expect(home.text).toContain('再消费 100 元、再完成 1 笔订单即可升级为银卡会员');
  expect(home.text).toContain('淘宝包裹卡礼遇 满99减20 老客回购券 可使用 有效期至 2025-03-14 23:59');
  expect(home.text).toContain('山间茶舍（演示店铺）'); // the store and its campaigns stay
  expect(home.text).not.toContain('成为本店会员');

  await home.tap('去绑定');
  const bind = follow('navigateTo');
  platform.clipboard = `订单编号：${PARCEL_ORDER.orderNo}`; // copied in the Taobao app
  await bind.tap('粘贴');
  await bind.type('#last4', '5678');
  await bind.tap('绑定订单');

  await bind.waitFor('绑定成功');
  expect(bind.text).toContain('+328 积分');
  expect(bind.text).toContain(`订单 淘宝 ${PARCEL_ORDER.orderNo}`);
  expect(bind.text).toContain('实付 328 元');
  expect(bind.textOf('#bound-points')).toBe('328');
  expect(bind.textOf('#bound-level')).toBe('银卡会员');

  await bind.tap('查看会员卡');
  home.show();
  await home.waitFor('再消费 672 元、再完成 4 笔订单即可升级为金卡会员');
  expect(home.textOf('#member-card')).toContain('小王 银卡会员');
  expect(home.child('#member-card').textOf('#member-points')).toBe('328');

  const wallet = openPage('pages/wallet/index');
  await wallet.waitFor('老客回购券');
  expect(wallet.text).toContain('满99减20 老客回购券 有效期至 2025-03-14 23:59');
});

test('a second customer with the same card is told its benefit was taken, and still joins without it', async () => {
  const { batch } = await ownerPrintsCards();
  const scene = await sceneOf(batch.id, 5);
  await customerJoined('customer-wang', { scene });

  switchPhone('customer-li');
  const entry = openPage(ENTRY, scanned(scene));

  await entry.waitFor('这张卡的礼遇已被领取');
  expect(entry.text).toContain('你仍然可以加入会员');
  expect(entry.text).not.toContain('一键入会并领取');
  expect(() => entry.textOf('.landing__benefit-line')).toThrow();
  await entry.tap('加入会员');
  const join = follow('navigateTo');
  await join.waitFor('成为本店会员');
  await join.tap('我已阅读并同意《会员隐私保护指引》');
  await join.tapPhoneButton('授权手机号并加入');

  await join.waitFor('加入成功');
  expect(join.text).toContain('这张卡的礼遇已被领取 礼遇先到先得，已被其他人领取。');
  expect(join.text).not.toContain('去使用');
  expect(await couponsHeldBy('customer-li')).toHaveLength(0);
  expect((await memberDoc('customer-li'))?.attribution).toMatchObject({ source: 'card', batchId: batch.id, serial: 5 });
  expect(await couponsHeldBy('customer-wang')).toHaveLength(1);
});

test('a forged card lands on the friendly page, reaches no benefit, and is counted', async () => {
  const { batch } = await ownerPrintsCards();
  const real = await sceneOf(batch.id, 6);
  const forged = real.slice(0, -1) + (real.endsWith('A') ? 'B' : 'A');
  platform.actAs('customer-zhao');

  const entry = openPage(ENTRY, scanned(forged));

  await entry.waitFor('没能识别这张卡片');
  expect(entry.text).toContain('你仍然可以加入会员');
  expect(entry.text).not.toContain('满99减20');
  await entry.tap('加入会员');
  const join = follow('navigateTo');
  expect(platform.navigations[platform.navigations.length - 1].url).toBe('/pages/member/join/index'); // the forged scene stays behind
  await join.waitFor('成为本店会员');
  await join.tap('我已阅读并同意《会员隐私保护指引》');
  await join.tapPhoneButton('授权手机号并加入');
  await join.waitFor('加入成功');
  entry.show();
  await entry.waitFor('查看会员卡');
  expect(entry.text).not.toContain('加入会员');
  expect(await couponsHeldBy('customer-zhao')).toHaveLength(0);
  expect(await countOf(COLLECTIONS.events, { type: 'card_scan_invalid' })).toBe(1);
  expect(await countOf(COLLECTIONS.events, { type: 'card_claim' })).toBe(0);
});

test('a join whose answer was lost, retried, makes one member with one coupon under the same request id', async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const { batch } = await ownerPrintsCards();
  const scene = await sceneOf(batch.id, 2);
  platform.actAs('customer-wang');
  const entry = openPage(ENTRY, scanned(scene));
  await entry.waitFor('一键入会并领取');
  await entry.tap('一键入会并领取');
  const join = follow('navigateTo');
  await join.waitFor('授权手机号并加入');
  await join.tap('我已阅读并同意《会员隐私保护指引》');

  platform.loseNextAnswer();
  await join.tapPhoneButton('授权手机号并加入');
  await join.waitFor('网络不稳定，请稍后重试');
  expect(await countOf(COLLECTIONS.members)).toBe(1); // the cloud did make the member
  await join.tap('重试加入');

  await join.waitFor('加入成功');
  expect(join.text).toContain('领取成功 满99减20 老客回购券 已放入券包');
  expect(await countOf(COLLECTIONS.members)).toBe(1);
  expect(await couponsHeldBy('customer-wang')).toHaveLength(1);
  expect(await countOf(COLLECTIONS.events, { type: 'member_signup' })).toBe(1);
  const joins = sentActions('member.join');
  expect(joins).toHaveLength(2);
  expect(joins[1].requestId).toBe(joins[0].requestId);
  expect(platform.phoneSheets).toBe(1); // the retry did not ask for the phone again
});

test('without accepting the privacy notice the phone button does nothing and nobody joins', async () => {
  const { batch } = await ownerPrintsCards();
  platform.actAs('customer-wang');
  const join = openPage('pages/member/join/index', { scene: await sceneOf(batch.id, 1), benefit: '满99减20' });
  await join.waitFor('授权手机号并加入');
  expect(join.text).toContain('请先阅读并勾选同意《会员隐私保护指引》');

  expect(await join.tapPhoneButton('授权手机号并加入')).toBe(false);
  await join.tap('我已阅读并同意《会员隐私保护指引》');
  await join.tap('我已阅读并同意《会员隐私保护指引》'); // changed their mind
  expect(await join.tapPhoneButton('授权手机号并加入')).toBe(false);

  expect(platform.phoneSheets).toBe(0);
  expect(sentActions('member.join')).toHaveLength(0);
  expect(await memberDoc('customer-wang')).toBeNull();
  expect(join.text).not.toContain('加入成功');
});

test('a member deletes the account from 我的: the modal says what goes, and 首页 offers joining again', async () => {
  const { batch } = await ownerPrintsCards();
  await customerJoined('customer-wang', { scene: await sceneOf(batch.id, 4), nickname: '小王' });
  platform.actAs('customer-wang');
  const mine = openPage('pages/mine/index');
  await mine.waitFor('注销账号');

  await mine.tap('注销账号'); // the modal is dismissed: nothing happens
  await mine.waitFor('注销账号');
  expect(platform.modals).toHaveLength(1);
  expect(await memberDoc('customer-wang')).not.toBeNull();

  platform.willAnswerModal('confirm');
  await mine.tap('注销账号');
  const last = () => platform.navigations[platform.navigations.length - 1];
  await until(() => last()?.kind === 'reLaunch', () => `no reLaunch; navigations: ${JSON.stringify(platform.navigations)}`);

  expect(platform.modals[1].title).toBe('注销会员账号');
  expect(platform.modals[1].content).toContain('将删除：手机号、昵称、头像、生日，以及积分和未使用的优惠券');
  expect(platform.modals[1].content).toContain('将保留：不能识别到你的统计数字');
  expect(last()).toEqual({ kind: 'reLaunch', url: '/pages/home/index' });
  expect(platform.toasts).toContain('已注销');
  expect(await memberDoc('customer-wang')).toBeNull();
  expect(await countOf(COLLECTIONS.memberTombstones)).toBe(1);

  const home = openPage('pages/home/index');
  await home.waitFor('加入会员');
  expect(home.text).toContain('成为本店会员');
  expect(home.text).not.toContain('普通会员');
});

test('the founder letter on the card is the one the owner wrote', async () => {
  const { batch } = await ownerPrintsCards();
  platform.actAs('customer-wang');
  const entry = openPage(ENTRY, scanned(await sceneOf(batch.id, 7)));
  await entry.waitFor('一键入会并领取');
  expect(entry.textOf('.landing__letter')).toBe(FOUNDER_LETTER.replace(/\s+/g, ' '));
});
