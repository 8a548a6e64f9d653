/** The live code (活码): one permanent entry that always shows a group with room, or a person. */
import { COLLECTIONS } from '../../database/collections';
import { measure } from '../../local/context';
import { getDb } from '../../server/runtime/db';
import type { CommunityOpenResult } from '../../typings';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { addGroup, assignmentsPerGroup, auditOf, createEntry, memberDoc, openStore, setContact } from './support';

const t = useRuntime();

const DAY = 86_400_000;
const open = async (openid: string, entryId: string): Promise<CommunityOpenResult> => ok(await t.call(openid, 'community', 'community.open', { entryId }));
const groupName = (r: CommunityOpenResult): string => (r.kind === 'group' ? r.group.name : r.kind);

describe('opening an entry', () => {
  it('rotates past a full group and past an expired one, then shows a staff contact code instead of a dead code', async () => {
    t.rt.clock.set('2026-03-10T02:00:00Z');
    const { admin, clerks } = await openStore(t);
    await setContact(t, clerks[0]);
    const entry = await createEntry(t, admin, { fallbackStaffId: clerks[0], welcome: '群里每周三有茶友专享价' });
    expect(entry).toMatchObject({ path: `/pages/community/index?entry=${entry.id}`, scene: entry.id, status: 'active' });
    await addGroup(t, admin, entry.id, '茶友 1 群', { capacity: 2 });
    await addGroup(t, admin, entry.id, '茶友 2 群', { capacity: 2, expiresAt: new Date(Date.parse('2026-03-11T02:00:00Z')).toISOString() });
    await addGroup(t, admin, entry.id, '茶友 3 群', { capacity: 3 });

    expect(groupName(await open('c1', entry.id))).toBe('茶友 1 群');
    expect(groupName(await open('c2', entry.id))).toBe('茶友 1 群');
    const third = await open('c3', entry.id);
    expect(third).toMatchObject({ kind: 'group', entry: { name: '龙井包裹卡 3 月', welcome: '群里每周三有茶友专享价' }, repeat: false, joined: false });
    expect(groupName(third)).toBe('茶友 2 群');

    t.rt.clock.set('2026-03-12T02:00:00Z'); // 茶友 2 群's code has expired
    expect(groupName(await open('c4', entry.id))).toBe('茶友 3 群');
    // A customer opening again gets the group they already have, without taking a second seat.
    expect(await open('c1', entry.id)).toMatchObject({ kind: 'group', group: { name: '茶友 1 群' }, repeat: true });
    expect(groupName(await open('c5', entry.id))).toBe('茶友 3 群');
    expect(groupName(await open('c6', entry.id))).toBe('茶友 3 群');

    const fallback = await open('c7', entry.id);
    expect(fallback).toEqual({
      kind: 'contact',
      entry: { id: entry.id, name: '龙井包裹卡 3 月', welcome: '群里每周三有茶友专享价' },
      contact: { staffName: '员工clerk-1', kind: 'wecom', qr: { fileId: 'cloud://env-1/contacts/clerk-1.png', src: 'cloud://env-1/contacts/clerk-1.png' }, note: '添加时请备注：会员' },
    });

    const { entry: seen, groups } = ok(await t.call(admin, 'community', 'community.entry.get', { entryId: entry.id }));
    expect(groups.map((g) => [g.name, g.state, g.taken, g.assigned])).toEqual(
      expect.arrayContaining([
        ['茶友 1 群', 'full', 2, 2],
        ['茶友 2 群', 'expired', 1, 1],
        ['茶友 3 群', 'full', 3, 3],
      ]),
    );
    expect(seen.stats).toMatchObject({ groups: 3, openGroups: 0, seatsLeft: 0, assigned: 6, fallbacks: 1, current: null, openUntil: null });
  });

  it("a member is shown their own staff member's code first; with no code anywhere they are told to come back", async () => {
    const { admin, clerks } = await openStore(t);
    await setContact(t, clerks[0]);
    await setContact(t, clerks[1], 'wechat');
    await getDb().collection(COLLECTIONS.members).add({ data: memberDoc('served', 1, { staffId: clerks[1] }) });
    const entry = await createEntry(t, admin, { fallbackStaffId: clerks[0] });
    expect(await open('served', entry.id)).toMatchObject({ kind: 'contact', contact: { staffName: '员工clerk-2', kind: 'wechat' } });
    expect(await open('walk-in', entry.id)).toMatchObject({ kind: 'contact', contact: { staffName: '员工clerk-1' } });

    const bare = await createEntry(t, admin);
    expect(await open('walk-in', bare.id)).toEqual({
      kind: 'none',
      entry: { id: bare.id, name: '龙井包裹卡 3 月', welcome: '' },
      message: '群已满或已更新，店员正在准备新群，请稍后再来',
    });
  });

  it('an archived entry shows the contact code, never a group; an unknown entry says so', async () => {
    const { admin, clerks } = await openStore(t);
    await setContact(t, clerks[0]);
    const entry = await createEntry(t, admin, { fallbackStaffId: clerks[0] });
    await addGroup(t, admin, entry.id, '茶友 1 群');
    ok(await t.call(admin, 'community', 'community.entry.update', { entryId: entry.id, status: 'archived' }, rid()));
    expect((await open('late', entry.id)).kind).toBe('contact');
    expect(errorOf(await t.call('late', 'community', 'community.open', { entryId: 'zzzzzzzz' }))).toMatchObject({ code: 'NOT_FOUND', message: '这个入群码不存在，请向店员确认' });
  });

  it('a customer whose group expired before they joined gets a new one; once joined they keep seeing theirs', async () => {
    t.rt.clock.set('2026-03-10T02:00:00Z');
    const { admin } = await openStore(t);
    const entry = await createEntry(t, admin);
    await addGroup(t, admin, entry.id, '旧群', { expiresAt: '2026-03-11T02:00:00Z' });
    expect(groupName(await open('slow', entry.id))).toBe('旧群');
    expect(groupName(await open('quick', entry.id))).toBe('旧群');
    ok(await t.call('quick', 'community', 'community.confirmJoined', { entryId: entry.id }, rid()));

    t.rt.clock.set('2026-03-12T02:00:00Z');
    await addGroup(t, admin, entry.id, '新群');
    expect(await open('slow', entry.id)).toMatchObject({ kind: 'group', group: { name: '新群' }, repeat: false });
    expect(await open('quick', entry.id)).toMatchObject({ kind: 'group', group: { name: '旧群' }, repeat: true, joined: true });
  });
});

