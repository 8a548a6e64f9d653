/**
 * Reads the funnel's per-day counters: the folded day documents plus the tail the fold has not
 * reached yet, from one aggregate over the events since the fold's cursor. Minutes a day document
 * lists as folded are left out of the tail, so nothing is counted twice even right after a fold
 * that stopped before moving its cursor. The log is never scanned as a whole.
 */
import { COLLECTIONS } from '../../database/collections';
import type { DayCounters } from '../../typings';
import { getDb } from '../runtime/db';
import { CURSOR_ID, type CursorDoc, groupEvents } from './fold';
import { addGroups, type DayCounterDoc, emptyDay, type EventGroup, viewOfDoc } from './tally';

const TAIL_PAGE = 1000;
/** Past the last minute of any day: the tail reads up to now. */
const END_OF_TIME = '9999-12-31T23:59';

/** Counters of `days` (Shanghai YYYY-MM-DD), in the order given. */
export async function readDayCounters(days: string[]): Promise<DayCounters[]> {
  if (days.length === 0) return [];
  const db = getDb();
  const _ = db.command;
  const res = await db
    .collection(COLLECTIONS.dayCounters)
    .where({ _id: _.in([...days, CURSOR_ID]) })
    .limit(1000)
    .get();
  const docs = res.data as (DayCounterDoc | CursorDoc)[];
  const cursor = (docs.find((d) => d._id === CURSOR_ID) as CursorDoc | undefined)?.nextMinute ?? '';
  const stored = new Map((docs.filter((d) => d._id !== CURSOR_ID) as DayCounterDoc[]).map((d) => [d._id, d]));

  const tail: EventGroup[] = [];
  // The tail starts at the cursor, but no earlier than the first day asked for.
  const from = [cursor, `${[...days].sort()[0]}T00:00`].sort()[1];
  for (;;) {
    const page = await groupEvents(from, END_OF_TIME, tail.length, TAIL_PAGE, { day: _.in(days) });
    tail.push(...page);
    if (page.length < TAIL_PAGE) break;
  }

  return days.map((day) => {
    const doc = stored.get(day);
    const view = doc ? viewOfDoc(doc) : emptyDay(day);
    const folded = new Set(doc?.folded ?? []);
    addGroups(
      view,
      tail.filter((g) => g.day === day && !folded.has(g.minute)),
    );
    return view;
  });
}

/** Every day from `fromDay` to `toDay` inclusive. */
export function daysBetween(fromDay: string, toDay: string): string[] {
  const out: string[] = [];
  const d = new Date(`${fromDay}T00:00:00Z`);
  const end = new Date(`${toDay}T00:00:00Z`);
  while (d.getTime() <= end.getTime()) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}
