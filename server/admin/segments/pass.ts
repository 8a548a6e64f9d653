/**
 * The segment recompute, run by the admin function's timer: every member, in pages by `_id`, is
 * placed by the rules (rules.ts) and written back only when their segments change.
 *
 * - One full pass a Shanghai day (recency moves with the calendar), and a new one whenever the
 *   rules are saved; a pass spans as many timer runs as it needs (resumable at its cursor).
 * - Per page of members: one read of the members, one aggregate of their newest events in the
 *   potential window (grouped by openid, so one row per member), one read of their coupons redeemed
 *   in the active window. Then one conditional write per member whose segments changed.
 * - The counts of a page are added to the pass document in the same conditional write that moves
 *   the cursor, so a page is counted once even if its worker dies and the page runs again; writing
 *   the same segments again changes nothing, so rerunning is harmless.
 * - When the last page is done, the counts go to the snapshot (state.ts) the dashboard and the
 *   segments page read as one document.
 */
import { performance } from 'node:perf_hooks';
import { COLLECTIONS } from '../../../database/collections';
import { decodeKey, encodeKey } from '../../events/tally';
import { getById, getDb, isDuplicateKey } from '../../runtime/db';
import { shanghaiDate } from '../../runtime/shanghai';
import { releaseLease, RELEASED, takeLease, LEASE_MS } from '../lease';
import { emptyCounts, PASS_ID, type PassCounts, type PassDoc, saveState, SNAPSHOT_ID, BLANK_SNAPSHOT, type MemberFigures } from '../state';
import { classify, isSegmentKey, type MemberFacts, SEGMENT_KEYS, withSegments } from './rules';
import { loadSegmentRules, type LoadedRules } from './settings';

export const PASS_PAGE = 200;
const DAY_MS = 86_400_000;

/** The fields of a member the pass reads. */
export interface PassMember {
  _id: string;
  status: 'active' | 'deleting';
  joinedAt: Date;
  stats: { orders: number; spentFen: number; lastOrderAt: Date | null };
  segments: string[];
  tags: string[];
}

const MEMBER_FIELDS = { status: true, joinedAt: true, stats: true, segments: true, tags: true };

export interface PassReport {
  status: 'idle' | 'running' | 'done' | 'busy';
  processed: number;
  changed: number;
}

/** Newest event per member since `since` (one aggregate row per member). */
async function lastActivity(ids: string[], since: Date): Promise<Map<string, Date>> {
  const db = getDb();
  const _ = db.command;
  const res = await db
    .collection(COLLECTIONS.events)
    .aggregate()
    .match({ openid: _.in(ids), at: _.gte(since) })
    .group({ _id: '$openid', last: _.aggregate.max('$at') })
    .limit(ids.length)
    .end();
  return new Map((res.list as { _id: string; last: Date }[]).map((r) => [r._id, new Date(r.last)]));
}

/** Newest redemption per member since `since`. */
async function lastRedemption(ids: string[], since: Date): Promise<Map<string, Date>> {
  const db = getDb();
  const _ = db.command;
  const out = new Map<string, Date>();
  for (let skip = 0; ; skip += 1000) {
    const res = await db
      .collection(COLLECTIONS.coupons)
      .where({ holder: _.in(ids), state: 'used', 'redemption.at': _.gte(since) })
      .field({ holder: true, redemption: true })
      .skip(skip)
      .limit(1000)
      .get();
    for (const c of res.data as { holder: string; redemption?: { at: Date } | null }[]) {
      const at = c.redemption?.at ? new Date(c.redemption.at) : null;
      const known = out.get(c.holder);
      if (at && (!known || at > known)) out.set(c.holder, at);
    }
    if (res.data.length < 1000) return out;
  }
}

export function factsOf(m: PassMember, activity: Date | null, redeem: Date | null): MemberFacts {
  return {
    joinedAt: new Date(m.joinedAt),
    orders: m.stats?.orders ?? 0,
    spentFen: m.stats?.spentFen ?? 0,
    lastOrderAt: m.stats?.lastOrderAt ? new Date(m.stats.lastOrderAt) : null,
    lastActivityAt: activity,
    lastRedeemAt: redeem,
  };
}