describe('many customers at once', () => {
  it('500 customers opening at once (some twice) never overfill a group, and each gets exactly one group', async () => {
    const { admin } = await openStore(t);
    const entry = await createEntry(t, admin);
    const capacities: Record<string, number> = { 'A 群': 100, 'B 群': 150, 'C 群': 120, 'D 群': 200 };
    const ids = new Map<string, string>();
    for (const [name, capacity] of Object.entries(capacities)) ids.set((await addGroup(t, admin, entry.id, name, { capacity })).id, name);

    const customers = Array.from({ length: 500 }, (_, i) => `crowd-${i}`);
    const openers = [...customers, ...customers.slice(0, 60)]; // 60 tap twice at the same moment
    const results = await Promise.all(openers.map((c) => t.call(c, 'community', 'community.open', { entryId: entry.id })));
    const answers = results.map((r) => ok(r));
    expect(answers.every((a) => a.kind === 'group')).toBe(true);

    // Both copies of a double tap show the same group.
    const groupOf = new Map<string, string>();
    answers.forEach((a, i) => {
      const id = a.kind === 'group' ? a.group.id : '';
      const known = groupOf.get(openers[i]);
      if (known) expect(id).toBe(known);
      groupOf.set(openers[i], id);
    });

    const perGroup = await assignmentsPerGroup(entry.id);
    expect([...perGroup.values()].reduce((a, b) => a + b, 0)).toBe(500);
    for (const [groupId, n] of perGroup) expect(n).toBeLessThanOrEqual(capacities[ids.get(groupId)!]);
    const assigned = (await getDb().collection(COLLECTIONS.communityAssignments).where({ entryId: entry.id }).field({ openid: true }).limit(1000).get()).data as { openid: string }[];
    expect(new Set(assigned.map((a) => a.openid)).size).toBe(500);

    // The groups' own counters agree with the assignments: no seat lost, none given twice.
    const { groups } = ok(await t.call(admin, 'community', 'community.entry.get', { entryId: entry.id }));
    for (const g of groups) {
      expect(g.taken).toBe(perGroup.get(g.id) ?? 0);
      expect(g.holders).toBe(g.taken);
      expect(g.taken).toBeLessThanOrEqual(g.capacity);
    }
    // They fill in order: the first three are full, the rest went to D.
    expect(groups.filter((g) => g.state === 'full').map((g) => g.name).sort()).toEqual(['A 群', 'B 群', 'C 群']);
  }, 60_000);

  it('with fewer seats than customers, the seats go out exactly and everyone else gets a person', async () => {
    const { admin, clerks } = await openStore(t);
    await setContact(t, clerks[0]);
    const entry = await createEntry(t, admin, { fallbackStaffId: clerks[0] });
    await addGroup(t, admin, entry.id, '小群', { capacity: 30 });
    await addGroup(t, admin, entry.id, '中群', { capacity: 50 });
    const answers = (await Promise.all(Array.from({ length: 120 }, (_, i) => t.call(`rush-${i}`, 'community', 'community.open', { entryId: entry.id })))).map((r) => ok(r));
    expect(answers.filter((a) => a.kind === 'group')).toHaveLength(80);
    expect(answers.filter((a) => a.kind === 'contact')).toHaveLength(40);
    const perGroup = await assignmentsPerGroup(entry.id);
    expect([...perGroup.values()].sort((a, b) => a - b)).toEqual([30, 50]);
  }, 30_000);
});

