/**
 * The day counters the dashboard reads, counting every document it reads. Same answer as
 * events/counters.ts `readDayCounters` (folded day documents plus the tail the fold has not reached),
 * read so that the cost stays flat:
 *
 * - the day documents come without their `folded` minute lists (up to 1,440 per day);
 * - only the days at or after the fold's cursor can hold minutes folded but not yet behind the
 *   cursor (a fold between its day write and its cursor move): their lists are read, and those
 *   minutes are left out of the tail, so nothing is counted twice;
 * - the tail is one aggregate grouped by day and dimensions (not by minute), so its rows grow with
 *   the kinds of traffic of the last few minutes, not with the events.
 */
import { COLLECTIONS } from '../../../database/collections';
import type { DayCounters } from '../../../typings';
import { CURSOR_ID, type CursorDoc } from '../../events/fold';
import { addGroups, type DayCounterDoc, emptyDay, type EventGroup, viewOfDoc } from '../../events/tally';
import { getDb } from '../../runtime/db';

const TAIL_PAGE = 1000;

interface TailRow {
  _id: { day: string; type: string; batchId?: string | null; channel?: string | null; staffId?: string | null };
  n: number;
  fen: number | null;
}

export interface CountedDays {
  days: DayCounters[];
  /** Documents returned: day documents, the cursor, minute lists, tail rows. */
  docs: number;
}

async function tail(days: string[], from: string, excluded: string[]): Promise<TailRow[]> {
  const db = getDb();
  const _ = db.command;
  const minute = excluded.length ? _.gte(from).and(_.nin(excluded)) : _.gte(from);
  const rows: TailRow[] = [];
  for (;;) {
    const res = await db
      .collection(COLLECTIONS.events)
      .aggregate()
      .match({ minute, day: _.in(days) })
      .group({
        _id: { day: '$day', type: '$type', batchId: '$batchId', channel: '$channel', staffId: '$staffId' },
        n: _.aggregate.sum(1),
        fen: _.aggregate.sum('$amountFen'),
      })
      .sort({ '_id.day': 1, '_id.type': 1, '_id.batchId': 1, '_id.channel': 1, '_id.staffId': 1 })
      .skip(rows.length)
      .limit(TAIL_PAGE)
      .end();
    rows.push(...(res.list as TailRow[]));
    if (res.list.length < TAIL_PAGE) return rows;
  }
}

/** Counters of `days` (Shanghai YYYY-MM-DD), in the order given. */
export async function readCountedDays(days: string[]): Promise<CountedDays> {
  if (days.length === 0) return { days: [], docs: 0 };
  const db = getDb();
  const _ = db.command;
  const res = await db
    .collection(COLLECTIONS.dayCounters)
    .where({ _id: _.in([...days, CURSOR_ID]) })
    .field({ folded: false })
    .limit(days.length + 1)
    .get();
  let docs = res.data.length;
  const all = res.data as (DayCounterDoc | CursorDoc)[];
  const cursor = (all.find((d) => d._id === CURSOR_ID) as CursorDoc | undefined)?.nextMinute ?? '';
  const stored = new Map((all.filter((d) => d._id !== CURSOR_ID) as DayCounterDoc[]).map((d) => [d._id, d]));
  const from = [cursor, `${[...days].sort()[0]}T00:00`].sort()[1];

  const open = days.filter((d) => stored.has(d) && d >= from.slice(0, 10));
  let excluded: string[] = [];
  if (open.length) {
    const lists = await db.collection(COLLECTIONS.dayCounters).where({ _id: _.in(open) }).field({ folded: true }).limit(open.length).get();
    docs += lists.data.length;
    excluded = (lists.data as Pick<DayCounterDoc, 'folded'>[]).flatMap((d) => (d.folded ?? []).filter((m) => m >= from));
  }

  const rows = await tail(days, from, excluded);
  docs += rows.length;
  const groups: EventGroup[] = rows.map((r) => ({
    minute: '',
    day: r._id.day,
    type: r._id.type,
    batchId: r._id.batchId ?? null,
    channel: r._id.channel ?? null,
    staffId: r._id.staffId ?? null,
    n: r.n,
    fen: r.fen ?? 0,
  }));
  const out = days.map((day) => {
    const doc = stored.get(day);
    const view = doc ? viewOfDoc(doc) : emptyDay(day);
    addGroups(
      view,
      groups.filter((g) => g.day === day),
    );
    return view;
  });
  return { days: out, docs };
}