const mine = (segments: string[]): string => segments.filter(isSegmentKey).sort().join(',');

/**
 * Writes `next` as the member's segments if they still hold `current` (a bind adding `buyer` at the
 * same moment wins; the next pass settles it). Returns whether it wrote.
 */
export async function writeSegments(id: string, current: string[], next: string[], extra: Record<string, unknown> = {}): Promise<boolean> {
  const _ = getDb().command;
  const res = await getDb()
    .collection(COLLECTIONS.members)
    .where({ _id: id, segments: _.eq(current) })
    .update({ data: { segments: next, ...extra } });
  return res.stats.updated === 1;
}

/** Places one page of members; returns what it counted and how many it rewrote. */
async function placePage(members: PassMember[], loaded: LoadedRules, now: Date): Promise<{ counts: PassCounts; changed: number }> {
  const { rules } = loaded;
  const live = members.filter((m) => m.status === 'active');
  const ids = live.map((m) => m._id);
  const [activity, redeemed] = ids.length
    ? await Promise.all([
        lastActivity(ids, new Date(now.getTime() - rules.potential.withinDays * DAY_MS)),
        lastRedemption(ids, new Date(now.getTime() - rules.activeDays * DAY_MS)),
      ])
    : [new Map<string, Date>(), new Map<string, Date>()];
  const counts = emptyCounts();
  let changed = 0;
  for (const m of live) {
    const placed = classify(rules, factsOf(m, activity.get(m._id) ?? null, redeemed.get(m._id) ?? null), now);
    const segments = m.segments ?? [];
    if (mine(segments) !== mine(placed.segments) && (await writeSegments(m._id, segments, withSegments(segments, placed.segments)))) changed += 1;
    counts.members += 1;
    if (placed.active) counts.active += 1;
    const orders = m.stats?.orders ?? 0;
    if (orders >= 1) counts.buyers += 1;
    if (orders >= 2) counts.repeat += 1;
    counts.orders += orders;
    counts.spentFen += m.stats?.spentFen ?? 0;
    for (const key of placed.segments) counts.segments[key] += 1;
    for (const tag of new Set(m.tags ?? [])) counts.tags[encodeKey(tag)] = (counts.tags[encodeKey(tag)] ?? 0) + 1;
  }
  return { counts, changed };
}

/** The page's counts as increments of the pass document's `counts`. */
function incrementsOf(c: PassCounts): Record<string, unknown> {
  const _ = getDb().command;
  const out: Record<string, unknown> = {};
  for (const key of ['members', 'active', 'buyers', 'repeat', 'orders', 'spentFen'] as const) if (c[key]) out[key] = _.inc(c[key]);
  const segments = Object.fromEntries(SEGMENT_KEYS.filter((k) => c.segments[k]).map((k) => [k, _.inc(c.segments[k])]));
  if (Object.keys(segments).length) out.segments = segments;
  const tags = Object.fromEntries(Object.entries(c.tags).map(([k, n]) => [k, _.inc(n)]));
  if (Object.keys(tags).length) out.tags = tags;
  return out;
}

