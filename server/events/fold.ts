/**
 * Folds the event log into per-day counters, exactly once, on the member function's timer.
 *
 * - Only closed minutes are folded: older than now − 2 min, well past any function's timeout, so no
 *   event of a folded minute can still arrive (an event carries the minute its call started in).
 * - Events are read with ONE aggregate per minute range, grouped by minute, day, type, batch,
 *   channel and staff, so the fold's reads grow with the number of groups, not of events.
 * - Each day gets ONE conditional update that increments all its counters and records the minutes
 *   it folds, guarded by `folded: _.nin(minutes)`: a minute already folded can never be counted
 *   again, by a rerun or by a fold that crashed before moving its cursor. When the guard refuses
 *   (some of the minutes were folded), the day is read and only the missing minutes are applied.
 * - The cursor (`dayCounters/cursor`) moves after the days are written; it only saves work.
 * - A backlog is paged through until the time budget is spent; the next run continues.
 */
import { performance } from 'node:perf_hooks';
import { COLLECTIONS } from '../../database/collections';
import { getById, getDb, isDuplicateKey } from '../runtime/db';
import { shanghaiMinuteKey } from '../runtime/shanghai';
import { type DayCounterDoc, type EventGroup, incrementsOf } from './tally';

export const CURSOR_ID = 'cursor';
/** A minute is closed this long after it ends. */
export const CLOSE_AFTER_MS = 2 * 60_000;
/** Groups read per aggregate. */
export const GROUPS_PER_READ = 1000;

export interface CursorDoc {
  _id: typeof CURSOR_ID;
  /** Every minute before this one is folded. */
  nextMinute: string;
  updatedAt: Date;
}

export interface FoldOptions {
  now: Date;
  /** Wall-clock budget; the run stops starting new pages after it. */
  budgetMs?: number;
  groupsPerRead?: number;
  /** Fold no minute from this one on (events of later minutes may still be derived: coupons/counted.ts). */
  until?: string;
  /** Test hook: runs after a day's counters are written and before anything else. */
  afterDayWrite?: (day: string, minutes: string[]) => Promise<void> | void;
}

export interface FoldReport {
  minutes: number;
  events: number;
  days: number;
  /** Minutes found already folded (a rerun after an interruption). */
  skippedMinutes: number;
  caughtUp: boolean;
  nextMinute: string;
}

export const minuteKey = shanghaiMinuteKey;

/** The first minute not yet closed at `now`. */
export const closedBefore = (now: Date): string => minuteKey(new Date(now.getTime() - CLOSE_AFTER_MS));

export function nextMinuteAfter(minute: string): string {
  return minuteKey(new Date(new Date(`${minute}:00+08:00`).getTime() + 60_000));
}

interface GroupRow {
  _id: { minute: string; day: string; type: string; batchId?: string | null; channel?: string | null; staffId?: string | null };
  n: number;
  fen: number;
}

/** Events of minutes in [from, to), grouped; sorted by minute. */
export async function groupEvents(from: string, to: string, skip: number, limit: number, extraMatch: Record<string, unknown> = {}): Promise<EventGroup[]> {
  const db = getDb();
  const _ = db.command;
  const res = await db
    .collection(COLLECTIONS.events)
    .aggregate()
    .match({ minute: _.gte(from).and(_.lt(to)), ...extraMatch })
    .group({
      _id: { minute: '$minute', day: '$day', type: '$type', batchId: '$batchId', channel: '$channel', staffId: '$staffId' },
      n: _.aggregate.sum(1),
      fen: _.aggregate.sum('$amountFen'),
    })
    .sort({ '_id.minute': 1, '_id.type': 1, '_id.batchId': 1, '_id.channel': 1, '_id.staffId': 1 })
    .skip(skip)
    .limit(limit)
    .end();
  return (res.list as GroupRow[]).map((r) => ({
    minute: r._id.minute,
    day: r._id.day,
    type: r._id.type,
    batchId: r._id.batchId ?? null,
    channel: r._id.channel ?? null,
    staffId: r._id.staffId ?? null,
    n: r.n,
    fen: r.fen ?? 0,
  }));
}

/** All groups of one minute, however many pages they take. */
async function groupsOfMinute(minute: string, pageSize: number): Promise<EventGroup[]> {
  const out: EventGroup[] = [];
  for (;;) {
    const page = await groupEvents(minute, nextMinuteAfter(minute), out.length, pageSize);
    out.push(...page);
    if (page.length < pageSize) return out;
  }
}

