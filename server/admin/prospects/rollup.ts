/**
 * The rollup of imported orders into 潜力买家 (one document per non-member buyer), rebuilt by a
 * resumable pass: once a Shanghai day, after an order import finishes, or when an admin asks.
 *
 * Why a timer-kept rollup and not an aggregate per view: ranking 100,000+ orders by buyer on every
 * page open would group the whole collection each time (and CloudBase caps aggregate time and
 * results); the rollup makes a page one indexed query of 20 documents plus a count. Why a full pass
 * and not an update on import: membership changes outside imports (a buyer joins, binds an order,
 * is erased), so the pass re-reads everything in bounded steps anyway, and the import code stays
 * unaware of this feature.
 *
 * A step reads orders in buyer-key (`phoneHash`) order, 1,000 at a time, never ending a page inside
 * one buyer's orders; checks the page's buyers against members in one query; writes only rollups
 * that changed and removes those of buyers no longer prospects (in the key range the page covered),
 * then moves the cursor with one write conditional on the lease and the old cursor.
 */
import { performance } from 'node:perf_hooks';
import { COLLECTIONS } from '../../../database/collections';
import type { OrderPlatform } from '../../../typings';
import type { OrderDoc } from '../../orders/model';
import { getById, getDb } from '../../runtime/db';
import { shanghaiDate } from '../../runtime/shanghai';
import { releaseLease, RELEASED, takeLease } from '../lease';
import { saveState } from '../state';
import type { ProspectDoc } from './model';

export const PROSPECT_PASS_ID = 'prospectPass';
const PAGE = 1000;

type OrderFields = Pick<OrderDoc, '_id' | 'phoneHash' | 'amountFen' | 'paidAt' | 'platform' | 'orderNo' | 'phoneMasked' | 'boundTo'>;
const ORDER_FIELDS = { phoneHash: true, amountFen: true, paidAt: true, platform: true, orderNo: true, phoneMasked: true, boundTo: true };

export interface PassFigures {
  buyers: number;
  prospects: number;
  orders: number;
  ordersWithoutPhone: number;
}

export interface ProspectPassDoc {
  _id: typeof PROSPECT_PASS_ID;
  status: 'running' | 'done';
  /** Shanghai day the pass started. */
  day: string;
  startedAt: Date;
  finishedAt: Date | null;
  /** Set by an admin's refresh: the next timer or step starts a pass even if today's is done. */
  requested: boolean;
  /** Buyer keys up to this one are done. */
  cursor: string;
  /** So far in this pass. */
  counts: PassFigures;
  /** From the last finished pass (what the list reports). */
  last: (PassFigures & { computedAt: Date }) | null;
  leaseId: string;
  leaseUntil: Date;
}

const zero = (): PassFigures => ({ buyers: 0, prospects: 0, orders: 0, ordersWithoutPhone: 0 });

export const readProspectPass = (): Promise<ProspectPassDoc | null> => getById<ProspectPassDoc>(COLLECTIONS.adminState, PROSPECT_PASS_ID);

/** The newest finished import, to refresh after one lands. */
async function lastImportAt(): Promise<Date | null> {
  const res = await getDb().collection(COLLECTIONS.orderImports).where({ status: 'done' }).orderBy('updatedAt', 'desc').limit(1).field({ updatedAt: true }).get();
  const [job] = res.data as { updatedAt: Date }[];
  return job ? new Date(job.updatedAt) : null;
}

async function isDue(pass: ProspectPassDoc | null, now: Date): Promise<boolean> {
  if (!pass) return true;
  if (pass.status === 'running') return false;
  if (pass.requested || pass.day !== shanghaiDate(now)) return true;
  const imported = await lastImportAt();
  return !!imported && imported > pass.startedAt;
}

async function startPass(pass: ProspectPassDoc | null, now: Date): Promise<void> {
  const fresh = { status: 'running', day: shanghaiDate(now), startedAt: now, finishedAt: null, requested: false, cursor: '', counts: zero() };
  if (!pass) {
    await saveState(PROSPECT_PASS_ID, fresh, { last: null, leaseId: '', leaseUntil: RELEASED });
    return;
  }
  // Conditional on the state it saw, so two starters begin one pass.
  const _ = getDb().command;
  await getDb()
    .collection(COLLECTIONS.adminState)
    .where({ _id: PROSPECT_PASS_ID, status: 'done', startedAt: pass.startedAt })
    .update({ data: { ...fresh, counts: _.set(zero()) } });
}

