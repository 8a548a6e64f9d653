/** 包裹卡落地页: what a scanned card says, for members and non-members, in every state of the card. */
import { DEMO_OWNER_OPENID } from '../../local/seed';
import { couponsHeldBy, sentActions } from './support/coupons';
import { act, customerJoined, daysFromNow, ownerPrintsCards, sceneOf } from './support/members';
import { openPage, until } from './support/pages';
import { follow } from './support/story';
import { platform } from './support/wechat';

const ENTRY = 'pages/entry/index';
const scanned = (scene: string) => ({ scene: encodeURIComponent(scene) });

describe('a member scanning a card', () => {
  beforeEach(async () => {
    await customerJoined('customer-wang');
    platform.actAs('customer-wang');
  });

  test('taps 领取 on a fresh card, gets the coupon, and 去使用 opens its code', async () => {
    const { batch } = await ownerPrintsCards();
    const entry = openPage(ENTRY, scanned(await sceneOf(batch.id, 1)));
    await entry.waitFor('领取');
    expect(entry.text).toContain('你已是本店会员，点击领取即可放入券包。');
    expect(entry.text).not.toContain('一键入会');

    await entry.tap('领取');

    await entry.waitFor('领取成功');
    expect(entry.text).toContain('领取成功 满99减20 老客回购券 已放入券包，有效期至 2025-03-14 23:59');
    await entry.tap('去使用');
    const [coupon] = await couponsHeldBy('customer-wang');
    expect(platform.navigations).toEqual([{ kind: 'redirectTo', url: `/pages/coupon/detail/index?id=${coupon._id}` }]);
    const detail = follow('redirectTo');
    await detail.waitFor('可使用');
    expect(detail.textOf('.ticket__code').replace(/ /g, '')).toBe(coupon.code);
  });

  test('scanning their own card again offers 已领取，去使用, which opens the coupon', async () => {
    const { batch } = await ownerPrintsCards();
    const scene = await sceneOf(batch.id, 2);
    await act('customer-wang', 'member', 'member.claimCard', { scene });

    const entry = openPage(ENTRY, scanned(scene));

    await entry.waitFor('已领取，去使用');
    expect(entry.text).toContain('你已领取这张卡的礼遇');
    expect(entry.textOf('.landing__benefit-line')).toBe('满99减20');
    await entry.tap('已领取，去使用');
    const [coupon] = await couponsHeldBy('customer-wang');
    expect(platform.navigations).toEqual([{ kind: 'navigateTo', url: `/pages/coupon/detail/index?id=${coupon._id}` }]);
  });

  test('a card someone else claimed says so, without inviting a member to join', async () => {
    const { batch } = await ownerPrintsCards();
    const scene = await sceneOf(batch.id, 3);
    await customerJoined('customer-li', { scene });

    const entry = openPage(ENTRY, scanned(scene));

    await entry.waitFor('这张卡的礼遇已被领取');
    expect(entry.text).toContain('你已是本店会员');
    expect(entry.text).not.toContain('加入会员');
    await entry.tap('查看会员卡');
    expect(platform.navigations).toEqual([{ kind: 'switchTab', url: '/pages/home/index' }]);
  });

  test('a second card of the same batch: the benefit is one per person', async () => {
    const { batch } = await ownerPrintsCards();
    await act('customer-wang', 'member', 'member.claimCard', { scene: await sceneOf(batch.id, 4) });
    const entry = openPage(ENTRY, scanned(await sceneOf(batch.id, 5)));
    await entry.waitFor('领取');

    await entry.tap('领取');

    await entry.waitFor('这份礼遇每人限领一份');
    expect(entry.text).toContain('你已经领取过这批卡片的礼遇。');
    expect(entry.text).not.toContain('去使用');
    expect(await couponsHeldBy('customer-wang')).toHaveLength(1);
  });

  test('a claim whose answer was lost, tapped again, claims once with the same request id', async () => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { batch } = await ownerPrintsCards();
    const entry = openPage(ENTRY, scanned(await sceneOf(batch.id, 6)));
    await entry.waitFor('领取');

    platform.loseNextAnswer();
    await entry.tap('领取');
    await entry.waitFor('网络不稳定，请稍后重试');
    await entry.tap('领取');

    await entry.waitFor('领取成功');
    expect(await couponsHeldBy('customer-wang')).toHaveLength(1);
    const claims = sentActions('member.claimCard');
    expect(claims).toHaveLength(2);
    expect(claims[1].requestId).toBe(claims[0].requestId);
  });
});