function nested(inc: Map<string, number>, command: { inc(n: number): unknown }): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [path, v] of inc) {
    const parts = path.split('.');
    let node = data;
    for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]] = command.inc(v);
  }
  return data;
}

async function ensureDay(day: string, now: Date): Promise<void> {
  try {
    await getDb()
      .collection(COLLECTIONS.dayCounters)
      .add({ data: { _id: day, folded: [], total: 0, types: {}, batches: {}, channels: {}, staff: {}, updatedAt: now } });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/**
 * Adds the groups of `minutes` to the day, unless those minutes are already folded. Returns the
 * minutes actually applied.
 */
async function applyDay(day: string, byMinute: Map<string, EventGroup[]>, now: Date): Promise<string[]> {
  const db = getDb();
  const _ = db.command;
  let pending = new Map(byMinute);
  for (let attempt = 0; attempt < 4 && pending.size > 0; attempt++) {
    const minutes = [...pending.keys()];
    const inc = incrementsOf([...pending.values()].flat());
    const res = await db
      .collection(COLLECTIONS.dayCounters)
      .where({ _id: day, folded: _.nin(minutes) })
      .update({ data: { ...nested(inc, _), folded: _.push(minutes), updatedAt: now } });
    if (res.stats.updated === 1) return minutes;
    const doc = await getById<DayCounterDoc>(COLLECTIONS.dayCounters, day);
    if (!doc) {
      await ensureDay(day, now);
      continue;
    }
    const done = new Set(doc.folded);
    pending = new Map([...pending].filter(([m]) => !done.has(m)));
  }
  if (pending.size > 0) throw new Error(`fold: could not apply ${day} ${[...pending.keys()].join(',')}`);
  return [];
}

async function readCursor(): Promise<string> {
  const doc = await getById<CursorDoc>(COLLECTIONS.dayCounters, CURSOR_ID);
  return doc?.nextMinute ?? '';
}

async function moveCursor(nextMinute: string, now: Date): Promise<void> {
  const db = getDb();
  const _ = db.command;
  // Only forward: an older, slower run never moves it back.
  const res = await db
    .collection(COLLECTIONS.dayCounters)
    .where({ _id: CURSOR_ID, nextMinute: _.lt(nextMinute) })
    .update({ data: { nextMinute, updatedAt: now } });
  if (res.stats.updated === 0) {
    try {
      await db.collection(COLLECTIONS.dayCounters).add({ data: { _id: CURSOR_ID, nextMinute, updatedAt: now } });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
}

export async function foldEvents(options: FoldOptions): Promise<FoldReport> {
  const started = performance.now();
  const budgetMs = options.budgetMs ?? 40_000;
  const pageSize = options.groupsPerRead ?? GROUPS_PER_READ;
  const closed = closedBefore(options.now);
  const cutoff = options.until !== undefined && options.until < closed ? options.until : closed;
  const report: FoldReport = { minutes: 0, events: 0, days: 0, skippedMinutes: 0, caughtUp: false, nextMinute: '' };
  let cursor = await readCursor();

  // At least one page per run, however small the budget.
  for (let page = 0; page === 0 || performance.now() - started < budgetMs; page++) {
    if (cursor >= cutoff) {
      report.caughtUp = true;
      break;
    }
    let groups = await groupEvents(cursor, cutoff, 0, pageSize);
    let next = cutoff;
    if (groups.length === pageSize) {
      // The page may end inside a minute: keep whole minutes, the last one is read next time.
      const last = groups[groups.length - 1].minute;
      const whole = groups.filter((g) => g.minute < last);
      groups = whole.length > 0 ? whole : await groupsOfMinute(last, pageSize);
      next = whole.length > 0 ? last : nextMinuteAfter(last);
    }

    const byDay = new Map<string, Map<string, EventGroup[]>>();
    for (const g of groups) {
      const minutes = byDay.get(g.day) ?? new Map<string, EventGroup[]>();
      minutes.set(g.minute, [...(minutes.get(g.minute) ?? []), g]);
      byDay.set(g.day, minutes);
    }
    for (const [day, minutes] of byDay) {
      const applied = await applyDay(day, minutes, options.now);
      await options.afterDayWrite?.(day, applied);
      report.days += 1;
      report.minutes += applied.length;
      report.skippedMinutes += minutes.size - applied.length;
      for (const m of applied) report.events += minutes.get(m)!.reduce((s, g) => s + g.n, 0);
    }
    await moveCursor(next, options.now);
    cursor = next;
  }
  report.nextMinute = cursor;
  if (cursor >= cutoff) report.caughtUp = true;
  return report;
}