/** Asks for a pass now (an admin's 刷新); a running one is left to finish. */
export async function requestPass(now: Date): Promise<void> {
  const pass = await readProspectPass();
  if (!pass) await startPass(null, now);
  else if (pass.status === 'done') await getDb().collection(COLLECTIONS.adminState).doc(PROSPECT_PASS_ID).update({ data: { requested: true } });
}

async function ordersAfter(cursor: string): Promise<OrderFields[]> {
  const _ = getDb().command;
  const res = await getDb().collection(COLLECTIONS.orders).where({ phoneHash: _.gt(cursor) }).orderBy('phoneHash', 'asc').limit(PAGE).field(ORDER_FIELDS).get();
  return res.data as OrderFields[];
}

async function ordersOf(hash: string): Promise<OrderFields[]> {
  const out: OrderFields[] = [];
  for (;;) {
    const res = await getDb().collection(COLLECTIONS.orders).where({ phoneHash: hash }).orderBy('_id', 'asc').skip(out.length).limit(PAGE).field(ORDER_FIELDS).get();
    out.push(...(res.data as OrderFields[]));
    if (res.data.length < PAGE) return out;
  }
}

/** The next page of whole buyers: a page never ends inside one buyer's orders. */
async function nextBuyers(cursor: string): Promise<{ orders: OrderFields[]; last: string; end: boolean }> {
  const page = await ordersAfter(cursor);
  if (page.length < PAGE) return { orders: page, last: page.length ? page[page.length - 1].phoneHash! : cursor, end: true };
  const tail = page[page.length - 1].phoneHash!;
  if (page[0].phoneHash === tail) return { orders: await ordersOf(tail), last: tail, end: false };
  const whole = page.filter((o) => o.phoneHash !== tail);
  return { orders: whole, last: whole[whole.length - 1].phoneHash!, end: false };
}

function rollupsOf(orders: OrderFields[]): Map<string, { doc: ProspectDoc; bound: boolean }> {
  const out = new Map<string, { doc: ProspectDoc; bound: boolean }>();
  for (const o of orders) {
    const hash = o.phoneHash!;
    const paidAt = new Date(o.paidAt);
    const seen = out.get(hash);
    if (!seen) {
      const doc = { _id: hash, orders: 1, spentFen: o.amountFen, firstPaidAt: paidAt, lastPaidAt: paidAt, phoneMasked: o.phoneMasked, platforms: [o.platform], lastOrderNo: o.orderNo };
      out.set(hash, { doc, bound: !!o.boundTo });
      continue;
    }
    const d = seen.doc;
    seen.bound ||= !!o.boundTo;
    d.orders += 1;
    d.spentFen += o.amountFen;
    if (paidAt < d.firstPaidAt) d.firstPaidAt = paidAt;
    if (paidAt >= d.lastPaidAt) Object.assign(d, { lastPaidAt: paidAt, lastOrderNo: o.orderNo, phoneMasked: o.phoneMasked });
    if (!d.platforms.includes(o.platform)) d.platforms = [...d.platforms, o.platform].sort() as OrderPlatform[];
  }
  return out;
}

async function memberHashes(hashes: string[]): Promise<Set<string>> {
  const _ = getDb().command;
  const res = await getDb().collection(COLLECTIONS.members).where({ phoneHash: _.in(hashes) }).limit(PAGE).field({ phoneHash: true }).get();
  return new Set((res.data as { phoneHash: string }[]).map((m) => m.phoneHash));
}

async function storedInRange(after: string, upTo: string | null): Promise<Map<string, ProspectDoc>> {
  const _ = getDb().command;
  const range = upTo === null ? _.gt(after) : _.gt(after).and(_.lte(upTo));
  const out = new Map<string, ProspectDoc>();
  for (;;) {
    const res = await getDb().collection(COLLECTIONS.prospects).where({ _id: range }).orderBy('_id', 'asc').skip(out.size).limit(PAGE).get();
    for (const d of res.data as ProspectDoc[]) out.set(d._id, d);
    if (res.data.length < PAGE) return out;
  }
}

