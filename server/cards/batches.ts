/**
 * Card batches: created by staff for a campaign, prepared in steps (one reserved coupon slot per
 * card, a few hundred per write, at most PREPARE_STEP per invocation), revoked, listed with counts.
 *
 * A step holds a lease on the batch document (a conditional update), so the page calling
 * `card.batch.prepare` and the timer never work on the same batch at once; a step that crashed
 * simply lets its lease run out and the next one redoes it (slot creation is idempotent).
 */
import { createHash, randomUUID } from 'node:crypto';
import { COLLECTIONS } from '../../database/collections';
import type { CardBatchInput, CardBatchStatus, CardBatchView } from '../../typings';
import { benefitText } from '../coupons/discount';
import type { TemplateDoc } from '../coupons/model';
import { cardSlotCounts, reserveCardSlots, revokeCardSlots } from '../coupons/reserved';
import { issuingEndsAt } from '../coupons/validity';
import { audit } from '../runtime/audit';
import { getById, getDb, insertOrGet } from '../runtime/db';
import { AppError, fail } from '../runtime/errors';
import { toDate } from '../runtime/schedule';
import { endOfShanghaiDate, shanghaiDate } from '../runtime/shanghai';
import { findActiveStaff } from '../runtime/staff-guard';
import { DEFAULT_LETTER } from './letter';
import { type BatchCounts, type CardBatchDoc, cardSummaryOf, toBatchView } from './model';

/** Slots one invocation reserves at most (40 writes of 250): well inside a 60 s function. */
export const PREPARE_STEP = 10_000;
/** Longer than the function's timeout, so a lease outlives the step that took it. */
export const LEASE_MS = 90_000;
/** How far ahead a batch's last day may be. */
const MAX_VALID_DAYS = 3 * 366;

const NO_LEASE = new Date(0);

/** 7 characters of [0-9a-z] from creator and request id: a retried create lands on the same batch. */
export function batchIdFor(creator: string, requestId: string): string {
  const digest = createHash('sha256').update(`card-batch\n${creator}\n${requestId}`).digest();
  return (digest.readBigUInt64BE(0) % 36n ** 7n).toString(36).padStart(7, '0');
}

export async function loadBatch(batchId: string): Promise<CardBatchDoc> {
  const batch = await getById<CardBatchDoc>(COLLECTIONS.cardBatches, batchId);
  if (!batch) fail('NOT_FOUND', '找不到这批卡片');
  return batch;
}

export const invalid = (path: string, message: string): AppError => new AppError('INVALID_INPUT', undefined, [{ path: `payload.${path}`, message }]);

/** The benefit's template, checked: it must exist, issue now, and outlast the batch. */
async function benefitTemplate(templateId: string, validUntil: string, now: Date): Promise<TemplateDoc> {
  const template = await getById<TemplateDoc>(COLLECTIONS.couponTemplates, templateId);
  if (!template) throw invalid('templateId', '找不到这张优惠券');
  if (template.status !== 'active') throw invalid('templateId', template.status === 'paused' ? '这张券已暂停发放，请先恢复' : '这张券已结束，请选择其他券');
  const endsAt = issuingEndsAt(template.validity);
  if (endsAt && endsAt.getTime() < now.getTime()) throw invalid('templateId', '这张券已过有效期');
  if (endsAt && endOfShanghaiDate(validUntil).getTime() > endsAt.getTime()) {
    throw invalid('validUntil', `领取截止日期不能晚于优惠券的结束日期 ${shanghaiDate(endsAt)}`);
  }
  return template;
}

/** A start still ahead and before the last day; a start already past is the same as none. */
export function checkStartsAt(startsAt: Date | null, validUntil: string, now: Date): Date | null {
  if (!startsAt || startsAt.getTime() <= now.getTime()) return null;
  if (startsAt.getTime() >= endOfShanghaiDate(validUntil).getTime()) throw invalid('startsAt', '开始领取时间须早于领取截止日期');
  return startsAt;
}

export function checkValidUntil(validUntil: string, now: Date): void {
  const today = shanghaiDate(now);
  if (validUntil < today) throw invalid('validUntil', '领取截止日期不能早于今天');
  const latest = shanghaiDate(new Date(now.getTime() + MAX_VALID_DAYS * 86_400_000));
  if (validUntil > latest) throw invalid('validUntil', `领取截止日期最晚为 ${latest}`);
}

