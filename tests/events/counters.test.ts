/**
 * The funnel's day counters, folded from the event log by the member function's timer, always equal
 * a recount of the raw events: after a scripted day, mid-day with an unfolded tail, and after a fold
 * interrupted at its worst moment and run again.
 */
import { COLLECTIONS } from '../../database/collections';
import { measure } from '../../local/context';
import { readDayCounters } from '../../server/events/counters';
import { foldEvents } from '../../server/events/fold';
import { appendEvents, type EventDoc, type EventInput, type EventType } from '../../server/events/log';
import type { DayCounters, Tally } from '../../typings';
import { allOf, joinAs, joinRequest } from '../members/support';
import { importOrders } from '../orders/support';
import { storeWithBatch, sceneOf } from '../cards/support';
import { errorOf, ok, rid, useRuntime, type TestRuntime } from '../support/runtime';

const t = useRuntime();

/** The same counters, counted from the raw events of each day. */
async function recount(days: string[]): Promise<DayCounters[]> {
  const events = await allOf<EventDoc>(COLLECTIONS.events);
  return days.map((day) => {
    const out: DayCounters = { day, total: 0, byType: {}, byBatch: {}, byChannel: {}, byStaff: {} };
    const add = (into: Record<string, Tally>, e: EventDoc) => {
      const cur = (into[e.type] ??= { n: 0, fen: 0 });
      cur.n += 1;
      cur.fen += e.amountFen ?? 0;
    };
    for (const e of events.filter((x) => x.day === day)) {
      out.total += 1;
      add(out.byType, e);
      if (e.batchId) add((out.byBatch[e.batchId] ??= {}), e);
      if (e.channel) add((out.byChannel[e.channel] ??= {}), e);
      if (e.staffId) add((out.byStaff[e.staffId] ??= {}), e);
    }
    return out;
  });
}

const TYPES: EventType[] = ['card_scan', 'member_signup', 'card_claim', 'order_bind', 'coupon_redeem', 'community_open'];

/** Synthetic traffic: `n` calls spread over the hours from `from`, odd ids included. */
async function traffic(t: TestRuntime, from: string, n: number, seed: number): Promise<void> {
  let x = seed;
  // A small LCG; its low bits repeat quickly, so the high ones are used.
  const next = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return Math.floor(x / 65536);
  };
  for (let i = 0; i < n; i++) {
    const at = new Date(new Date(from).getTime() + (next() % (10 * 3600)) * 1000);
    const events: EventInput[] = Array.from({ length: 1 + (next() % 3) }, () => {
      const type = TYPES[next() % TYPES.length];
      return {
        type,
        openid: `c${next() % 50}`,
        ...(next() % 4 ? { batchId: ['b1', 'b2', 'b.with.dots', 'b$x'][next() % 4] } : {}),
        ...(next() % 3 ? { channel: ['taobao', 'jd', 'pdd'][next() % 3] } : {}),
        ...(next() % 5 === 0 ? { staffId: `staff-${next() % 3}` } : {}),
        ...(type === 'order_bind' || type === 'coupon_redeem' ? { amountFen: next() % 50_000 } : {}),
      };
    });
    await appendEvents(events, at);
  }
}

/** A customer day through the real functions: scans, joins with cards, an order bound. */
async function realDay(t: TestRuntime): Promise<void> {
  t.rt.clock.set('2026-03-10T01:00:00Z');
  const { owner, batch } = await storeWithBatch(t);
  await importOrders(t, owner, [{ orderNo: '3872000011112222333', phone: '13812348000', amount: '128.50', paidAt: '2026-03-01 20:15:00', product: '龙井' }]);
  for (let i = 1; i <= 4; i++) {
    t.rt.clock.set(`2026-03-10T0${i}:1${i}:00Z`);
    const scene = await sceneOf(batch.id, i);
    ok(await t.call(`walker-${i}`, 'card', 'card.scan', { scene }));
    ok(await t.call(`walker-${i}`, 'member', 'member.join', joinRequest({ scene }), rid()));
  }
  ok(await t.call('walker-9', 'card', 'card.scan', { scene: 'forged-scene-0000000000000000000' }));
  t.rt.clock.set('2026-03-10T09:30:00Z');
  ok(await t.call('walker-1', 'member', 'member.bindOrder', { orderNo: '3872000011112222333', phoneLast4: '8000' }, rid()));
}

const DAYS = ['2026-03-09', '2026-03-10', '2026-03-11'];

