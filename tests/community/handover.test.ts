/** 离职继承: when a staff member leaves, their customers stay the store's and go to colleagues. */
import { COLLECTIONS } from '../../database/collections';
import { measure } from '../../local/context';
import { handoverIdFor } from '../../server/community/ownership/handover';
import { getDb } from '../../server/runtime/db';
import type { OwnershipHandoverView } from '../../typings';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { makeStaff } from '../support/staff';
import { auditOf, fireTimer, memberDoc, membersWith, openStore, seedMembers } from './support';

const t = useRuntime();

/** What the admin page does: start, then continue until the handover is no longer running. */
async function handOver(admin: string, fromStaffId: string, toStaffIds: string[], requestId = rid()): Promise<{ view: OwnershipHandoverView; calls: number }> {
  let view = ok(await t.call(admin, 'community', 'ownership.handover.start', { fromStaffId, toStaffIds, reason: '离职' }, requestId));
  let calls = 1;
  while (view.status === 'running') {
    view = ok(await t.call(admin, 'community', 'ownership.handover.continue', { handoverId: view.id }, rid()));
    calls++;
  }
  return { view, calls };
}

/** A handover job as `ownership.handover.start` writes it, before its first step has run. */
async function plantJob(admin: string, from: string, to: string[], total: number): Promise<string> {
  const requestId = rid();
  const id = handoverIdFor(admin, requestId);
  await getDb()
    .collection(COLLECTIONS.ownershipHandovers)
    .add({
      data: {
        _id: id,
        from,
        fromName: `员工${from}`,
        targets: to.map((openid) => ({ openid, name: `员工${openid}`, moved: 0 })),
        status: 'running',
        total,
        moved: 0,
        late: 0,
        failure: null,
        reason: '离职',
        leaseId: null,
        leaseUntil: new Date(0),
        createdAt: new Date(),
        createdBy: admin,
        requestId,
        finishedAt: null,
      },
    });
  return id;
}

async function allMembers(): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (;;) {
    const res = await getDb().collection(COLLECTIONS.members).orderBy('_id', 'asc').skip(out.length).limit(1000).get();
    out.push(...(res.data as Record<string, unknown>[]));
    if (res.data.length < 1000) return out;
  }
}

