/**
 * A member's data rights handled by the owner: export everything the store holds about them (and
 * nothing about anyone else), and erase them on request through the member's own deletion path, so
 * nothing personal is left anywhere while the counts stay. Admins, clerks and customers reach neither.
 */
import { COLLECTIONS, collections } from '../../database/collections';
import type { MemberDataExportDoc } from '../../server/admin/data-rights/export';
import type { TombstoneDoc } from '../../server/members/delete';
import { MEMBER_HOLDINGS, NOT_ABOUT_MEMBERS } from '../../server/members/holdings';
import type { MemberDoc } from '../../server/members/model';
import type { OrderDoc } from '../../server/orders/model';
import { platform } from '../../server/runtime/platform';
import { createTemplate } from '../coupons/support';
import { createCampaign, openGroup, openStore } from '../groupbuy/support';
import { growthTimerLater, inviteToken, runningCampaign } from '../growth/support';
import { allOf, memberDoc } from '../members/support';
import { importOrders } from '../orders/support';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { makeStaff } from '../support/staff';
import { adminTimer, customerJoins } from './support';

const t = useRuntime();

const PHONE = '13800000001';
const OTHER_PHONE = '13800000002';
const NICKNAME = '周小满';
const BOUND = { orderNo: '5000000000000001', phone: PHONE, amount: '128.50', paidAt: '2026-03-01 20:15:00', product: '明前龙井 250g' };
const LOOSE = { orderNo: '5000000000000002', phone: PHONE, amount: '88.00', paidAt: '2026-03-05 20:15:00', product: '白茶 100g' };
const THEIRS = { orderNo: '5000000000000003', phone: OTHER_PHONE, amount: '66.00', paidAt: '2026-03-06 20:15:00', product: '红茶 100g' };

interface Store {
  owner: string;
  admin: string;
  clerk: string;
}

/**
 * 周小满 joined through 王's invite with the phone of two imported orders, bound one (王 earned a
 * coupon for each), invited 钱 (and earned a coupon), was tagged, claimed a coupon, opened a group-buy.
 */
async function storeWithZhou(): Promise<Store> {
  const store = await openStore(t);
  const admin = await makeStaff(t, store.owner, 'admin-xiao-wu', 'admin');
  const clerk = await makeStaff(t, store.owner, 'clerk-xiao-li', 'clerk');
  const reward = await createTemplate(t, store.owner, { title: '邀请奖励券', totalStock: null, perMemberLimit: 5 });
  await runningCampaign(t, store.owner, { signupRewardTemplateId: reward.id, orderRewardTemplateId: reward.id });
  await importOrders(t, store.owner, [BOUND, LOOSE, THEIRS]);
  await customerJoins(t, 'wang', '13800000003', '王老吉');
  await customerJoins(t, 'zhou', PHONE, NICKNAME, { invite: await inviteToken(t, 'wang') });
  await customerJoins(t, 'lu', OTHER_PHONE, '路人甲');
  await customerJoins(t, 'qian', '13800000004', '钱多多', { invite: await inviteToken(t, 'zhou') });
  ok(await t.call('zhou', 'member', 'member.bindOrder', { orderNo: BOUND.orderNo, phoneLast4: PHONE.slice(-4) }, rid('bind')));
  // The growth timer, once the minutes are closed, writes the invite records and the rewards.
  await growthTimerLater(t);
  ok(await t.call(admin, 'admin', 'member.tags.set', { openid: 'zhou', tags: ['老客'] }, rid('tags')));
  ok(await t.call('zhou', 'coupon', 'coupon.claim', { templateId: store.benefitTemplateId }, rid('claim')));
  const campaign = await createCampaign(t, { ...store });
  await openGroup(t, 'zhou', campaign.id, true);
  await adminTimer(t);
  return { owner: store.owner, admin, clerk };
}

/** Every stored document of every collection, as text. */
async function everything(): Promise<string> {
  return JSON.stringify(await Promise.all(collections.map((c) => allOf(c.name))));
}

async function exportFile(owner: string, openid: string): Promise<{ text: string; doc: MemberDataExportDoc }> {
  ok(await t.call(owner, 'admin', 'member.dataExport', { openid }, rid('data')));
  const [doc] = await allOf<MemberDataExportDoc>(COLLECTIONS.memberDataExports, { openid });
  return { text: (await platform().readFile(doc.fileId)).toString('utf8'), doc };
}

const erase = (caller: string, payload: object, requestId = rid('erase')) => t.call(caller, 'admin', 'member.erase', payload as never, requestId);
const REQUEST = { openid: 'zhou', confirm: '确认删除', reason: '会员来电要求删除' };

