/** 社群活码 (customers): the entry page shows a group with room, or a staff member's contact code. */
import { DEMO_OWNER_OPENID } from '../../local/seed';
import { ownerAddsGroup, ownerCreatesEntry, staffSetsContact } from './support/community';
import { act, customerJoined } from './support/members';
import { openPage, switchPhone } from './support/pages';
import { platform } from './support/wechat';

const ENTRY = 'pages/community/index';

test('a customer opens an entry, sees the group QR to long-press, and confirms joining', async () => {
  const entry = await ownerCreatesEntry();
  const group = await ownerAddsGroup(entry.id, '茶友 1 群');

  switchPhone('customer-li');
  const page = openPage(ENTRY, { entry: entry.id });
  await page.waitFor('茶友 1 群');
  expect(page.text).toContain('龙井包裹卡 3 月');
  expect(page.text).toContain('群里每周三有茶友专享价');
  expect(page.text).toContain('长按识别二维码，加入群聊');
  expect(page.attrOf('.qr', 'src')).toBe(group.qr.src);
  expect(page.attrOf('.qr', 'showMenuByLongpress')).toBe(true);

  await page.tap('我已入群');
  await page.waitFor('你已在群里');
  const detail = await act(DEMO_OWNER_OPENID, 'community', 'community.entry.get', { entryId: entry.id });
  expect(detail.entry.stats.joined).toBe(1);

  // Coming back later: the same group, still marked as joined.
  switchPhone('customer-li');
  const again = openPage(ENTRY, { entry: entry.id });
  await again.waitFor('你已在群里');
  expect(again.text).toContain('茶友 1 群');
});

test('when every group is full or expired, the entry shows a staff member’s contact code instead', async () => {
  const entry = await ownerCreatesEntry();
  await ownerAddsGroup(entry.id, '茶友 1 群', { capacity: 1 });
  await ownerAddsGroup(entry.id, '茶友 2 群', { expiresAt: '2025-03-09T02:00:00.000Z' });
  await staffSetsContact(DEMO_OWNER_OPENID);
  await act(DEMO_OWNER_OPENID, 'community', 'community.entry.update', { entryId: entry.id, fallbackStaffId: DEMO_OWNER_OPENID });

  switchPhone('customer-first');
  const first = openPage(ENTRY, { entry: entry.id });
  await first.waitFor('茶友 1 群'); // takes the only seat of group 1

  platform.runtime.clock.set('2025-03-09T03:00:00.000Z'); // group 2's code has expired
  switchPhone('customer-late');
  const late = openPage(ENTRY, { entry: entry.id });
  await late.waitFor('长按识别，添加店员微信');
  expect(late.text).toContain('店主（演示）');
  expect(late.text).toContain('添加时请备注：会员');
  expect(late.text).not.toContain('茶友 1 群');
  expect(late.text).not.toContain('茶友 2 群');
  expect(late.text).not.toContain('我已入群');
});

test('a scanned code that is not an entry says so without asking the cloud', async () => {
  switchPhone('customer-li');
  const page = openPage(ENTRY, { scene: 'NOT-AN-ID' });
  await page.waitFor('入群码无效');
  expect(platform.calls.filter((c) => c.name === 'community')).toEqual([]);
});

test('offline, the entry says so and 重试 shows the group once the network is back', async () => {
  const entry = await ownerCreatesEntry();
  await ownerAddsGroup(entry.id, '茶友 1 群');
  switchPhone('customer-li');
  platform.goOffline();
  const page = openPage(ENTRY, { entry: entry.id });
  await page.waitFor('网络不稳定，请稍后重试');
  platform.goOnline();
  await page.tap('重试');
  await page.waitFor('茶友 1 群');
});

test('a member sees their 专属客服 contact code on 我的', async () => {
  await staffSetsContact(DEMO_OWNER_OPENID, 'wecom');
  await customerJoined('customer-li');
  switchPhone('customer-li');
  const mine = openPage('pages/mine/index');
  await mine.waitFor('专属客服 · 店主（演示）');
  expect(mine.text).toContain('长按识别，添加店员企业微信');
  expect(mine.text).toContain('添加时请备注：会员');
});
