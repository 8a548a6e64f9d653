/**
 * Points: an append-only ledger whose entries always add up to the member's balance.
 *
 * A credit writes its ledger entry and the balance change in ONE transaction (plus the order's
 * `bound` state when it credits an order). The entry's `_id` is deterministic (`bind:<order id>`),
 * so a retried or concurrent credit hits a duplicate key inside the transaction, which rolls the
 * whole transaction back: the entry and the balance move together, once.
 */
import { COLLECTIONS } from '../../database/collections';
import type { PointsEntryView } from '../../typings';
import { getDb, isDuplicateKey } from '../runtime/db';
import { PLATFORM_LABELS } from '../orders/presets';
import type { OrderDoc } from '../orders/model';
import type { MemberDoc } from './model';
import { SEGMENT_BUYER } from './model';

export interface LedgerEntry {
  _id: string;
  openid: string;
  delta: number;
  balanceAfter: number;
  reason: 'order_bind';
  /** What caused it: the order id for `order_bind`. */
  ref: string;
  /** Shown to the member. */
  note: string;
  at: Date;
}

export const ledgerIdForOrder = (orderId: string): string => `bind:${orderId}`;

const TRANSACTION_TRIES = 5;

function isConflict(err: unknown): boolean {
  const e = err as { code?: string; errCode?: number; errMsg?: string; message?: string };
  return e?.code === 'DATABASE_TRANSACTION_CONFLICT' || e?.errCode === -501001 || /conflict|locked/i.test(String(e?.errMsg ?? e?.message ?? ''));
}

export interface CreditResult {
  /** True when this call wrote the entry; false when it existed already. */
  credited: boolean;
  points: number;
  /** The member's balance and totals after this credit; null when it was credited before. */
  after: { balance: number; orders: number; spentFen: number } | null;
}

/**
 * Credits a bound order's points to its member, with the member's totals and buyer segment, and
 * marks the order `bound`. Safe to call any number of times, concurrently.
 */
export async function creditOrder(order: Pick<OrderDoc, '_id' | 'platform' | 'orderNo' | 'amountFen' | 'paidAt'>, openid: string, points: number, now: Date): Promise<CreditResult> {
  const db = getDb();
  const _ = db.command;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.runTransaction(async (tx) => {
        const member = (await tx.collection(COLLECTIONS.members).doc(openid).get()).data as MemberDoc | null;
        if (!member) throw new Error(`creditOrder: member ${openid} is missing`);
        const entry: LedgerEntry = {
          _id: ledgerIdForOrder(order._id),
          openid,
          delta: points,
          balanceAfter: member.points + points,
          reason: 'order_bind',
          ref: order._id,
          note: `绑定订单 ${PLATFORM_LABELS[order.platform]} ${order.orderNo}`,
          at: now,
        };
        const { _id, ...entryData } = entry;
        await tx.collection(COLLECTIONS.pointsLedger).add({ data: { _id, ...entryData } });
        const lastOrderAt = member.stats.lastOrderAt && new Date(member.stats.lastOrderAt) > new Date(order.paidAt) ? member.stats.lastOrderAt : order.paidAt;
        await tx.collection(COLLECTIONS.members).doc(openid).update({
          data: {
            points: _.inc(points),
            stats: { orders: _.inc(1), spentFen: _.inc(order.amountFen), lastOrderAt },
            segments: _.addToSet(SEGMENT_BUYER),
            updatedAt: now,
          },
        });
        await tx.collection(COLLECTIONS.orders).doc(order._id).update({ data: { bindState: 'bound', points, updatedAt: now } });
        const after = { balance: entry.balanceAfter, orders: member.stats.orders + 1, spentFen: member.stats.spentFen + order.amountFen };
        return { credited: true, points, after };
      });
    } catch (err) {
      if (isDuplicateKey(err)) return { credited: false, points, after: null };
      if (!isConflict(err) || attempt >= TRANSACTION_TRIES) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.floor(Math.random() * 20)));
    }
  }
}

export function entryView(e: LedgerEntry): PointsEntryView {
  return { id: e._id, delta: e.delta, balanceAfter: e.balanceAfter, reason: e.note, at: new Date(e.at).toISOString() };
}

export const LEDGER_PAGE = 20;

export async function ledgerPage(openid: string, cursor: string | undefined): Promise<{ entries: PointsEntryView[]; nextCursor: string | null }> {
  const db = getDb();
  const _ = db.command;
  const where = cursor ? { openid, at: _.lt(new Date(cursor)) } : { openid };
  const res = await db.collection(COLLECTIONS.pointsLedger).where(where).orderBy('at', 'desc').limit(LEDGER_PAGE + 1).get();
  const docs = res.data as LedgerEntry[];
  const shown = docs.slice(0, LEDGER_PAGE);
  return { entries: shown.map(entryView), nextCursor: docs.length > LEDGER_PAGE ? new Date(shown[shown.length - 1].at).toISOString() : null };
}

/** Every entry of a member (export, deletion); a member has one per bound order. */
export async function allEntries(openid: string): Promise<LedgerEntry[]> {
  const out: LedgerEntry[] = [];
  for (;;) {
    const res = await getDb().collection(COLLECTIONS.pointsLedger).where({ openid }).orderBy('at', 'desc').skip(out.length).limit(1000).get();
    out.push(...(res.data as LedgerEntry[]));
    if (res.data.length < 1000) return out;
  }
}
