/**
 * 离职继承: every member of a departing staff member goes to one other staff member, or evenly to
 * several, in one admin action.
 *
 * A job document holds the progress. Work runs in steps under a lease on the job (a conditional
 * update), so two drivers (the admin page calling `continue`, the timer) never work at once; a
 * step that crashed lets its lease run out. Each step takes pages of the source's members (always
 * the first page: moved members drop out of the query, so there is no cursor to lose) and moves
 * them through `applyMoves` (history first, then `staffId` conditional on the source), so a
 * retried step moves nobody twice. A step stops after STEP_BUDGET_MS, well inside the 60 s timeout.
 *
 * The source may be revoked already (revoking is `staff.revoke`, separate). Members who reach a
 * revoked source after its handover finished (it owned a card batch) are moved on by the timer.
 */
import { createHash, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { COLLECTIONS } from '../../../database/collections';
import type { OwnershipHandoverInput, OwnershipHandoverView } from '../../../typings';
import { audit } from '../../runtime/audit';
import { now as clockNow } from '../../runtime/clock';
import { getById, getDb, insertOrGet } from '../../runtime/db';
import { fail } from '../../runtime/errors';
import { STAFF_COLLECTION, type StaffDoc } from '../../runtime/staff-guard';
import type { HandoverDoc, HandoverTarget, Move } from './model';
import { applyMoves } from './moves';

const PAGE = 500;
const LEASE_MS = 90_000;
const NO_LEASE = new Date(0);
/** Work per call or timer step; the function's timeout is 60 s. */
export const STEP_BUDGET_MS = 20_000;
/** How long after a handover members reaching its (revoked) source are still moved on. */
const LATE_WINDOW_MS = 180 * 86_400_000;

export const handoverIdFor = (actor: string, requestId: string): string =>
  `ho_${createHash('sha256').update(`handover\n${actor}\n${requestId}`).digest('hex').slice(0, 16)}`;

const historyIdOf = (jobId: string) => (memberId: string): string => `${jobId}_${memberId}`;

async function staffByIds(ids: string[]): Promise<Map<string, StaffDoc>> {
  const _ = getDb().command;
  const res = await getDb()
    .collection(STAFF_COLLECTION)
    .where({ _id: _.in(ids) })
    .limit(ids.length)
    .get();
  return new Map((res.data as StaffDoc[]).map((s) => [s._id, s]));
}

const countWith = async (staffId: string): Promise<number> => (await getDb().collection(COLLECTIONS.members).where({ staffId }).count()).total;

export async function loadHandover(id: string): Promise<HandoverDoc> {
  const job = await getById<HandoverDoc>(COLLECTIONS.ownershipHandovers, id);
  if (!job) fail('NOT_FOUND', '找不到这次交接');
  return job;
}

export async function handoverView(job: HandoverDoc): Promise<OwnershipHandoverView> {
  const from = (await getById<StaffDoc>(STAFF_COLLECTION, job.from)) ?? null;
  const remaining = job.status === 'running' || job.status === 'failed' ? await countWith(job.from) : 0;
  return {
    id: job._id,
    from: { openid: job.from, name: from?.name ?? job.fromName, status: from?.status ?? 'revoked' },
    targets: job.targets.map((t) => ({ ...t })),
    status: job.status,
    total: job.total,
    moved: job.moved,
    remaining,
    failure: job.failure,
    reason: job.reason,
    createdAt: new Date(job.createdAt).toISOString(),
    createdBy: job.createdBy,
    finishedAt: job.finishedAt ? new Date(job.finishedAt).toISOString() : null,
  };
}

function validate(input: OwnershipHandoverInput, staff: Map<string, StaffDoc>): void {
  const issues: { path: string; message: string }[] = [];
  if (!staff.has(input.fromStaffId)) issues.push({ path: 'payload.fromStaffId', message: '找不到这位员工' });
  const seen = new Set<string>();
  input.toStaffIds.forEach((id, i) => {
    const path = `payload.toStaffIds.${i}`;
    if (id === input.fromStaffId) issues.push({ path, message: '不能交接给离职员工本人' });
    else if (seen.has(id)) issues.push({ path, message: '这位员工选了两次' });
    else if (staff.get(id)?.status !== 'active') issues.push({ path, message: '找不到这位员工，或已停用' });
    seen.add(id);
  });
  if (issues.length > 0) fail('INVALID_INPUT', '请检查交接的员工', issues);
}

export async function startHandover(call: { openid: string; requestId: string; now: Date }, input: OwnershipHandoverInput): Promise<OwnershipHandoverView> {
  const id = handoverIdFor(call.openid, call.requestId);
  if (await getById<HandoverDoc>(COLLECTIONS.ownershipHandovers, id)) return continueHandover(id);
  const staff = await staffByIds([input.fromStaffId, ...input.toStaffIds]);
  validate(input, staff);
  const running = await getDb()
    .collection(COLLECTIONS.ownershipHandovers)
    .where({ from: input.fromStaffId, status: 'running' })
    .limit(1)
    .get();
  if (running.data.length > 0) fail('CONFLICT', '这位员工的客户正在交接中，请等待完成');

  const from = staff.get(input.fromStaffId)!;
  const job: HandoverDoc = {
    _id: id,
    from: from._id,
    fromName: from.name,
    targets: input.toStaffIds.map((openid) => ({ openid, name: staff.get(openid)!.name, moved: 0 })),
    status: 'running',
    total: await countWith(from._id),
    moved: 0,
    late: 0,
    failure: null,
    reason: input.reason,
    leaseId: null,
    leaseUntil: NO_LEASE,
    createdAt: call.now,
    createdBy: call.openid,
    requestId: call.requestId,
    finishedAt: null,
  };
  const { created } = await insertOrGet(COLLECTIONS.ownershipHandovers, job);
  if (created) {
    await audit(
      {
        actor: call.openid,
        action: 'ownership.handover.start',
        target: `${STAFF_COLLECTION}/${from._id}`,
        before: { staffId: from._id, members: job.total },
        after: { handoverId: id, to: input.toStaffIds },
        reason: input.reason,
      },
      call.now,
    );
  }
  return continueHandover(id);
}

/** Runs steps for up to STEP_BUDGET_MS and answers the job as it stands. */
export async function continueHandover(id: string, budgetMs = STEP_BUDGET_MS): Promise<OwnershipHandoverView> {
  await stepHandover(id, budgetMs);
  return handoverView(await loadHandover(id));
}

interface StepOutcome {
  moved: number;
  /** False when another driver holds the lease or the job is not running. */
  worked: boolean;
}

/**
 * One step: takes the lease, moves pages until the source has no members left (done), no target is
 * active any more (failed), or the budget is spent, then lets the lease go.
 */
export async function stepHandover(id: string, budgetMs = STEP_BUDGET_MS, late = false): Promise<StepOutcome> {
  const started = performance.now();
  const outOfTime = () => performance.now() - started >= budgetMs;
  const db = getDb();
  const jobs = db.collection(COLLECTIONS.ownershipHandovers);
  const at = clockNow();
  const leaseId = randomUUID();
  const status = late ? 'done' : 'running';
  const taken = await jobs
    .where({ _id: id, status, leaseUntil: db.command.lt(at) })
    .update({ data: { leaseId, leaseUntil: new Date(at.getTime() + LEASE_MS) } });
  if (taken.stats.updated !== 1) return { moved: 0, worked: false };
  const mine = { _id: id, leaseId };

  const job = await loadHandover(id);
  let moved = 0;
  try {
    const staff = await staffByIds(job.targets.map((t) => t.openid));
    const active = job.targets.filter((t) => staff.get(t.openid)?.status === 'active');
    if (active.length === 0) {
      if (!late) {
        const failed = { status: 'failed' as const, failure: '接手的员工都已停用，请重新发起交接', finishedAt: clockNow() };
        await jobs.where(mine).update({ data: failed });
        await audit({ actor: job.createdBy, action: 'ownership.handover.failed', target: `${STAFF_COLLECTION}/${job.from}`, before: null, after: { handoverId: id, moved: job.moved, failure: failed.failure } }, failed.finishedAt);
      }
      return { moved: 0, worked: true };
    }
    const counts = new Map(job.targets.map((t) => [t.openid, t.moved]));
    let turn = job.moved + job.late;
    for (;;) {
      const page = await db.collection(COLLECTIONS.members).where({ staffId: job.from }).field({ _id: true }).limit(PAGE).get();
      const ids = (page.data as { _id: string }[]).map((m) => m._id);
      if (ids.length === 0) {
        if (!late) await finish(job, mine, moved, counts);
        break;
      }
      const moves = ids.map((memberId, i): Move => ({ memberId, from: job.from, to: active[(turn + i) % active.length].openid }));
      const applied = await applyMoves(moves, { cause: 'handover', at: clockNow(), by: job.createdBy, handoverId: id, reason: job.reason }, historyIdOf(id));
      for (const m of applied) counts.set(m.to, (counts.get(m.to) ?? 0) + 1);
      turn += ids.length;
      moved += applied.length;
      const progress = late ? { late: job.late + moved } : { moved: job.moved + moved };
      await jobs.where(mine).update({ data: { ...progress, targets: db.command.set(withCounts(job.targets, counts)) } });
      if (outOfTime()) break;
    }
  } finally {
    await jobs.where(mine).update({ data: { leaseId: null, leaseUntil: NO_LEASE } });
  }
  return { moved, worked: true };
}

function withCounts(targets: HandoverTarget[], counts: Map<string, number>): HandoverTarget[] {
  return targets.map((t) => ({ ...t, moved: counts.get(t.openid) ?? t.moved }));
}

async function finish(job: HandoverDoc, mine: { _id: string; leaseId: string }, movedNow: number, counts: Map<string, number>): Promise<void> {
  const finishedAt = clockNow();
  await getDb()
    .collection(COLLECTIONS.ownershipHandovers)
    .where(mine)
    .update({ data: { status: 'done', finishedAt } });
  await audit(
    {
      actor: job.createdBy,
      action: 'ownership.handover.done',
      target: `${STAFF_COLLECTION}/${job.from}`,
      before: { staffId: job.from, members: job.total },
      after: { handoverId: job._id, moved: job.moved + movedNow, to: withCounts(job.targets, counts).map((t) => ({ staffId: t.openid, members: t.moved })) },
      reason: job.reason,
    },
    finishedAt,
  );
}

export async function listHandovers(): Promise<OwnershipHandoverView[]> {
  const res = await getDb().collection(COLLECTIONS.ownershipHandovers).orderBy('createdAt', 'desc').limit(50).get();
  return Promise.all((res.data as HandoverDoc[]).map(handoverView));
}

/** For the timer: running jobs nobody is driving (lease free). */
export async function handoversToContinue(at: Date, limit: number): Promise<string[]> {
  const res = await getDb()
    .collection(COLLECTIONS.ownershipHandovers)
    .where({ status: 'running', leaseUntil: getDb().command.lt(at) })
    .field({ _id: true })
    .limit(limit)
    .get();
  return (res.data as { _id: string }[]).map((j) => j._id);
}

/**
 * For the timer: finished handovers of revoked staff who have members again (new members of a card
 * batch they owned), latest handover per source.
 */
export async function handoversWithLateMembers(at: Date, limit: number): Promise<string[]> {
  const _ = getDb().command;
  const res = await getDb()
    .collection(COLLECTIONS.ownershipHandovers)
    .where({ status: 'done', finishedAt: _.gt(new Date(at.getTime() - LATE_WINDOW_MS)) })
    .orderBy('finishedAt', 'desc')
    .field({ _id: true, from: true })
    .limit(100)
    .get();
  const latest = new Map<string, string>();
  for (const j of res.data as { _id: string; from: string }[]) if (!latest.has(j.from)) latest.set(j.from, j._id);
  if (latest.size === 0) return [];
  const staff = await staffByIds([...latest.keys()]);
  const out: string[] = [];
  for (const [from, jobId] of latest) {
    if (staff.get(from)?.status !== 'revoked') continue;
    const some = await getDb().collection(COLLECTIONS.members).where({ staffId: from }).field({ _id: true }).limit(1).get();
    if (some.data.length > 0) out.push(jobId);
    if (out.length >= limit) break;
  }
  return out;
}