test('every collection is either searched by the member data export or says why it holds nothing about a member', () => {
  const placed = [...MEMBER_HOLDINGS.map((h) => h.collection), ...Object.keys(NOT_ABOUT_MEMBERS)].sort();
  expect(placed).toEqual(collections.map((c) => c.name).sort());
});

test('the owner exports everything held about a member, full phone included, and nothing about anyone else', async () => {
  const { owner } = await storeWithZhou();
  const zhou = (await memberDoc('zhou'))!;
  const held: Record<string, string[]> = {};
  for (const holding of MEMBER_HOLDINGS) {
    const ids = new Set<string>();
    for (const where of holding.where(zhou)) for (const d of await allOf<{ _id: string }>(holding.collection, where)) ids.add(d._id);
    held[holding.collection] = [...ids].sort();
  }
  const view = ok(await t.call(owner, 'admin', 'member.dataExport', { openid: 'zhou' }, rid('data')));
  expect(view.fileUrl).toMatch(/\/storage\/exports\/members\/md_[0-9a-f]{20}\/member-data\.json$/);

  const [doc] = await allOf<MemberDataExportDoc>(COLLECTIONS.memberDataExports);
  const file = JSON.parse((await platform().readFile(doc.fileId)).toString('utf8'));
  expect(file.member.profile).toMatchObject({ openid: 'zhou', nickname: NICKNAME, phone: PHONE, tags: ['老客'] });
  expect(file.member.orders).toMatchObject([{ orderNo: BOUND.orderNo, amountFen: 12850 }]);

  // Every record the database held about them, collection by collection, and no other.
  const exported = Object.fromEntries(Object.entries(file.records as Record<string, { _id: string }[]>).map(([k, v]) => [k, v.map((r) => r._id).sort()]));
  expect(exported).toEqual(held);
  expect(view.counts).toEqual(Object.fromEntries(Object.entries(held).map(([k, v]) => [k, v.length])));
  for (const name of ['members', 'events', 'pointsLedger', 'orders', 'coupons', 'groupBuys', 'groupBuyJoins', 'auditLog']) expect(view.counts[name]).toBeGreaterThan(0);
  expect(file.records.orders.map((o: { orderNo: string; buyerPhone: string }) => [o.orderNo, o.buyerPhone]).sort()).toEqual([
    [BOUND.orderNo, PHONE],
    [LOOSE.orderNo, PHONE],
  ]);
  const text = JSON.stringify(file);
  expect(text).not.toMatch(/phoneEnc|phoneHash|last4Check|"enc"/);
  expect(text).not.toContain('"lu"');
  expect(text).not.toContain(OTHER_PHONE);
  expect(text).not.toContain(THEIRS.orderNo);
  expect(await allOf(COLLECTIONS.auditLog, { action: 'member.dataExport' })).toMatchObject([{ actor: owner, target: 'members/zhou' }]);

  // A day later the file is gone.
  t.rt.clock.advance(25 * 3600_000);
  await adminTimer(t);
  await expect(platform().readFile(doc.fileId)).rejects.toThrow();
  expect(await allOf(COLLECTIONS.memberDataExports)).toEqual([]);
});

