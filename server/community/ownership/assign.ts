/**
 * Giving every member a staff member. A member who came from a card batch with an owner has one
 * from sign-up (join stays cheap: it writes nothing more); everyone else is assigned here, by the
 * merchant's rule, in pages by the timer (or `ownership.autoAssign`), or at once when the member
 * asks for their contact.
 *
 * Round-robin turns come from one counter document, reserved a page at a time with a
 * compare-and-set, so concurrent runs never hand out the same turns and the spread stays even.
 */
import { createHash } from 'node:crypto';
import { COLLECTIONS } from '../../../database/collections';
import type { OwnershipSettings } from '../../../typings';
import { audit } from '../../runtime/audit';
import { getById, getDb, isDuplicateKey } from '../../runtime/db';
import { fail } from '../../runtime/errors';
import { findActiveStaff, STAFF_COLLECTION, type StaffDoc } from '../../runtime/staff-guard';
import { type Move, type OwnedMember, SYSTEM_ACTOR, TURN_COUNTER_ID, type TurnCounterDoc } from './model';
import { applyMoves } from './moves';
import { loadOwnershipSettings } from './settings';

export const AUTO_PAGE = 200;

const autoHistoryId = (memberId: string): string => `auto_${memberId}`;

/** Members still to assign: no staff member yet, and not on their way out. */
export function pendingQuery(): Record<string, unknown> {
  return { staffId: null, status: getDb().command.neq('deleting') };
}

async function activeStaff(): Promise<StaffDoc[]> {
  const res = await getDb().collection(STAFF_COLLECTION).where({ status: 'active' }).orderBy('joinedAt', 'asc').limit(1000).get();
  return res.data as StaffDoc[];
}

/** Staff whose members are being handed over take no new ones meanwhile. */
async function leavingStaff(): Promise<Set<string>> {
  const res = await getDb().collection(COLLECTIONS.ownershipHandovers).where({ status: 'running' }).field({ from: true }).limit(100).get();
  return new Set((res.data as { from: string }[]).map((j) => j.from));
}

/** Who takes turns: the pool's active members, or every active staff member, in a stable order. */
function turnTakers(settings: OwnershipSettings, active: StaffDoc[], leaving: Set<string>): string[] {
  const available = active.filter((s) => !leaving.has(s._id));
  const ids = available.map((s) => s._id);
  if (settings.pool.length === 0) return ids;
  const inPool = settings.pool.filter((id) => ids.includes(id));
  // A pool whose members all left would stop assignment; everyone takes turns instead.
  return inPool.length > 0 ? inPool : ids;
}

/** Reserves `count` consecutive turns; answers the first. */
async function reserveTurns(count: number): Promise<number> {
  const counters = getDb().collection(COLLECTIONS.settings);
  for (let attempt = 0; attempt < 20; attempt++) {
    const doc = await getById<TurnCounterDoc>(COLLECTIONS.settings, TURN_COUNTER_ID);
    if (!doc) {
      try {
        await counters.add({ data: { _id: TURN_COUNTER_ID, n: count } });
        return 0;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        continue;
      }
    }
    const res = await counters.where({ _id: TURN_COUNTER_ID, n: doc.n }).update({ data: { n: doc.n + count } });
    if (res.stats.updated === 1) return doc.n;
  }
  throw new Error('could not reserve round-robin turns');
}

/** The staff member each inviter's invitees go to: the inviter if staff, else the inviter's own. */
async function inviterStaff(inviters: string[], active: Set<string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (inviters.length === 0) return out;
  for (const id of inviters) if (active.has(id)) out.set(id, id);
  const rest = inviters.filter((id) => !out.has(id));
  if (rest.length === 0) return out;
  const _ = getDb().command;
  const res = await getDb()
    .collection(COLLECTIONS.members)
    .where({ _id: _.in(rest) })
    .field({ _id: true, staffId: true })
    .limit(rest.length)
    .get();
  for (const m of res.data as OwnedMember[]) if (m.staffId && active.has(m.staffId)) out.set(m._id, m.staffId);
  return out;
}

