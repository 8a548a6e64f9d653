/**
 * Staff changes to a batch once its cards exist: pause and resume it, and move its claim window
 * (the last day, and the start while it is still ahead). What is printed on the cards never changes.
 *
 * The batch document is written first, then its unclaimed slots in one update. A crash in between
 * is repaired by the retry: asking for the state the batch already has moves the slots again.
 */
import { COLLECTIONS } from '../../database/collections';
import type { CardBatchUpdate, CardBatchView } from '../../typings';
import type { TemplateDoc } from '../coupons/model';
import { moveCardSlots, type UnclaimedState } from '../coupons/reserved';
import { issuingEndsAt } from '../coupons/validity';
import { audit } from '../runtime/audit';
import { getById, getDb } from '../runtime/db';
import { fail } from '../runtime/errors';
import { notStarted, startChangeIssue, toDate } from '../runtime/schedule';
import { endOfShanghaiDate, shanghaiDate } from '../runtime/shanghai';
import { batchView, type Caller, checkValidUntil, invalid, loadBatch } from './batches';
import type { CardBatchDoc } from './model';

const target = (id: string): string => `${COLLECTIONS.cardBatches}/${id}`;

/** Where the unclaimed slots of a batch in this status (and schedule) belong. */
function slotStateOf(batch: Pick<CardBatchDoc, 'status' | 'startsAt'>, now: Date): UnclaimedState {
  if (batch.status === 'paused') return 'paused';
  return notStarted(batch, now) ? 'scheduled' : 'reserved';
}

function movable(batch: CardBatchDoc): void {
  if (batch.status === 'preparing') fail('CONFLICT', '这批卡片正在准备中，请稍后再操作');
  if (batch.status === 'revoked') fail('CONFLICT', '这批卡片已作废，不能再修改');
}

export async function setBatchStatus(caller: Caller, batchId: string, status: 'active' | 'paused'): Promise<CardBatchView> {
  let batch = await loadBatch(batchId);
  movable(batch);
  if (batch.status !== status) {
    const res = await getDb()
      .collection(COLLECTIONS.cardBatches)
      .where({ _id: batchId, status: batch.status })
      .update({ data: { status } });
    if (res.stats.updated !== 1) fail('CONFLICT', '这批卡片的状态刚刚被修改，请刷新后重试');
    await audit({ actor: caller.openid, action: 'card.batch.setStatus', target: target(batchId), before: { status: batch.status }, after: { status } }, caller.now);
    batch = { ...batch, status };
  }
  if (batch.benefit) {
    const from: UnclaimedState[] = status === 'paused' ? ['reserved', 'scheduled'] : ['paused'];
    await moveCardSlots(batch.benefit.templateId, batchId, from, { state: slotStateOf(batch, caller.now) });
  }
  return batchView(batch, caller.now);
}

/** The benefit coupon's last issuing moment bounds the batch's last day. */
async function checkAgainstBenefit(batch: CardBatchDoc, validUntil: string): Promise<void> {
  if (!batch.benefit) return;
  const template = await getById<TemplateDoc>(COLLECTIONS.couponTemplates, batch.benefit.templateId);
  const endsAt = template && issuingEndsAt(template.validity);
  if (endsAt && endOfShanghaiDate(validUntil).getTime() > endsAt.getTime()) {
    throw invalid('validUntil', `领取截止日期不能晚于优惠券的结束日期 ${shanghaiDate(endsAt)}`);
  }
}

export async function updateBatch(caller: Caller, input: CardBatchUpdate): Promise<CardBatchView> {
  const batch = await loadBatch(input.batchId);
  movable(batch);
  const patch: Partial<CardBatchDoc> = {};
  if (input.validUntil !== undefined && input.validUntil !== batch.validUntil) {
    checkValidUntil(input.validUntil, caller.now);
    await checkAgainstBenefit(batch, input.validUntil);
    patch.validUntil = input.validUntil;
    patch.claimUntil = endOfShanghaiDate(input.validUntil);
  }
  if (input.startsAt !== undefined) {
    const next = toDate(input.startsAt);
    const issue = startChangeIssue(batch.startsAt, next, caller.now);
    if (issue) fail('INVALID_INPUT', undefined, [issue]);
    const startsAt = next && next.getTime() > caller.now.getTime() ? next : null;
    if (startsAt && startsAt.getTime() >= new Date(patch.claimUntil ?? batch.claimUntil).getTime()) throw invalid('startsAt', '开始领取时间须早于领取截止日期');
    if ((startsAt?.getTime() ?? null) !== (batch.startsAt ? new Date(batch.startsAt).getTime() : null)) patch.startsAt = startsAt;
  }
  if (Object.keys(patch).length === 0) return batchView(batch, caller.now);

  await getDb().collection(COLLECTIONS.cardBatches).doc(batch._id).update({ data: patch });
  const next = { ...batch, ...patch };
  if (batch.benefit) {
    const slots: Record<string, unknown> = { state: slotStateOf(next, caller.now) };
    if (patch.claimUntil) Object.assign(slots, { claimUntil: patch.claimUntil, 'card.claimUntil': patch.claimUntil.toISOString() });
    if (patch.startsAt !== undefined) slots.claimFrom = patch.startsAt ?? caller.now;
    await moveCardSlots(batch.benefit.templateId, batch._id, ['reserved', 'scheduled', 'paused'], slots);
  }
  const before = Object.fromEntries(Object.keys(patch).map((k) => [k, batch[k as keyof CardBatchDoc] ?? null]));
  await audit({ actor: caller.openid, action: 'card.batch.update', target: target(batch._id), before, after: patch }, caller.now);
  return batchView(next, caller.now);
}
