/**
 * Binding a platform order to a member: the customer types the order number from the parcel, and
 * the last four digits of the order's phone confirm it is theirs.
 *
 * 1. One conditional write claims the order (`bindState: unbound → binding`, `boundTo`): of any
 *    number of concurrent binds of one order exactly one matches.
 * 2. One transaction writes the points ledger entry (deterministic `_id`), the member's balance and
 *    totals, and the order's `bound` state (members/points.ts).
 *    A crash between 1 and 2 leaves the order `binding`: the member's next bind of it, or the
 *    member function's timer (`repairBindings`), runs step 2 again, which can only apply once.
 * 3. The `order_bind` event, by the call whose transaction credited the order.
 *
 * Guessing is rate-limited per member and per order per Shanghai day; the limits are checked
 * before the digits, so a locked-out guesser learns nothing more.
 */
import { COLLECTIONS } from '../../database/collections';
import type { BindResult, LevelRules } from '../../typings';
import { appendEvents } from '../events/log';
import { sameHash } from '../members/crypto';
import { levelOf, loadLevelRules, pointsFor } from '../members/levels';
import type { MemberDoc } from '../members/model';
import { creditOrder } from '../members/points';
import { getById, getDb } from '../runtime/db';
import { fail } from '../runtime/errors';
import { shanghaiDate } from '../runtime/shanghai';
import { boundOrderView, last4CheckOf, ORDER_PLATFORMS, orderIdOf, type OrderDoc } from './model';
import { parseOrderNo } from './rows';

/** Failed attempts (unknown order or wrong digits) a member may make per day. */
export const MEMBER_DAILY_FAILURES = 10;
/** Wrong digits one order accepts per day, whoever types them. */
export const ORDER_DAILY_FAILURES = 5;
/** A `binding` order older than this is repaired by the timer. */
export const REPAIR_AFTER_MS = 2 * 60_000;

type Guard = { day: string; failures: number } | null;
const failuresToday = (guard: Guard, day: string): number => (guard && guard.day === day ? guard.failures : 0);

/** Counts one failure on a member or order document for `day`, restarting the count on a new day. */
async function countFailure(collection: string, id: string, day: string): Promise<void> {
  const db = getDb();
  const _ = db.command;
  for (let i = 0; i < 3; i++) {
    const same = await db.collection(collection).where({ _id: id, 'bindGuard.day': day }).update({ data: { bindGuard: { failures: _.inc(1) } } });
    if (same.stats.updated === 1) return;
    const fresh = await db
      .collection(collection)
      .where({ _id: id, 'bindGuard.day': _.neq(day) })
      .update({ data: { bindGuard: _.set({ day, failures: 1 }) } });
    if (fresh.stats.updated === 1) return;
  }
}

async function findOrders(orderNo: string): Promise<OrderDoc[]> {
  const _ = getDb().command;
  const ids = ORDER_PLATFORMS.map((p) => orderIdOf(p, orderNo));
  const res = await getDb().collection(COLLECTIONS.orders).where({ _id: _.in(ids) }).limit(ids.length).get();
  return res.data as OrderDoc[];
}

async function finish(order: OrderDoc, member: MemberDoc, rules: LevelRules, now: Date): Promise<BindResult> {
  const points = order.bindState === 'bound' ? (order.points ?? 0) : pointsFor(rules, order.amountFen);
  const credit = order.bindState === 'bound' ? { credited: false, after: null } : await creditOrder(order, member._id, points, now);
  if (credit.credited) {
    await appendEvents(
      [
        {
          type: 'order_bind',
          openid: member._id,
          amountFen: order.amountFen,
          batchId: member.attribution.batchId ?? undefined,
          channel: member.attribution.channel ?? undefined,
          staffId: member.staffId ?? undefined,
          ref: order._id,
        },
      ],
      now,
    );
  }
  // The transaction knows the totals it wrote; otherwise they are read as they are now.
  const current = credit.after ? null : await getById<MemberDoc>(COLLECTIONS.members, member._id);
  const totals = credit.after ?? { balance: current?.points ?? member.points, ...(current ?? member).stats };
  const bound: OrderDoc = { ...order, bindState: 'bound', boundTo: member._id, boundAt: order.boundAt ?? now, points: order.points ?? points };
  return {
    order: boundOrderView(bound),
    newlyBound: credit.credited,
    pointsAdded: credit.credited ? points : 0,
    points: totals.balance,
    level: levelOf(rules, totals),
  };
}