function figuresOf(pass: PassDoc, loaded: LoadedRules, now: Date): MemberFigures {
  const { tags, ...rest } = pass.counts;
  return {
    ...rest,
    segments: { ...emptyCounts().segments, ...rest.segments },
    computedAt: now,
    rulesVersion: pass.rulesVersion,
    activeDays: loaded.rules.activeDays,
    tags: Object.entries(tags ?? {})
      .filter(([, n]) => n > 0)
      .map(([k, count]) => ({ name: decodeKey(k), count }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
      .slice(0, 50),
  };
}

function freshPass(generation: number, loaded: LoadedRules, now: Date): Omit<PassDoc, '_id'> {
  return {
    generation,
    status: 'running',
    rulesVersion: loaded.version,
    day: shanghaiDate(now),
    startedAt: now,
    finishedAt: null,
    cursor: '',
    processed: 0,
    changed: 0,
    counts: emptyCounts(),
    leaseId: '',
    leaseUntil: RELEASED,
  };
}

/** The pass to work on now, starting a new one when the day or the rules moved on; null: nothing to do. */
async function currentPass(loaded: LoadedRules, now: Date): Promise<PassDoc | null> {
  const db = getDb();
  const _ = db.command;
  const state = await getById<PassDoc>(COLLECTIONS.adminState, PASS_ID);
  const stale = !state || state.rulesVersion !== loaded.version || (state.status === 'done' && state.day < shanghaiDate(now));
  if (!stale) return state.status === 'running' ? state : null;
  const fresh = freshPass((state?.generation ?? 0) + 1, loaded, now);
  if (!state) {
    try {
      await db.collection(COLLECTIONS.adminState).add({ data: { _id: PASS_ID, ...fresh } });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return null; // another run started it a moment ago
    }
  } else {
    const res = await db
      .collection(COLLECTIONS.adminState)
      .where({ _id: PASS_ID, generation: state.generation })
      .update({ data: { ...fresh, counts: _.set(fresh.counts) } });
    if (res.stats.updated !== 1) return null;
  }
  return { _id: PASS_ID, ...fresh };
}

/** Works on the segment recompute until `deadline` (a `performance.now()` value). */
export async function runSegmentPass(now: Date, deadline: number): Promise<PassReport> {
  const loaded = await loadSegmentRules();
  const pass = await currentPass(loaded, now);
  if (!pass) return { status: 'idle', processed: 0, changed: 0 };
  const holder = await takeLease(COLLECTIONS.adminState, PASS_ID, now, { generation: pass.generation });
  if (!holder) return { status: 'busy', processed: 0, changed: 0 };

  const db = getDb();
  const _ = db.command;
  const report: PassReport = { status: 'running', processed: 0, changed: 0 };
  let cursor = (await getById<PassDoc>(COLLECTIONS.adminState, PASS_ID))?.cursor ?? pass.cursor;
  try {
    for (let page = 0; page === 0 || performance.now() < deadline; page++) {
      const res = await db
        .collection(COLLECTIONS.members)
        .where({ _id: _.gt(cursor) })
        .orderBy('_id', 'asc')
        .limit(PASS_PAGE)
        .field(MEMBER_FIELDS)
        .get();
      const members = res.data as PassMember[];
      const last = members.length ? members[members.length - 1]._id : cursor;
      const { counts, changed } = await placePage(members, loaded, now);
      const moved = await db
        .collection(COLLECTIONS.adminState)
        .where({ _id: PASS_ID, generation: pass.generation, leaseId: holder, cursor })
        .update({
          data: {
            cursor: last,
            processed: _.inc(members.length),
            changed: _.inc(changed),
            leaseUntil: new Date(now.getTime() + LEASE_MS),
            counts: incrementsOf(counts),
          },
        });
      if (moved.stats.updated !== 1) return { ...report, status: 'busy' }; // lost the lease or a newer pass began
      report.processed += members.length;
      report.changed += changed;
      cursor = last;
      if (members.length < PASS_PAGE) {
        await finish(pass.generation, holder, loaded, now);
        return { ...report, status: 'done' };
      }
    }
  } finally {
    await releaseLease(COLLECTIONS.adminState, PASS_ID, holder);
  }
  return report;
}

async function finish(generation: number, holder: string, loaded: LoadedRules, now: Date): Promise<void> {
  const done = await getById<PassDoc>(COLLECTIONS.adminState, PASS_ID);
  if (!done || done.generation !== generation) return;
  await saveState(SNAPSHOT_ID, { members: figuresOf(done, loaded, now) }, BLANK_SNAPSHOT);
  await getDb()
    .collection(COLLECTIONS.adminState)
    .where({ _id: PASS_ID, generation, leaseId: holder })
    .update({ data: { status: 'done', finishedAt: now, leaseUntil: RELEASED } });
}

/** For the segments page: whether a pass is under way, and how far. */
export async function passProgress(): Promise<{ running: boolean; processed: number; startedAt: Date | null }> {
  const state = await getById<PassDoc>(COLLECTIONS.adminState, PASS_ID);
  if (!state) return { running: false, processed: 0, startedAt: null };
  return { running: state.status === 'running', processed: state.processed, startedAt: state.startedAt };
}