export interface Caller {
  openid: string;
  requestId: string;
  now: Date;
}

/** Creates the batch (or finds the one this request created) and runs its first preparation step. */
export async function createBatch(caller: Caller, input: CardBatchInput): Promise<CardBatchView> {
  const id = batchIdFor(caller.openid, caller.requestId);
  /** A retry (or the same tap twice at once) lands on the batch this request made. */
  const resume = (existing: CardBatchDoc) => {
    if (existing.createdBy !== caller.openid || existing.requestId !== caller.requestId) fail('CONFLICT', '批次编号冲突，请重新提交');
    return prepareBatch(id, caller.now);
  };
  const existing = await getById<CardBatchDoc>(COLLECTIONS.cardBatches, id);
  if (existing) return resume(existing);

  checkValidUntil(input.validUntil, caller.now);
  const startsAt = checkStartsAt(toDate(input.startsAt), input.validUntil, caller.now);
  const template = input.templateId ? await benefitTemplate(input.templateId, input.validUntil, caller.now) : null;
  if (input.ownerStaffId && !(await findActiveStaff(input.ownerStaffId))) throw invalid('ownerStaffId', '这位员工不存在或已离职');

  const batch: CardBatchDoc = {
    _id: id,
    channel: input.channel,
    product: input.product,
    quantity: input.quantity,
    letter: input.letter ?? DEFAULT_LETTER,
    benefit: template && { templateId: template._id, title: template.title, line: benefitText(template), validity: template.validity },
    ownerStaffId: input.ownerStaffId ?? null,
    validUntil: input.validUntil,
    claimUntil: endOfShanghaiDate(input.validUntil),
    startsAt,
    // Without a benefit there is nothing to reserve: the batch is ready at once.
    status: template ? 'preparing' : 'active',
    prepared: 0,
    leaseId: null,
    leaseUntil: NO_LEASE,
    createdAt: caller.now,
    createdBy: caller.openid,
    requestId: caller.requestId,
    revokedAt: null,
    revokedBy: null,
    revokeReason: null,
    slotsRevoked: false,
  };
  const { doc, created } = await insertOrGet(COLLECTIONS.cardBatches, batch);
  if (!created) return resume(doc);
  await audit(
    { actor: caller.openid, action: 'card.batch.create', target: `${COLLECTIONS.cardBatches}/${id}`, before: null, after: { channel: batch.channel, product: batch.product, quantity: batch.quantity, templateId: template?._id ?? null } },
    caller.now,
  );
  return template ? prepareBatch(id, caller.now, template) : batchView(batch, caller.now);
}

/** Takes the batch's lease for one step; null when another step holds it or there is nothing to do. */
async function takeLease(batchId: string, now: Date): Promise<string | null> {
  const db = getDb();
  const leaseId = randomUUID();
  const res = await db
    .collection(COLLECTIONS.cardBatches)
    .where({ _id: batchId, status: 'preparing', leaseUntil: db.command.lt(now) })
    .update({ data: { leaseId, leaseUntil: new Date(now.getTime() + LEASE_MS) } });
  return res.stats.updated === 1 ? leaseId : null;
}

/**
 * Reserves the next PREPARE_STEP cards of a preparing batch and records the progress; the last step
 * makes it active. Answers the batch as it stands (also when another step holds the lease).
 */
export async function prepareBatch(batchId: string, now: Date, knownTemplate?: TemplateDoc): Promise<CardBatchView> {
  const batch = await loadBatch(batchId);
  if (batch.status !== 'preparing' || !batch.benefit) return batchView(batch, now);
  const leaseId = await takeLease(batchId, now);
  if (!leaseId) return batchView(batch, now);

  const template = knownTemplate ?? (await getById<TemplateDoc>(COLLECTIONS.couponTemplates, batch.benefit.templateId));
  if (!template) fail('NOT_FOUND', '这批卡片的优惠券已不存在');
  const from = batch.prepared + 1;
  const to = Math.min(batch.quantity, batch.prepared + PREPARE_STEP);
  await reserveCardSlots({
    template,
    batchId,
    from,
    to,
    claimUntil: batch.claimUntil,
    claimFrom: batch.startsAt ? new Date(batch.startsAt) : null,
    card: (serial) => cardSummaryOf(batch, serial),
    at: now,
  });
  const status: CardBatchStatus = to === batch.quantity ? 'active' : 'preparing';
  const done = { prepared: to, status, leaseId: null, leaseUntil: NO_LEASE };
  // Conditional on the lease: a step that lost it (ran past LEASE_MS) records nothing.
  await getDb().collection(COLLECTIONS.cardBatches).where({ _id: batchId, leaseId, status: 'preparing' }).update({ data: done });
  return batchView({ ...batch, ...done }, now);
}

