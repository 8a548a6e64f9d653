/** Every member belongs to the store and is served by one staff member. */
import { COLLECTIONS } from '../../database/collections';
import { measure } from '../../local/context';
import { getDb } from '../../server/runtime/db';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { auditOf, fireTimer, memberDoc, membersWith, openStore, seedMembers, setContact } from './support';

const t = useRuntime();

async function staffOf(openid: string): Promise<string | null> {
  const doc = (await getDb().collection(COLLECTIONS.members).doc(openid).get()).data as { staffId: string | null };
  return doc.staffId;
}

describe('assigning new members', () => {
  it('members without a card owner are shared out in turn by the timer; those from a card keep its staff member', async () => {
    const { owner, admin, clerks } = await openStore(t);
    await seedMembers(2, 'carded', { staffId: clerks[0], batchId: 'b000001' });
    await seedMembers(8, 'plain');
    const report = await fireTimer(t);
    expect(report).toMatchObject({ assigned: 8, unassigned: 0 });

    for (const staff of [owner, admin, clerks[1]]) expect(await membersWith(staff)).toBe(2);
    expect(await membersWith(clerks[0])).toBe(4); // 2 from the card, 2 in turn
    expect(await membersWith(null)).toBe(0);
    expect(ok(await t.call(admin, 'community', 'ownership.history', { openid: 'plain-0' })).entries).toEqual([
      expect.objectContaining({ from: null, cause: 'round_robin', by: 'system', handoverId: null }),
    ]);
    expect(ok(await t.call(admin, 'community', 'ownership.history', { openid: 'carded-0' })).entries).toEqual([
      expect.objectContaining({ from: null, to: clerks[0], cause: 'card_batch' }),
    ]);
    // A second run finds nobody left to assign.
    expect(await fireTimer(t)).toMatchObject({ assigned: 0, unassigned: 0 });
  });

  it("an invited member goes to their inviter's staff member, or to the inviter when the inviter is staff", async () => {
    const { admin, clerks } = await openStore(t);
    await getDb()
      .collection(COLLECTIONS.members)
      .add({
        data: [
          memberDoc('old-friend', 1, { staffId: clerks[1] }),
          memberDoc('invited-by-member', 2, { inviter: 'old-friend' }),
          memberDoc('invited-by-staff', 3, { inviter: clerks[0] }),
        ],
      });
    ok(await t.call(admin, 'community', 'ownership.autoAssign', {}, rid()));
    expect(await staffOf('invited-by-member')).toBe(clerks[1]);
    expect(await staffOf('invited-by-staff')).toBe(clerks[0]);
    expect(ok(await t.call(admin, 'community', 'ownership.history', { openid: 'invited-by-member' })).entries[0].cause).toBe('inviter');
  });

  it('the merchant can share members in turn among chosen staff only, ignoring inviters', async () => {
    const { admin, clerks } = await openStore(t);
    const settings = ok(await t.call(admin, 'community', 'ownership.settings.set', { rule: 'round_robin', pool: clerks }, rid()));
    expect(settings).toEqual({ rule: 'round_robin', pool: clerks });
    await getDb().collection(COLLECTIONS.members).add({ data: memberDoc('friend', 0, { staffId: admin }) });
    await seedMembers(9, 'fresh', { inviter: 'friend' });
    await fireTimer(t);
    expect([await membersWith(clerks[0]), await membersWith(clerks[1])].sort()).toEqual([4, 5]);
    expect(await membersWith(admin)).toBe(1);
    expect(await auditOf('ownership.settings.set')).toHaveLength(1);
  });

  it('refuses a pool with a revoked staff member, naming it, and changes nothing', async () => {
    const { owner, clerks } = await openStore(t);
    ok(await t.call(owner, 'staff', 'staff.revoke', { openid: clerks[1], reason: '离职' }, rid()));
    const { result, cost } = await measure(() => t.call(owner, 'community', 'ownership.settings.set', { rule: 'round_robin', pool: [clerks[0], clerks[1]] }, rid()));
    expect(errorOf(result)).toMatchObject({ code: 'INVALID_INPUT', fields: [{ path: 'payload.pool.1', message: '找不到这位员工，或已停用' }] });
    expect(cost.writes).toBe(0);
  });
});