const sameRollup = (a: ProspectDoc, b: ProspectDoc): boolean =>
  a.orders === b.orders &&
  a.spentFen === b.spentFen &&
  new Date(a.firstPaidAt).getTime() === b.firstPaidAt.getTime() &&
  new Date(a.lastPaidAt).getTime() === b.lastPaidAt.getTime() &&
  a.phoneMasked === b.phoneMasked &&
  a.lastOrderNo === b.lastOrderNo &&
  a.platforms.join() === b.platforms.join();

/** Writes the page's prospects where they changed; removes the range's former ones. */
async function settleRange(after: string, upTo: string | null, prospects: ProspectDoc[]): Promise<void> {
  const db = getDb();
  const _ = db.command;
  const stored = await storedInRange(after, upTo);
  for (const doc of prospects) {
    const before = stored.get(doc._id);
    stored.delete(doc._id);
    if (before && sameRollup(before, doc)) continue;
    const { _id, ...fields } = doc;
    await db.collection(COLLECTIONS.prospects).doc(_id).set({ data: fields });
  }
  const gone = [...stored.keys()];
  for (let i = 0; i < gone.length; i += PAGE) await db.collection(COLLECTIONS.prospects).where({ _id: _.in(gone.slice(i, i + PAGE)) }).remove();
}

async function finishPass(holder: string, counts: PassFigures, now: Date): Promise<void> {
  const _ = getDb().command;
  const without = (await getDb().collection(COLLECTIONS.orders).where({ phoneHash: null }).count()).total;
  const last = { ...counts, ordersWithoutPhone: without, computedAt: now };
  await getDb()
    .collection(COLLECTIONS.adminState)
    .where({ _id: PROSPECT_PASS_ID, leaseId: holder })
    .update({ data: { status: 'done', finishedAt: now, last: _.set(last) } });
}

/** Starts a pass when one is due and works on it until done or past the deadline. */
export async function runProspectPass(now: Date, deadline: number): Promise<{ processed: number; done: boolean }> {
  let pass = await readProspectPass();
  if (await isDue(pass, now)) {
    await startPass(pass, now);
    pass = await readProspectPass();
  }
  if (!pass || pass.status !== 'running') return { processed: 0, done: true };
  const holder = await takeLease(COLLECTIONS.adminState, PROSPECT_PASS_ID, now, { status: 'running' });
  if (!holder) return { processed: 0, done: false };
  const db = getDb();
  const _ = db.command;
  let { cursor } = pass;
  const counts = { ...pass.counts };
  let processed = 0;
  try {
    while (performance.now() < deadline) {
      const page = await nextBuyers(cursor);
      const groups = rollupsOf(page.orders);
      const members = groups.size ? await memberHashes([...groups.keys()]) : new Set<string>();
      const prospects = [...groups.values()].filter((g) => !g.bound && !members.has(g.doc._id)).map((g) => g.doc);
      await settleRange(cursor, page.end ? null : page.last, prospects);
      const step = { buyers: groups.size, prospects: prospects.length, orders: page.orders.length };
      const moved = await db
        .collection(COLLECTIONS.adminState)
        .where({ _id: PROSPECT_PASS_ID, leaseId: holder, cursor })
        .update({ data: { cursor: page.last, counts: { buyers: _.inc(step.buyers), prospects: _.inc(step.prospects), orders: _.inc(step.orders) } } });
      if (moved.stats.updated !== 1) break; // lost the lease
      cursor = page.last;
      counts.buyers += step.buyers;
      counts.prospects += step.prospects;
      counts.orders += step.orders;
      processed += page.orders.length;
      if (page.end) {
        await finishPass(holder, counts, now);
        return { processed, done: true };
      }
    }
  } finally {
    await releaseLease(COLLECTIONS.adminState, PROSPECT_PASS_ID, holder);
  }
  return { processed, done: false };
}