describe('cards that can no longer give their benefit still invite the customer in', () => {
  beforeEach(() => platform.actAs('customer-zhao'));

  test('a card past its last day', async () => {
    const { batch } = await ownerPrintsCards({ validUntil: daysFromNow(0) });
    platform.runtime.clock.set('2025-03-10T02:00:00.000Z');

    const entry = openPage(ENTRY, scanned(await sceneOf(batch.id, 1)));

    await entry.waitFor('这张卡片已过领取期限');
    expect(entry.text).toContain('你仍然可以加入会员');
    expect(entry.text).not.toContain('满99减20');
    await entry.tap('加入会员');
    expect(platform.navigations[0].url).toBe(`/pages/member/join/index?scene=${encodeURIComponent(await sceneOf(batch.id, 1))}`);
  });

  test('a card of a withdrawn batch', async () => {
    const { batch } = await ownerPrintsCards();
    await act(DEMO_OWNER_OPENID, 'card', 'card.batch.revoke', { batchId: batch.id, reason: '印错了' });

    const entry = openPage(ENTRY, scanned(await sceneOf(batch.id, 2)));

    await entry.waitFor('这批卡片已停止使用');
    expect(entry.text).toContain('加入会员');
    expect(entry.text).not.toContain('满99减20');
  });

  test('a page opened without any scene asks the cloud about no card and lands on the friendly page', async () => {
    const entry = openPage(ENTRY, {});

    await entry.waitFor('没能识别这张卡片');
    expect(entry.text).toContain('你仍然可以加入会员');
    expect(sentActions('card.scan')).toHaveLength(0);
  });

  test('garbage in the scene lands on the friendly page too', async () => {
    const entry = openPage(ENTRY, { scene: encodeURIComponent('<script>alert(1)</script>%%') });

    await entry.waitFor('没能识别这张卡片');
    expect(entry.text).toContain('加入会员');
  });
});

test('a customer who leaves the join page without joining finds the landing as it was, the card not scanned again', async () => {
  const { batch } = await ownerPrintsCards();
  platform.actAs('customer-zhao');
  const entry = openPage(ENTRY, scanned(await sceneOf(batch.id, 8)));
  await entry.waitFor('一键入会并领取');

  await entry.tap('一键入会并领取');
  entry.show(); // back without joining

  expect(entry.text).toContain('一键入会并领取');
  expect(sentActions('card.scan')).toHaveLength(1);
});

describe('reading the scene', () => {
  beforeEach(() => platform.actAs('customer-zhao'));

  test('encoded twice (a path inside a path) or as a plain QR link, the card is still read', async () => {
    const { batch } = await ownerPrintsCards();
    const scene = await sceneOf(batch.id, 1);

    const twice = openPage(ENTRY, { scene: encodeURIComponent(encodeURIComponent(scene)) });
    await twice.waitFor('一键入会并领取');
    const link = openPage(ENTRY, { q: encodeURIComponent(`https://example.com/pages/entry/index?scene=${encodeURIComponent(scene)}`) });
    await link.waitFor('一键入会并领取');

    expect(sentActions('card.scan').map((c) => c.payload)).toEqual([{ scene }, { scene }]);
  });

  test('a card scanned inside the app (我的 → 扫描包裹卡) opens its landing page', async () => {
    const { batch } = await ownerPrintsCards();
    const scene = await sceneOf(batch.id, 2);
    const mine = openPage('pages/mine/index');
    await mine.waitFor('扫描包裹卡');

    platform.willScan('', `pages/entry/index?scene=${encodeURIComponent(scene)}`);
    await mine.tap('扫描包裹卡');
    await until(() => platform.navigations.length > 0, () => 'the scan led nowhere');

    expect(platform.navigations).toEqual([{ kind: 'navigateTo', url: `/pages/entry/index?scene=${scene}` }]);
    const entry = follow('navigateTo');
    await entry.waitFor('一键入会并领取');
  });

  test('the local stand-in’s plain QR of the entry path works the same; any other code is refused with a toast', async () => {
    const { batch } = await ownerPrintsCards();
    const scene = await sceneOf(batch.id, 3);
    const mine = openPage('pages/mine/index');
    await mine.waitFor('扫描包裹卡');

    platform.willScan(`pages/entry/index?scene=${encodeURIComponent(scene)}`);
    await mine.tap('扫描包裹卡');
    platform.willScan('https://example.com/not-a-card');
    await mine.tap('扫描包裹卡');
    await until(() => platform.toasts.length > 0, () => 'the second scan said nothing');

    expect(platform.navigations).toEqual([{ kind: 'navigateTo', url: `/pages/entry/index?scene=${scene}` }]);
    expect(platform.toasts).toEqual(['这不是本店的包裹卡二维码']);
  });
});

test('when the cloud cannot be reached the landing says so and 重试 reads the card', async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const { batch } = await ownerPrintsCards();
  platform.actAs('customer-zhao');
  platform.goOffline();

  const entry = openPage(ENTRY, scanned(await sceneOf(batch.id, 1)));
  expect(entry.text).toContain('加载中');
  await entry.waitFor('网络不稳定，请稍后重试');

  platform.goOnline();
  await entry.tap('重试');
  await entry.waitFor('一键入会并领取');
});