describe('counting who joined', () => {
  it('「我已入群」 counts once; staff correct the count, the room follows, and the correction is audited', async () => {
    const { admin, clerks } = await openStore(t);
    const entry = await createEntry(t, admin);
    const group = await addGroup(t, admin, entry.id, '茶友 1 群', { capacity: 10 });
    for (const c of ['j1', 'j2', 'j3']) await open(c, entry.id);
    ok(await t.call('j1', 'community', 'community.confirmJoined', { entryId: entry.id }, rid()));
    ok(await t.call('j1', 'community', 'community.confirmJoined', { entryId: entry.id }, rid()));
    ok(await t.call('j2', 'community', 'community.confirmJoined', { entryId: entry.id }, rid()));
    expect(errorOf(await t.call('never-opened', 'community', 'community.confirmJoined', { entryId: entry.id }, rid())).code).toBe('NOT_FOUND');

    // The real group already has 9 members (friends invited friends): one seat left.
    const counted = ok(await t.call(clerks[0], 'community', 'community.group.count', { groupId: group.id, memberCount: 9, note: '群里实际 9 人' }, rid()));
    expect(counted).toMatchObject({ taken: 9, assigned: 3, joined: 2, state: 'open', counted: { count: 9, by: clerks[0] } });
    expect(groupName(await open('j4', entry.id))).toBe('茶友 1 群');
    expect((await open('j5', entry.id)).kind).toBe('none');
    const [log] = await auditOf('community.group.correctCount');
    expect(log).toMatchObject({ actor: clerks[0], before: { taken: 3 }, after: { taken: 9 }, reason: '群里实际 9 人' });
  });
});