describe("a member's own staff member", () => {
  it("a member sees their staff member's contact code; one without a staff member yet is given one on the spot", async () => {
    const { admin, clerks } = await openStore(t, 1);
    ok(await t.call(admin, 'community', 'ownership.settings.set', { rule: 'round_robin', pool: [clerks[0]] }, rid()));
    await setContact(t, clerks[0], 'wechat');
    await getDb().collection(COLLECTIONS.members).add({ data: memberDoc('newbie', 1) });
    expect(ok(await t.call('newbie', 'community', 'community.myContact', {}))).toEqual({
      contact: { staffName: '员工clerk-1', kind: 'wechat', qr: { fileId: 'cloud://env-1/contacts/clerk-1.png', src: 'cloud://env-1/contacts/clerk-1.png' }, note: '添加时请备注：会员' },
      reason: null,
    });
    expect(await staffOf('newbie')).toBe(clerks[0]);
    expect(ok(await t.call('stranger', 'community', 'community.myContact', {}))).toEqual({ contact: null, reason: 'not_member' });
  });

  it('a member whose staff member left, or has no code, is told why there is no contact', async () => {
    const { owner, clerks } = await openStore(t);
    await setContact(t, clerks[0]);
    await getDb()
      .collection(COLLECTIONS.members)
      .add({ data: [memberDoc('m-left', 1, { staffId: clerks[0] }), memberDoc('m-nocode', 2, { staffId: clerks[1] })] });
    ok(await t.call(owner, 'staff', 'staff.revoke', { openid: clerks[0], reason: '离职' }, rid()));
    expect(ok(await t.call('m-left', 'community', 'community.myContact', {}))).toEqual({ contact: null, reason: 'staff_unavailable' });
    expect(ok(await t.call('m-nocode', 'community', 'community.myContact', {}))).toEqual({ contact: null, reason: 'no_contact' });
  });

  it('a clerk sets their own code but not a colleague’s; an admin may set anyone’s', async () => {
    const { admin, clerks } = await openStore(t);
    const refused = errorOf(await t.call(clerks[0], 'community', 'community.contact.set', { qrFileId: 'cloud://e/q.png', kind: 'wechat', staffId: clerks[1] }, rid()));
    expect(refused).toMatchObject({ code: 'FORBIDDEN', message: '只能设置自己的联系码' });
    ok(await t.call(admin, 'community', 'community.contact.set', { qrFileId: 'cloud://e/c2.png', kind: 'wecom', staffId: clerks[1] }, rid()));
    expect(ok(await t.call(clerks[1], 'community', 'community.contact.get', {})).contact).toMatchObject({ staffId: clerks[1], kind: 'wecom', staffName: '员工clerk-2' });
  });
});

describe('staff and their members', () => {
  it('a staff member sees their own members, newest first, page by page, and nobody else’s', async () => {
    const { clerks } = await openStore(t);
    await seedMembers(45, 'mine', { staffId: clerks[0] });
    await seedMembers(5, 'theirs', { staffId: clerks[1] });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = ok(await t.call(clerks[0], 'community', 'ownership.myMembers', cursor ? { cursor } : {}));
      expect(page.total).toBe(45);
      seen.push(...page.members.map((m) => m.openid));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(45);
    expect(new Set(seen).size).toBe(45);
    expect(seen[0]).toBe('mine-44');
    expect(seen.every((id) => id.startsWith('mine-'))).toBe(true);
    const first = ok(await t.call(clerks[0], 'community', 'ownership.myMembers', {})).members[0];
    expect(first).toMatchObject({ openid: 'mine-44', nickname: '会员44', orders: 0, segments: [] });
    expect(JSON.stringify(first)).not.toMatch(/enc-|hash-/);
  });

  it('an admin moves named members to another staff member; the move is audited and in each member’s history', async () => {
    const { admin, clerks } = await openStore(t);
    await seedMembers(3, 'vip', { staffId: clerks[0] });
    const res = ok(await t.call(admin, 'community', 'ownership.assign', { openids: ['vip-0', 'vip-1', 'ghost'], staffId: clerks[1], reason: '重点客户由店长助理跟进' }, rid()));
    expect(res).toEqual({ moved: 2, unchanged: 0, notFound: ['ghost'] });
    expect(await staffOf('vip-0')).toBe(clerks[1]);
    expect(await staffOf('vip-2')).toBe(clerks[0]);
    const [log] = await auditOf('ownership.assign');
    expect(log).toMatchObject({ actor: admin, after: { staffId: clerks[1] }, reason: '重点客户由店长助理跟进' });
    expect(ok(await t.call(admin, 'community', 'ownership.history', { openid: 'vip-0' })).entries[0]).toMatchObject({ from: clerks[0], to: clerks[1], cause: 'manual', by: admin });

    const summary = ok(await t.call(admin, 'community', 'ownership.summary', {}));
    expect(summary.staff.find((s) => s.openid === clerks[1])).toMatchObject({ members: 2, hasContact: false });
    expect(summary.unassigned).toBe(0);
  });
});

describe('a member who deletes their account', () => {
  it('leaves no openid in the community records: assignments go, history moves to the anonymous id', async () => {
    const { admin, clerks } = await openStore(t);
    await seedMembers(1, 'leaver', { staffId: clerks[0] });
    ok(await t.call(admin, 'community', 'ownership.assign', { openids: ['leaver-0'], staffId: clerks[1] }, rid()));
    const entry = ok(await t.call(admin, 'community', 'community.entry.create', { name: '门店柜台', purpose: 'counter' }, rid()));
    ok(await t.call(admin, 'community', 'community.group.add', { entryId: entry.id, name: '群', qrFileId: 'cloud://e/q.png' }, rid()));
    ok(await t.call('leaver-0', 'community', 'community.open', { entryId: entry.id }));

    ok(await t.call('leaver-0', 'member', 'member.delete', { confirm: true }, rid()));
    ok(await t.call('leaver-0', 'member', 'member.delete', { confirm: true }, rid()));
    const traces = await Promise.all(
      [COLLECTIONS.communityAssignments, COLLECTIONS.ownershipHistory].map(async (c) => JSON.stringify((await getDb().collection(c).limit(1000).get()).data)),
    );
    expect(traces.join()).not.toContain('leaver-0');
    const history = (await getDb().collection(COLLECTIONS.ownershipHistory).limit(1000).get()).data as { memberId: string }[];
    expect(history).toHaveLength(1);
    expect(history[0].memberId).toMatch(/^anon_/);
  });
});
