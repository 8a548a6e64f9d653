/**
 * Deleting the account removes the personal data and keeps only what cannot identify the member:
 * 1. The member is marked `deleting` with a random anonymous id (kept on retries).
 * 2. Their records move to that id: events, points ledger, bound orders (the store's own sales
 *    records) and coupons (available ones are voided); reminder subscriptions are removed.
 * 3. A tombstone under the anonymous id keeps anonymised totals (join month, orders, spend,
 *    points, card channel and batch).
 * 4. The member document is removed, so the same WeChat user can join again as a new member.
 * Records other areas keep about the member (orders' buyer phone, group-buys, audit, outbox, data
 * exports) are cleared by erase-traces.ts.
 * Each step can run again, so a retry after a crash finishes the job.
 */
import { forgetGrowthTraces } from '../growth/privacy';
import { renamedReward } from '../growth/invites/erase';
import { anonymiseCommunityTraces } from '../community/privacy';
import { eraseRemainingTraces } from './erase-traces';
import { COLLECTIONS } from '../../database/collections';
import type { CouponDoc } from '../coupons/model';
import { appendEvents } from '../events/log';
import { getById, getDb, insertOrGet } from '../runtime/db';
import { shanghaiDate } from '../runtime/shanghai';
import { randomToken } from '../runtime/signing';
import type { MemberDoc } from './model';
import { pagesOf } from './profile';

export interface TombstoneDoc {
  _id: string;
  deletedAt: Date;
  /** YYYY-MM (Shanghai) only. */
  joinedMonth: string;
  orders: number;
  spentFen: number;
  points: number;
  channel: string | null;
  batchId: string | null;
}

async function markDeleting(member: MemberDoc, now: Date): Promise<string> {
  if (member.deletion) return member.deletion.anonId;
  const anonId = `anon_${randomToken(16)}`;
  const _ = getDb().command;
  const res = await getDb()
    .collection(COLLECTIONS.members)
    .where({ _id: member._id, deletion: _.exists(false) })
    .update({ data: { status: 'deleting', deletion: { anonId, requestedAt: now }, updatedAt: now } });
  if (res.stats.updated === 1) return anonId;
  const again = await getById<MemberDoc>(COLLECTIONS.members, member._id);
  if (!again?.deletion) throw new Error('member deletion: marker missing after a refused mark');
  return again.deletion.anonId;
}

async function deidentifyCoupons(openid: string, anonId: string, now: Date): Promise<void> {
  const coupons = await pagesOf<CouponDoc>(COLLECTIONS.coupons, { holder: openid }, 'sortKey');
  const db = getDb();
  for (const c of coupons) {
    const seq = c.holderSeq.split('#').pop();
    // An invite reward names the invitee: by their pseudonym from now on (growth/invites/erase.ts).
    const reward = renamedReward(c);
    const data: Record<string, unknown> = {
      holder: anonId,
      holderSeq: `${anonId}#${seq}`,
      claimKey: `${anonId}:${reward?.requestKey ?? c.requestKey}`,
      ...reward,
    };
    if (c.state === 'available') Object.assign(data, { state: 'expired', expiredAt: now, voidedReason: 'account_deleted' });
    await db.collection(COLLECTIONS.coupons).where({ _id: c._id, holder: openid }).update({ data });
  }
}

export async function deleteMember(openid: string, now: Date): Promise<{ deleted: true }> {
  await eraseMemberRecords(openid, now);
  return { deleted: true };
}

/** The deletion itself, for the member's own request and for staff acting on it: the anonymous id, or null when there is no member. */
export async function eraseMemberRecords(openid: string, now: Date): Promise<string | null> {
  const member = await getById<MemberDoc>(COLLECTIONS.members, openid);
  if (!member) return null;
  const anonId = await markDeleting(member, now);
  const db = getDb();

  await db.collection(COLLECTIONS.events).where({ openid }).update({ data: { openid: anonId } });
  await db.collection(COLLECTIONS.pointsLedger).where({ openid }).update({ data: { openid: anonId } });
  // A binding a crash left half done is finished as it stands: the member is going away.
  await db.collection(COLLECTIONS.orders).where({ boundTo: openid, bindState: 'binding' }).update({ data: { bindState: 'bound', points: 0 } });
  await db.collection(COLLECTIONS.orders).where({ boundTo: openid }).update({ data: { boundTo: anonId } });
  await deidentifyCoupons(openid, anonId, now);
  await db.collection(COLLECTIONS.couponReminderCredits).where({ openid }).remove();
  await anonymiseCommunityTraces(openid, anonId);
  await forgetGrowthTraces(openid, anonId);
  await eraseRemainingTraces(member, anonId);

  await insertOrGet<TombstoneDoc>(COLLECTIONS.memberTombstones, {
    _id: anonId,
    deletedAt: now,
    joinedMonth: shanghaiDate(new Date(member.joinedAt)).slice(0, 7),
    orders: member.stats.orders,
    spentFen: member.stats.spentFen,
    points: member.points,
    channel: member.attribution.channel,
    batchId: member.attribution.batchId,
  });
  await db.collection(COLLECTIONS.members).where({ _id: openid, status: 'deleting' }).remove();
  await appendEvents([{ type: 'member_delete', openid: anonId, channel: member.attribution.channel ?? undefined, batchId: member.attribution.batchId ?? undefined }], now);
  return anonId;
}