/** What customers paste: 「订单编号：3872…」 copied from the platform app, full-width, with spaces. */
export function orderNoFromPaste(text: string): string {
  const plain = text.normalize('NFKC').replace(/\s+/g, '');
  const labelled = /^[^\x00-\x7f]+:?(.+)$/.exec(plain);
  return labelled ? labelled[1] : plain;
}

export async function bindOrder(openid: string, orderNoInput: string, last4: string, now: Date): Promise<BindResult> {
  const orderNo = parseOrderNo(orderNoFromPaste(orderNoInput));
  if (!/^[0-9A-Za-z_-]+$/.test(orderNo)) fail('INVALID_INPUT', undefined, [{ path: 'payload.orderNo', message: orderNo }]);
  const [member, found, rules] = await Promise.all([getById<MemberDoc>(COLLECTIONS.members, openid), findOrders(orderNo), loadLevelRules()]);
  if (!member || member.status !== 'active') fail('NOT_FOUND', '请先加入会员，再绑定订单');

  // Already mine: answer it again (and finish it if a crash left it half done).
  const mine = found.find((o) => o.boundTo === openid);
  if (mine) return finish(mine, member, rules, now);

  const day = shanghaiDate(now);
  const used = failuresToday(member.bindGuard, day);
  if (used >= MEMBER_DAILY_FAILURES) fail('RATE_LIMITED', '今天核对失败的次数太多，请明天再试，或联系客服帮你绑定');
  const left = MEMBER_DAILY_FAILURES - used - 1;
  if (found.length === 0) {
    await countFailure(COLLECTIONS.members, openid, day);
    fail('NOT_FOUND', `没有找到这个订单：请核对订单号，或等店铺导入最新订单后再试${left > 0 ? `（今天还可以再试 ${left} 次）` : ''}`);
  }
  if (found.every((o) => failuresToday(o.bindGuard, day) >= ORDER_DAILY_FAILURES)) {
    fail('RATE_LIMITED', '这个订单今天核对失败的次数太多，请明天再试，或联系客服帮你绑定');
  }
  const order = found.find((o) => failuresToday(o.bindGuard, day) < ORDER_DAILY_FAILURES && sameHash(o.last4Check, last4CheckOf(o._id, last4)));
  if (!order) {
    await Promise.all([countFailure(COLLECTIONS.members, openid, day), ...found.map((o) => countFailure(COLLECTIONS.orders, o._id, day))]);
    fail('FORBIDDEN', `手机号后四位与订单不一致${left > 0 ? `，今天还可以再试 ${left} 次` : '，今天不能再试了'}`);
  }
  if (order.boundTo) fail('ALREADY_USED', '这个订单已被其他会员绑定，如有疑问请联系客服');

  const claim = await getDb()
    .collection(COLLECTIONS.orders)
    .where({ _id: order._id, bindState: 'unbound' })
    .update({ data: { bindState: 'binding', boundTo: openid, boundAt: now, updatedAt: now } });
  if (claim.stats.updated !== 1) {
    const now2 = await getById<OrderDoc>(COLLECTIONS.orders, order._id);
    if (now2?.boundTo !== openid) fail('ALREADY_USED', '这个订单已被其他会员绑定，如有疑问请联系客服');
    return finish(now2, member, rules, now);
  }
  return finish({ ...order, bindState: 'binding', boundTo: openid, boundAt: now }, member, rules, now);
}

/** The timer's part: finish bindings a crash left between the claim and the credit. */
export async function repairBindings(now: Date): Promise<{ repaired: number }> {
  const _ = getDb().command;
  const res = await getDb()
    .collection(COLLECTIONS.orders)
    .where({ bindState: 'binding', boundAt: _.lt(new Date(now.getTime() - REPAIR_AFTER_MS)) })
    .limit(50)
    .get();
  const stuck = res.data as OrderDoc[];
  if (stuck.length === 0) return { repaired: 0 };
  const rules = await loadLevelRules();
  let repaired = 0;
  for (const order of stuck) {
    const member = await getById<MemberDoc>(COLLECTIONS.members, order.boundTo!);
    if (!member) continue;
    const result = await finish(order, member, rules, now);
    if (result.newlyBound) repaired += 1;
  }
  return { repaired };
}