/** Decides and applies the staff member of each member by the rule; answers how many were assigned. */
async function assignByRule(members: OwnedMember[], now: Date): Promise<Map<string, string>> {
  const [settings, active, leaving] = await Promise.all([loadOwnershipSettings(), activeStaff(), leavingStaff()]);
  const takers = turnTakers(settings, active, leaving);
  const assigned = new Map<string, string>();
  if (takers.length === 0) return assigned;

  const byInviter =
    settings.rule === 'inviter_then_round_robin'
      ? await inviterStaff([...new Set(members.map((m) => m.attribution?.inviter).filter((i): i is string => !!i))], new Set(takers))
      : new Map<string, string>();
  const invited: Move[] = [];
  const turns: OwnedMember[] = [];
  for (const m of members) {
    const to = m.attribution?.inviter ? byInviter.get(m.attribution.inviter) : undefined;
    if (to) invited.push({ memberId: m._id, from: null, to });
    else turns.push(m);
  }
  const first = turns.length > 0 ? await reserveTurns(turns.length) : 0;
  const inTurn = turns.map((m, i): Move => ({ memberId: m._id, from: null, to: takers[(first + i) % takers.length] }));

  const meta = { at: now, by: SYSTEM_ACTOR, handoverId: null, reason: null };
  for (const m of await applyMoves(invited, { ...meta, cause: 'inviter' }, autoHistoryId)) assigned.set(m.memberId, m.to);
  for (const m of await applyMoves(inTurn, { ...meta, cause: 'round_robin' }, autoHistoryId)) assigned.set(m.memberId, m.to);
  return assigned;
}

/** Assigns members without a staff member, a page at a time, until done or out of time. */
export async function assignPending(now: Date, outOfTime: () => boolean): Promise<{ assigned: number; remaining: number }> {
  const members = getDb().collection(COLLECTIONS.members);
  let assigned = 0;
  for (;;) {
    const page = await members
      .where(pendingQuery())
      .field({ _id: true, staffId: true, attribution: true })
      .limit(AUTO_PAGE)
      .get();
    const batch = page.data as OwnedMember[];
    if (batch.length === 0) return { assigned, remaining: 0 };
    const done = (await assignByRule(batch, now)).size;
    assigned += done;
    // No one to assign to (no active staff), or nothing moved: stop rather than spin.
    if (done === 0 || batch.length < AUTO_PAGE || outOfTime()) {
      return { assigned, remaining: (await members.where(pendingQuery()).count()).total };
    }
  }
}

/** The member's staff member, assigning one now if they have none yet; null when there is no staff. */
export async function ensureAssigned(member: OwnedMember, now: Date): Promise<string | null> {
  if (member.staffId) return member.staffId;
  const assigned = await assignByRule([member], now);
  const to = assigned.get(member._id);
  if (to) return to;
  // Someone else assigned them meanwhile.
  const fresh = await getById<OwnedMember>(COLLECTIONS.members, member._id);
  return fresh?.staffId ?? null;
}

/** Staff move named members to one staff member; audited as one change. */
export async function assignManually(
  call: { openid: string; requestId: string; now: Date },
  openids: string[],
  staffId: string,
  reason: string | undefined,
): Promise<{ moved: number; unchanged: number; notFound: string[] }> {
  const target = await findActiveStaff(staffId);
  if (!target) fail('INVALID_INPUT', undefined, [{ path: 'payload.staffId', message: '找不到这位员工，或已停用' }]);
  const ids = [...new Set(openids)];
  const _ = getDb().command;
  const res = await getDb()
    .collection(COLLECTIONS.members)
    .where({ _id: _.in(ids) })
    .field({ _id: true, staffId: true, status: true })
    .limit(ids.length)
    .get();
  const found = new Map((res.data as OwnedMember[]).map((m) => [m._id, m]));
  const notFound = ids.filter((id) => !found.has(id));
  const moves: Move[] = [...found.values()].filter((m) => m.staffId !== staffId).map((m) => ({ memberId: m._id, from: m.staffId ?? null, to: staffId }));
  const tag = createHash('sha256').update(`${call.openid}\n${call.requestId}`).digest('hex').slice(0, 12);
  const applied = await applyMoves(moves, { cause: 'manual', at: call.now, by: call.openid, handoverId: null, reason: reason ?? null }, (id) => `man_${tag}_${id}`);
  if (applied.length > 0) {
    await audit(
      {
        actor: call.openid,
        action: 'ownership.assign',
        target: `${STAFF_COLLECTION}/${staffId}`,
        before: { members: applied.map((m) => ({ openid: m.memberId, staffId: m.from })) },
        after: { staffId },
        ...(reason ? { reason } : {}),
      },
      call.now,
    );
  }
  return { moved: applied.length, unchanged: found.size - moves.length, notFound };
}