/** Preparing batches whose lease is free, for the timer. */
export async function batchesToPrepare(now: Date, limit: number): Promise<string[]> {
  const db = getDb();
  const res = await db.collection(COLLECTIONS.cardBatches).where({ status: 'preparing', leaseUntil: db.command.lt(now) }).limit(limit).get();
  return (res.data as CardBatchDoc[]).map((b) => b._id);
}

/**
 * Withdraws a batch: the batch first (refused while a preparation step holds it, so no step can
 * reserve cards after this), then its unclaimed slots in one update. A crash in between is
 * finished by the retry, any later revoke, or the timer (`slotsRevoked` stays false until done).
 */
export async function revokeBatch(caller: Caller, batchId: string, reason: string): Promise<CardBatchView> {
  const db = getDb();
  let batch = await loadBatch(batchId);
  if (batch.status !== 'revoked') {
    const update = { status: 'revoked' as const, revokedAt: caller.now, revokedBy: caller.openid, revokeReason: reason, slotsRevoked: !batch.benefit };
    const res = await db
      .collection(COLLECTIONS.cardBatches)
      .where({ _id: batchId, status: batch.status, leaseUntil: db.command.lt(caller.now) })
      .update({ data: update });
    if (res.stats.updated !== 1) {
      batch = await loadBatch(batchId);
      if (batch.status !== 'revoked') fail('CONFLICT', '这批卡片正在准备中，请稍后再停用');
    } else {
      await audit(
        { actor: caller.openid, action: 'card.batch.revoke', target: `${COLLECTIONS.cardBatches}/${batchId}`, before: { status: batch.status }, after: { status: 'revoked' }, reason },
        caller.now,
      );
      batch = { ...batch, ...update };
    }
  }
  if (!batch.slotsRevoked) batch = await finishRevocation(batch);
  return batchView(batch, caller.now);
}

/** Revokes the unclaimed slots of a revoked batch and records that it is done. */
export async function finishRevocation(batch: CardBatchDoc): Promise<CardBatchDoc> {
  if (batch.benefit) await revokeCardSlots(batch.benefit.templateId, batch._id);
  await getDb().collection(COLLECTIONS.cardBatches).doc(batch._id).update({ data: { slotsRevoked: true } });
  return { ...batch, slotsRevoked: true };
}

/** Revoked batches whose slots were not all revoked yet (a crashed revoke), for the timer. */
export async function revocationsToFinish(limit: number): Promise<CardBatchDoc[]> {
  const res = await getDb().collection(COLLECTIONS.cardBatches).where({ status: 'revoked', slotsRevoked: false }).limit(limit).get();
  return res.data as CardBatchDoc[];
}

export async function batchView(batch: CardBatchDoc, now: Date): Promise<CardBatchView> {
  return toBatchView(batch, await countsOf(batch), now);
}

async function countsOf(batch: CardBatchDoc): Promise<BatchCounts> {
  if (!batch.benefit) return { claimed: 0, redeemed: 0 };
  const counts = await cardSlotCounts(batch.benefit.templateId, batch._id);
  return { claimed: counts.claimed, redeemed: counts.redeemed };
}

export async function listBatches(status: CardBatchStatus | undefined, now: Date): Promise<CardBatchView[]> {
  const res = await getDb()
    .collection(COLLECTIONS.cardBatches)
    .where(status ? { status } : {})
    .orderBy('createdAt', 'desc')
    .limit(50)
    .get();
  return Promise.all((res.data as CardBatchDoc[]).map((b) => batchView(b, now)));
}