describe('handing over a departing staff member’s members', () => {
  it('10,000 members go evenly to three colleagues: none is left with the departed, nothing else about them changes, and it is logged', async () => {
    const { owner, admin, clerks } = await openStore(t, 3);
    const [leaving, ...stayers] = clerks;
    const targets = [...stayers, admin];
    const ids = await seedMembers(10_000, 'cust', { staffId: leaving, batchId: 'b000001' });
    await seedMembers(20, 'other', { staffId: stayers[0] });
    // Access is revoked first (staff.revoke); the handover still takes the revoked member as its source.
    ok(await t.call(owner, 'staff', 'staff.revoke', { openid: leaving, reason: '离职' }, rid()));

    const { view } = await handOver(admin, leaving, targets);
    expect(view).toMatchObject({ status: 'done', total: 10_000, moved: 10_000, remaining: 0, from: { openid: leaving, status: 'revoked' }, failure: null });
    expect(await membersWith(leaving)).toBe(0);
    const shares = view.targets.map((x) => x.moved);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
    expect(await membersWith(stayers[0])).toBe(shares[0] + 20);
    expect(await membersWith(stayers[1])).toBe(shares[1]);
    expect(await membersWith(admin)).toBe(shares[2]);

    // Only the staff member changed: every other field is as it was written at sign-up.
    const after = new Map((await allMembers()).map((m) => [m._id as string, m]));
    ids.forEach((id, i) => {
      const { staffId, ...rest } = after.get(id)! as { staffId: string };
      expect(targets).toContain(staffId);
      const { staffId: _was, ...before } = memberDoc(id, i, { staffId: leaving, batchId: 'b000001' });
      expect(rest).toEqual(before);
    });

    const history = ok(await t.call(admin, 'community', 'ownership.history', { openid: 'cust-42' })).entries;
    expect(history).toEqual([
      expect.objectContaining({ from: leaving, cause: 'handover', by: admin, handoverId: view.id }),
      expect.objectContaining({ from: null, to: leaving, cause: 'card_batch' }),
    ]);
    expect((await getDb().collection(COLLECTIONS.ownershipHistory).where({ handoverId: view.id }).count()).total).toBe(10_000);

    const [started] = await auditOf('ownership.handover.start');
    expect(started).toMatchObject({ actor: admin, target: `staff/${leaving}`, before: { members: 10_000 }, after: { handoverId: view.id, to: targets }, reason: '离职' });
    const [done] = await auditOf('ownership.handover.done');
    expect(done).toMatchObject({ actor: admin, after: { handoverId: view.id, moved: 10_000 } });
    expect(ok(await t.call(admin, 'community', 'ownership.summary', {})).staff.map((s) => s.openid)).not.toContain(leaving);
  }, 180_000);

  it('all members can go to one person', async () => {
    const { admin, clerks } = await openStore(t);
    await seedMembers(30, 'few', { staffId: clerks[0] });
    const { view } = await handOver(admin, clerks[0], [clerks[1]]);
    expect(view).toMatchObject({ status: 'done', moved: 30, targets: [{ openid: clerks[1], moved: 30 }] });
    expect(await membersWith(clerks[1])).toBe(30);
  });

  it('a clerk cannot hand over anyone’s members, and nothing is written', async () => {
    const { clerks } = await openStore(t);
    await seedMembers(5, 'kept', { staffId: clerks[0] });
    const { result, cost } = await measure(() =>
      t.call(clerks[1], 'community', 'ownership.handover.start', { fromStaffId: clerks[0], toStaffIds: [clerks[1]], reason: '想要客户' }, rid()),
    );
    expect(errorOf(result).code).toBe('FORBIDDEN');
    expect(cost.writes).toBe(0);
    expect(await membersWith(clerks[0])).toBe(5);
  });

  it.each([
    ['to the departing member', (c: string[]) => ({ fromStaffId: c[0], toStaffIds: [c[0]] }), 'payload.toStaffIds.0', '不能交接给离职员工本人'],
    ['to a revoked member', (c: string[]) => ({ fromStaffId: c[0], toStaffIds: [c[2]] }), 'payload.toStaffIds.0', '找不到这位员工，或已停用'],
    ['to the same person twice', (c: string[]) => ({ fromStaffId: c[0], toStaffIds: [c[1], c[1]] }), 'payload.toStaffIds.1', '这位员工选了两次'],
    ['from somebody unknown', () => ({ fromStaffId: 'nobody', toStaffIds: ['clerk-2'] }), 'payload.fromStaffId', '找不到这位员工'],
  ])('refuses a handover %s, naming the field, writing nothing', async (_label, make, path, message) => {
    const { owner, admin, clerks } = await openStore(t, 3);
    ok(await t.call(owner, 'staff', 'staff.revoke', { openid: clerks[2], reason: '离职' }, rid()));
    const { result, cost } = await measure(() => t.call(admin, 'community', 'ownership.handover.start', { ...make(clerks), reason: '离职' }, rid()));
    expect(errorOf(result)).toMatchObject({ code: 'INVALID_INPUT', fields: [{ path, message }] });
    expect(cost.writes).toBe(0);
  });

  it('a step that crashed after recording its choices is finished with those choices, moving each member once', async () => {
    const { admin, clerks } = await openStore(t, 3);
    await seedMembers(1200, 'crash', { staffId: clerks[0] });
    const requestId = rid();
    const id = handoverIdFor(admin, requestId);
    // What a crashed first step leaves: history written for 300 members (all to clerk-3), members untouched.
    const recorded = Array.from({ length: 300 }, (_, i) => ({
      _id: `${id}_crash-${i}`,
      memberId: `crash-${i}`,
      from: clerks[0],
      to: clerks[2],
      cause: 'handover',
      at: new Date(),
      by: admin,
      handoverId: id,
      reason: '离职',
    }));
    await getDb().collection(COLLECTIONS.ownershipHistory).add({ data: recorded });

    const { view } = await handOver(admin, clerks[0], [clerks[1], clerks[2]], requestId);
    expect(view).toMatchObject({ status: 'done', moved: 1200 });
    for (let i = 0; i < 300; i += 37) {
      expect(((await getDb().collection(COLLECTIONS.members).doc(`crash-${i}`).get()).data as { staffId: string }).staffId).toBe(clerks[2]);
    }
    expect((await getDb().collection(COLLECTIONS.ownershipHistory).where({ handoverId: id }).count()).total).toBe(1200);
    expect(await membersWith(clerks[0])).toBe(0);
  });

  it('the page, a second tab and the timer driving at once move each member exactly once', async () => {
    const { admin, clerks } = await openStore(t, 3);
    await seedMembers(2000, 'busy', { staffId: clerks[0] });
    const id = await plantJob(admin, clerks[0], [clerks[1], clerks[2]], 2000);
    const [answers] = await Promise.all([
      Promise.all(Array.from({ length: 4 }, () => t.call(admin, 'community', 'ownership.handover.continue', { handoverId: id }, rid()))),
      fireTimer(t),
    ]);
    answers.forEach((a) => ok(a));
    const done = ok(await t.call(admin, 'community', 'ownership.handover.get', { handoverId: id }));
    expect(done).toMatchObject({ status: 'done', moved: 2000, remaining: 0 });
    expect(await membersWith(clerks[1])).toBe(1000);
    expect(await membersWith(clerks[2])).toBe(1000);
    expect((await getDb().collection(COLLECTIONS.ownershipHistory).where({ handoverId: id }).count()).total).toBe(2000);
  });

  it('members who reach the departed staff member afterwards (a card batch they owned) are moved on by the timer', async () => {
    const { owner, admin, clerks } = await openStore(t);
    await seedMembers(10, 'early', { staffId: clerks[0] });
    ok(await t.call(owner, 'staff', 'staff.revoke', { openid: clerks[0], reason: '离职' }, rid()));
    const { view } = await handOver(admin, clerks[0], [clerks[1]]);
    await seedMembers(3, 'late', { staffId: clerks[0], batchId: 'b000002' });
    await fireTimer(t);
    expect(await membersWith(clerks[0])).toBe(0);
    expect(await membersWith(clerks[1])).toBe(13);
    expect(ok(await t.call(admin, 'community', 'ownership.handover.get', { handoverId: view.id }))).toMatchObject({ status: 'done', moved: 10 });
  });

  it('a handover whose colleagues have all left since stops and says why', async () => {
    const { owner, admin, clerks } = await openStore(t);
    const extra = await makeStaff(t, owner, 'clerk-x', 'clerk');
    await seedMembers(10, 'orphan', { staffId: clerks[0] });
    // The job exists (as if started a moment ago), then its only colleague leaves before any step.
    const id = await plantJob(admin, clerks[0], [extra], 10);
    ok(await t.call(owner, 'staff', 'staff.revoke', { openid: extra, reason: '离职' }, rid()));
    const view = ok(await t.call(admin, 'community', 'ownership.handover.continue', { handoverId: id }, rid()));
    expect(view).toMatchObject({ status: 'failed', failure: '接手的员工都已停用，请重新发起交接', remaining: 10 });
    expect(await membersWith(clerks[0])).toBe(10);
  });
});
