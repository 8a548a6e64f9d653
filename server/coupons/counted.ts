/**
 * Coupon claims and redemptions reach the event log (and so the dashboard) from the coupons
 * themselves, on the member function's timer, instead of as one more write inside every claim and
 * redemption: those stay at their billable budgets (a claim ≤ 4 operations, a redemption ≤ 3), and
 * a page of up to 1,000 claims costs one read and one write here.
 *
 * - A claim through `issueCoupon` writes `claimMinute` (Shanghai minute) with the coupon; a
 *   redemption writes `redemption.minute`. Package-card claims are not counted here: the card's
 *   own `card_claim` event counts them.
 * - Each kind has a cursor `{minute, offset}` in `dayCounters` (`cursor:<kind>`): every minute
 *   before `minute` is done, and the first `offset` coupons of `minute` in _id order. Pages read in
 *   minute order and keep whole minutes; a minute with more than a page of coupons (a flash sale)
 *   is read on its own in _id order. Closed minutes never change, so those pages are stable.
 * - Event ids are derived from the coupon (`cc:<couponId>`, `cr:<couponId>:<redemption ms>`), so a
 *   page repeated after a crash before its cursor moved adds nothing twice.
 * - The fold must not pass `nextMinute` (the minute not yet fully derived): `runMemberTimer` folds
 *   up to it, so a folded minute never receives a derived event later.
 * - A redemption reversed before it was counted is not counted; one reversed after stays counted,
 *   as an event log would keep it. A re-redemption counts again (a new redemption time).
 */
import { performance } from 'node:perf_hooks';
import { COLLECTIONS } from '../../database/collections';
import { closedBefore, nextMinuteAfter } from '../events/fold';
import { type EventDoc, type EventInput, toEventDoc } from '../events/log';
import { getById, getDb, isDuplicateKey } from '../runtime/db';
import type { CouponDoc } from './model';

type Kind = 'claims' | 'redemptions';

interface CursorDoc {
  _id: string;
  minute: string;
  offset: number;
  updatedAt: Date;
}

export interface CountedReport {
  claims: number;
  redemptions: number;
  /** The first minute not fully derived for both kinds: the fold stops before it. */
  nextMinute: string;
  caughtUp: boolean;
}


const KINDS: Record<Kind, { field: string; event(c: CouponDoc): (EventInput & { _id: string; at: Date }) | null }> = {
  claims: {
    field: 'claimMinute',
    event: (c) => ({ _id: `cc:${c._id}`, at: c.claimedAt, type: 'coupon_claim', openid: c.holder, ref: c._id }),
  },
  redemptions: {
    field: 'redemption.minute',
    event: (c) =>
      c.redemption
        ? {
            _id: `cr:${c._id}:${new Date(c.redemption.at).getTime()}`,
            at: c.redemption.at,
            type: 'coupon_redeem',
            openid: c.holder,
            staffId: c.redemption.by,
            amountFen: c.redemption.orderAmountFen,
            ref: c._id,
          }
        : null,
  },
};

const cursorId = (kind: Kind): string => `cursor:${kind}`;

async function readCursor(kind: Kind): Promise<CursorDoc> {
  return (await getById<CursorDoc>(COLLECTIONS.dayCounters, cursorId(kind))) ?? { _id: cursorId(kind), minute: '', offset: 0, updatedAt: new Date(0) };
}

async function saveCursor(kind: Kind, minute: string, offset: number, now: Date): Promise<void> {
  await getDb().collection(COLLECTIONS.dayCounters).doc(cursorId(kind)).set({ data: { minute, offset, updatedAt: now } });
}

/** Appends the page's events; a repeated page (its events already there) adds only what is missing. */
async function append(kind: Kind, coupons: CouponDoc[]): Promise<number> {
  const docs = coupons.flatMap((c) => {
    const e = KINDS[kind].event(c);
    if (!e) return [];
    const { _id, at, ...input } = e;
    return [{ _id, ...toEventDoc(input, at) } as EventDoc & { _id: string }];
  });
  if (docs.length === 0) return 0;
  const events = getDb().collection(COLLECTIONS.events);
  try {
    await events.add({ data: docs as unknown as Record<string, unknown>[] });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    for (const doc of docs) {
      try {
        await events.add({ data: doc as unknown as Record<string, unknown> });
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
      }
    }
  }
  return docs.length;
}

const minuteOf = (kind: Kind, c: CouponDoc): string => (kind === 'claims' ? c.claimMinute! : c.redemption!.minute!);

async function deriveKind(kind: Kind, cutoff: string, deadline: number, now: Date, pageSize: number): Promise<{ events: number; nextMinute: string; caughtUp: boolean }> {
  const db = getDb();
  const _ = db.command;
  const field = KINDS[kind].field;
  const coupons = db.collection(COLLECTIONS.coupons);
  let { minute, offset } = await readCursor(kind);
  let events = 0;
  for (let page = 0; page === 0 || performance.now() < deadline; page++) {
    if (minute >= cutoff) return { events, nextMinute: minute, caughtUp: true };
    if (offset > 0) {
      // Inside a minute with more than a page of coupons: _id order, a page at a time.
      const rows = (await coupons.where({ [field]: minute }).orderBy('_id', 'asc').skip(offset).limit(pageSize).get()).data as CouponDoc[];
      events += await append(kind, rows);
      if (rows.length < pageSize) [minute, offset] = [nextMinuteAfter(minute), 0];
      else offset += rows.length;
      await saveCursor(kind, minute, offset, now);
      continue;
    }
    const range = minute ? _.gte(minute).and(_.lt(cutoff)) : _.lt(cutoff);
    const rows = (await coupons.where({ [field]: range }).orderBy(field, 'asc').limit(pageSize).get()).data as CouponDoc[];
    if (rows.length < pageSize) {
      events += await append(kind, rows);
      await saveCursor(kind, cutoff, 0, now);
      return { events, nextMinute: cutoff, caughtUp: true };
    }
    const last = minuteOf(kind, rows[rows.length - 1]);
    const whole = rows.filter((c) => minuteOf(kind, c) < last);
    events += await append(kind, whole);
    minute = last;
    offset = 0;
    if (whole.length === 0) {
      // A page all of one minute: that minute is read on its own, from its first coupon.
      const first = (await coupons.where({ [field]: minute }).orderBy('_id', 'asc').limit(pageSize).get()).data as CouponDoc[];
      events += await append(kind, first);
      offset = first.length;
      if (first.length < pageSize) [minute, offset] = [nextMinuteAfter(minute), 0];
    }
    await saveCursor(kind, minute, offset, now);
  }
  return { events, nextMinute: minute, caughtUp: false };
}
/** Derives the events of closed minutes, within `budgetMs`; the next run continues. */
export async function countCoupons(now: Date, budgetMs: number, pageSize = 1000): Promise<CountedReport> {
  const cutoff = closedBefore(now);
  const deadline = performance.now() + budgetMs;
  const claims = await deriveKind('claims', cutoff, deadline, now, pageSize);
  const redemptions = await deriveKind('redemptions', cutoff, deadline, now, pageSize);
  return {
    claims: claims.events,
    redemptions: redemptions.events,
    nextMinute: [claims.nextMinute, redemptions.nextMinute].sort()[0],
    caughtUp: claims.caughtUp && redemptions.caughtUp,
  };
}