describe('the day counters', () => {
  it('after a scripted day, the timer\'s fold equals a recount of the events, per type, batch, channel and staff', async () => {
    await realDay(t);
    await traffic(t, '2026-03-10T00:00:00Z', 200, 7);
    // A second Shanghai day starts at 16:00 UTC: traffic across midnight lands on both.
    await traffic(t, '2026-03-10T12:00:00Z', 100, 11);
    t.rt.clock.set('2026-03-11T06:00:00Z');
    const fired = (await t.rt.fireTimer('member', 'foldEvents')) as { ok: boolean; data: { fold: { caughtUp: boolean; events: number } } };
    expect(fired).toMatchObject({ ok: true, data: { fold: { caughtUp: true } } });
    expect(fired.data.fold.events).toBe((await allOf(COLLECTIONS.events)).length);

    const counters = await readDayCounters(DAYS);
    expect(counters).toEqual(await recount(DAYS));
    const day = counters[1];
    expect(day.byType.member_signup.n).toBeGreaterThanOrEqual(4);
    expect(day.byType.card_scan_invalid).toEqual({ n: 1, fen: 0 });
    expect(Object.keys(day.byBatch)).toEqual(expect.arrayContaining(['b.with.dots', 'b$x']));

    // Folding again adds nothing.
    await t.rt.fireTimer('member', 'foldEvents');
    expect(await readDayCounters(DAYS)).toEqual(await recount(DAYS));
  });

  it('mid-day the readers add the tail the fold has not reached: the numbers are live and exact', async () => {
    await traffic(t, '2026-03-10T00:00:00Z', 120, 3);
    t.rt.clock.set('2026-03-10T05:00:00Z');
    await foldEvents({ now: new Date(t.rt.clock.now()) });
    // Events of the minutes since, not closed yet (an event carries the minute its call started).
    await traffic(t, '2026-03-10T04:59:00Z', 40, 5);
    expect(await readDayCounters(DAYS)).toEqual(await recount(DAYS));
    const { cost } = await measure(() => readDayCounters(DAYS));
    expect(cost.reads).toBe(2);
  });

  it('a fold interrupted after writing a day but before moving its cursor, rerun, counts every event once', async () => {
    await traffic(t, '2026-03-10T10:00:00Z', 300, 13);
    const now = new Date('2026-03-11T06:00:00Z');
    let writes = 0;
    const crashOnThirdWrite = async () => {
      writes += 1;
      if (writes === 3) throw new Error('instance killed');
    };
    // Small pages force minutes split across reads and several writes per day.
    await expect(foldEvents({ now, groupsPerRead: 7, afterDayWrite: crashOnThirdWrite })).rejects.toThrow('instance killed');
    // Mid-crash the readers are exact too: the folded minutes are not read again from the tail.
    expect(await readDayCounters(DAYS)).toEqual(await recount(DAYS));

    const rerun = await foldEvents({ now, groupsPerRead: 7, budgetMs: 0 });
    expect(rerun.skippedMinutes).toBeGreaterThan(0);
    for (let i = 0; i < 500 && !(await foldEvents({ now, groupsPerRead: 7, budgetMs: 0 })).caughtUp; i++);
    expect(await readDayCounters(DAYS)).toEqual(await recount(DAYS));
  });

  it('two folds running at once never double-count', async () => {
    await traffic(t, '2026-03-10T10:00:00Z', 150, 17);
    const now = new Date('2026-03-11T06:00:00Z');
    await Promise.all([foldEvents({ now, groupsPerRead: 5 }), foldEvents({ now, groupsPerRead: 9 }), foldEvents({ now })]);
    expect(await readDayCounters(DAYS)).toEqual(await recount(DAYS));
  });

  it('staff read the days through the admin function', async () => {
    await realDay(t);
    t.rt.clock.set('2026-03-11T06:00:00Z');
    const { days } = ok(await t.call('owner-1', 'admin', 'stats.days', { fromDay: '2026-03-10', toDay: '2026-03-11' }));
    expect(days).toEqual(await recount(['2026-03-10', '2026-03-11']));
    expect(days[0].byType).toMatchObject({ card_scan: { n: 4 }, member_signup: { n: 4 }, card_claim: { n: 4 }, order_bind: { n: 1, fen: 12850 } });
    expect(errorOf(await t.call('walker-1', 'admin', 'stats.days', { fromDay: '2026-03-10', toDay: '2026-03-10' })).code).toBe('FORBIDDEN');
  });
});