test('erasing a member leaves nothing personal anywhere, keeps the counts, and is audited without naming them', async () => {
  const { owner } = await storeWithZhou();
  const zhou = (await memberDoc('zhou'))!;
  const orders = await allOf<OrderDoc>(COLLECTIONS.orders, { phoneHash: zhou.phoneHash });
  const { doc: exported } = await exportFile(owner, 'zhou');
  // What identifies them as stored (the phone itself is only ever stored encrypted).
  const secrets = [zhou.phoneHash, zhou.phone.enc, ...orders.map((o) => o.phoneEnc!), NICKNAME, '138****0001', '"zhou"', 'zhou:', 'zhou#', ':zhou'];
  const before = await everything();
  for (const s of secrets) expect(before).toContain(s);
  secrets.push(PHONE, 'zhou');
  // The invite records name them as 钱's inviter and by their own (王's invitee).
  const invites = await allOf<{ _id: string; inviter: string }>(COLLECTIONS.invites);
  expect(invites.map((i) => [i._id, i.inviter]).sort()).toEqual([
    ['qian', 'zhou'],
    ['zhou', 'wang'],
  ]);

  const requestId = rid('erase');
  const { tombstone } = ok(await erase(owner, REQUEST, requestId));
  expect(tombstone).toMatch(/^anon_[0-9A-Za-z]{16}$/);

  const after = await everything();
  for (const s of secrets) expect(after).not.toContain(s);
  await expect(platform().readFile(exported.fileId)).rejects.toThrow();
  // The counts stay: a tombstone, the sales, the events and the group's seat.
  expect(await allOf<TombstoneDoc>(COLLECTIONS.memberTombstones)).toMatchObject([{ _id: tombstone, orders: 1, spentFen: 12850, joinedMonth: '2026-03' }]);
  expect(await allOf<OrderDoc>(COLLECTIONS.orders, { orderNo: BOUND.orderNo })).toMatchObject([{ boundTo: tombstone, amountFen: 12850, phoneHash: null, phoneEnc: null }]);
  expect(await allOf<OrderDoc>(COLLECTIONS.orders, { orderNo: LOOSE.orderNo })).toMatchObject([{ bindState: 'unbound', amountFen: 8800, phoneHash: null }]);
  expect((await allOf<{ openid: string }>(COLLECTIONS.events, { openid: tombstone })).length).toBeGreaterThan(3);
  expect(await allOf(COLLECTIONS.groupBuys, { leader: tombstone })).toHaveLength(1);
  // The invite records stay, and so do the rewards, naming them by a pseudonym.
  const renamed = await allOf<{ _id: string; inviter: string; signup: { state: string } }>(COLLECTIONS.invites);
  expect(renamed.map((i) => [i._id === 'qian' ? 'qian' : 'pseudonym', i.inviter === 'wang' ? 'wang' : 'pseudonym', i.signup.state]).sort()).toEqual([
    ['pseudonym', 'wang', 'issued'],
    ['qian', 'pseudonym', 'issued'],
  ]);
  expect(renamed.find((i) => i._id === 'qian')!.inviter).toBe(renamed.find((i) => i.inviter === 'wang')!._id);
  expect(await allOf(COLLECTIONS.coupons, { holder: 'wang', 'source.type': 'invite' })).toHaveLength(2);
  // Someone else's data is untouched.
  expect(await memberDoc('lu')).toMatchObject({ nickname: '路人甲' });
  expect(await allOf<OrderDoc>(COLLECTIONS.orders, { orderNo: THEIRS.orderNo })).toMatchObject([{ phoneMasked: '138****0002' }]);

  const audits = await allOf<{ action: string; target: string; reason: string; actor: string }>(COLLECTIONS.auditLog, { action: 'member.erase' });
  expect(audits).toMatchObject([{ actor: owner, target: `memberTombstones/${tombstone}`, reason: '会员来电要求删除' }]);

  // The retry whose answer was lost gets the same answer; another request finds no member.
  expect(ok(await erase(owner, REQUEST, requestId))).toEqual({ erased: true, tombstone });
  expect(errorOf(await erase(owner, REQUEST)).code).toBe('NOT_FOUND');
  expect(await allOf(COLLECTIONS.memberTombstones)).toHaveLength(1);
  expect(await everything()).not.toContain('"zhou"');
  // The member can still delete themselves the same way: nothing left to do, answered the same.
  expect(ok(await t.call('zhou', 'member', 'member.delete', { confirm: true }, rid()))).toEqual({ deleted: true });
});

test('bad input is refused with nothing written', async () => {
  const { owner } = await storeWithZhou();
  const before = await everything();
  for (const bad of [
    { ...REQUEST, confirm: '确认' },
    { ...REQUEST, confirm: undefined },
    { ...REQUEST, reason: '' },
    { ...REQUEST, reason: '删' },
    { ...REQUEST, reason: 'x'.repeat(101) },
    { ...REQUEST, reason: `${NICKNAME}来电要求删除` },
    { ...REQUEST, reason: `手机 ${PHONE} 要求删除` },
    { ...REQUEST, openid: '' },
    { ...REQUEST, openid: 'a b' },
    { ...REQUEST, extra: true },
  ]) {
    expect(errorOf(await erase(owner, bad)).code).toBe('INVALID_INPUT');
  }
  expect(errorOf(await t.call(owner, 'admin', 'member.dataExport', { openid: '../x' } as never, rid('data'))).code).toBe('INVALID_INPUT');
  expect(errorOf(await t.call(owner, 'admin', 'member.dataExport', { openid: 'nobody' }, rid('data'))).code).toBe('NOT_FOUND');
  expect(await everything()).toBe(before);
  expect((await memberDoc('zhou')) as MemberDoc).toMatchObject({ status: 'active' });
});

test('only the owner exports or erases a member: admins, clerks and customers are refused', async () => {
  const { admin, clerk } = await storeWithZhou();
  for (const caller of [admin, clerk, 'lu', 'zhou']) {
    expect(errorOf(await t.call(caller, 'admin', 'member.dataExport', { openid: 'zhou' }, rid('data'))).code).toBe('FORBIDDEN');
    expect(errorOf(await erase(caller, REQUEST)).code).toBe('FORBIDDEN');
  }
  expect(await memberDoc('zhou')).not.toBeNull();
  expect(await allOf(COLLECTIONS.memberDataExports)).toEqual([]);
});