describe('staff managing groups', () => {
  it('a fresh QR code on an expired group puts it back into rotation for another 7 days', async () => {
    t.rt.clock.set('2026-03-10T02:00:00Z');
    const { admin } = await openStore(t);
    const entry = await createEntry(t, admin);
    const group = await addGroup(t, admin, entry.id, '茶友 1 群');
    expect(group.expiresAt).toBe('2026-03-17T02:00:00.000Z');
    t.rt.clock.set('2026-03-18T02:00:00Z');
    expect((await open('x', entry.id)).kind).toBe('none');
    const renewed = ok(await t.call(admin, 'community', 'community.group.update', { groupId: group.id, qrFileId: 'cloud://env-1/community/new.png' }, rid()));
    expect(renewed).toMatchObject({ state: 'open', expiresAt: '2026-03-25T02:00:00.000Z', qr: { fileId: 'cloud://env-1/community/new.png' } });
    expect(await open('y', entry.id)).toMatchObject({ kind: 'group', group: { qr: { src: 'cloud://env-1/community/new.png' } } });
    expect(await auditOf('community.group.update')).toHaveLength(1);
  });

  it('a retried create returns the entry it made instead of a second one', async () => {
    const { admin } = await openStore(t);
    const requestId = rid();
    const input = { name: '门店柜台', purpose: 'counter' as const };
    const first = ok(await t.call(admin, 'community', 'community.entry.create', input, requestId));
    const again = ok(await t.call(admin, 'community', 'community.entry.create', input, requestId));
    expect(again.id).toBe(first.id);
    expect(ok(await t.call(admin, 'community', 'community.entry.list', {})).entries).toHaveLength(1);
  });

  it.each([
    ['a code valid for more than 7 days', { expiresAt: '2026-03-17T03:00:00Z' }, 'payload.expiresAt', '微信群二维码最多 7 天有效，过期时间不能超过 7 天后'],
    ['a code already expired', { expiresAt: '2026-03-10T01:00:00Z' }, 'payload.expiresAt', '这个二维码已经过期，请在群里重新生成后上传'],
    ['a capacity of 0', { capacity: 0 }, 'payload.capacity', '群容量至少 1 人'],
    ['a capacity of 501', { capacity: 501 }, 'payload.capacity', '群容量最多 500 人'],
    ['a web address instead of an upload', { qrFileId: 'https://example.com/qr.png' }, 'payload.qrFileId', '请上传二维码图片（云存储文件）'],
    ['an unknown field', { color: 'red' }, 'payload', undefined],
  ])('refuses %s with the field named, writing nothing', async (_label, bad, path, message) => {
    t.rt.clock.set('2026-03-10T02:00:00Z');
    const { admin } = await openStore(t);
    const entry = await createEntry(t, admin);
    const payload = { entryId: entry.id, name: '茶友 1 群', qrFileId: 'cloud://env-1/q.png', ...bad };
    const { result, cost } = await measure(() => t.raw(admin, 'community', { action: 'community.group.add', payload, requestId: rid() }));
    const error = errorOf(result);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.fields?.[0].path).toBe(path);
    if (message) expect(error.fields?.[0].message).toBe(message);
    expect(cost.writes).toBe(0);
  });

  it('clerks see entries and count groups but cannot add groups or make entries', async () => {
    const { admin, clerks } = await openStore(t);
    const entry = await createEntry(t, admin);
    expect(ok(await t.call(clerks[0], 'community', 'community.entry.list', {})).entries).toHaveLength(1);
    const refused = errorOf(await t.call(clerks[0], 'community', 'community.group.add', { entryId: entry.id, name: '群', qrFileId: 'cloud://e/q.png' }, rid()));
    expect(refused.code).toBe('FORBIDDEN');
    expect(errorOf(await t.call('customer', 'community', 'community.entry.list', {})).code).toBe('FORBIDDEN');
  });
});
