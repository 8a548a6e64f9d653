/**
 * What card batches and their exports look like in the database, and how they read in the
 * contract. A card has no document of its own: its scene is computed from the batch (scene.ts) and,
 * when the batch has a benefit, its coupon slot lives in `coupons` (coupons/reserved.ts).
 */
import type { CardBatchStatus, CardBatchView, CardChannel, CardSummary, Validity } from '../../typings';
import { isoOrNull, notStarted } from '../runtime/schedule';
import { type BenefitProfile, cardIdOf } from './scene';

/** The landing page every code opens (no leading slash, no query: `wxacode.getUnlimited` rules). */
export const ENTRY_PAGE = 'pages/entry/index';

export const CHANNEL_NAMES: Record<CardChannel, string> = {
  taobao: '淘宝',
  jd: '京东',
  pdd: '拼多多',
  douyin: '抖音',
  offline: '线下',
  other: '其他',
};

/** The benefit as it was when the batch was made: printed on the cards, so it never changes. */
export interface BatchBenefit {
  templateId: string;
  title: string;
  /** 「满99减20」 */
  line: string;
  validity: Validity;
}

export interface CardBatchDoc {
  _id: string;
  channel: CardChannel;
  product: string;
  quantity: number;
  letter: string;
  benefit: BatchBenefit | null;
  ownerStaffId: string | null;
  /** YYYY-MM-DD, Shanghai, inclusive. */
  validUntil: string;
  /** The end of that day: the last moment a card can be claimed. */
  claimUntil: Date;
  /** From when cards can be claimed (a batch printed ahead of its campaign); null or absent: at once. */
  startsAt?: Date | null;
  status: CardBatchStatus;
  /** Cards whose slot is reserved, 0..quantity (serials 1..prepared). */
  prepared: number;
  /** While preparing: who holds the work and until when (a crashed step's lease just runs out). */
  leaseId: string | null;
  leaseUntil: Date | null;
  createdAt: Date;
  createdBy: string;
  requestId: string;
  revokedAt: Date | null;
  revokedBy: string | null;
  revokeReason: string | null;
  /** False from a revoke until its unclaimed slots are revoked too. */
  slotsRevoked: boolean;
}

export function benefitProfileOf(batch: Pick<CardBatchDoc, 'benefit'>): BenefitProfile {
  const b = batch.benefit;
  if (!b) return { kind: 'none' };
  return b.validity.type === 'fixed' ? { kind: 'fixed', templateId: b.templateId } : { kind: 'relative', templateId: b.templateId, days: b.validity.days };
}

/** The card as the landing shows it; also stored on each reserved slot so a claim needs no read. */
export function cardSummaryOf(batch: CardBatchDoc, serial: number): CardSummary {
  return {
    cardId: cardIdOf(batch._id, serial),
    batchId: batch._id,
    serial,
    channel: batch.channel,
    channelName: CHANNEL_NAMES[batch.channel],
    product: batch.product,
    letter: batch.letter,
    benefit: batch.benefit?.line ?? null,
    benefitTitle: batch.benefit?.title ?? null,
    claimUntil: new Date(batch.claimUntil).toISOString(),
    ownerStaffId: batch.ownerStaffId,
  };
}

/** Why a card of this batch claims nothing now though it is valid: paused, or not open yet. */
export function notOpenState(batch: Pick<CardBatchDoc, 'status' | 'startsAt'>, now: Date): 'paused' | 'scheduled' | null {
  if (batch.status === 'paused') return 'paused';
  return notStarted(batch, now) ? 'scheduled' : null;
}

export const isPastClaimUntil = (batch: Pick<CardBatchDoc, 'claimUntil'>, now: Date): boolean => new Date(batch.claimUntil).getTime() < now.getTime();

export interface BatchCounts {
  claimed: number;
  redeemed: number;
}

export function toBatchView(b: CardBatchDoc, counts: BatchCounts, now: Date): CardBatchView {
  return {
    id: b._id,
    channel: b.channel,
    channelName: CHANNEL_NAMES[b.channel],
    product: b.product,
    quantity: b.quantity,
    letter: b.letter,
    benefit: b.benefit && { templateId: b.benefit.templateId, title: b.benefit.title, line: b.benefit.line },
    ownerStaffId: b.ownerStaffId,
    validUntil: b.validUntil,
    startsAt: isoOrNull(b.startsAt),
    status: b.status,
    expired: isPastClaimUntil(b, now),
    prepared: b.benefit ? b.prepared : 0,
    claimed: counts.claimed,
    redeemed: counts.redeemed,
    createdAt: new Date(b.createdAt).toISOString(),
    createdBy: b.createdBy,
    revokedAt: b.revokedAt ? new Date(b.revokedAt).toISOString() : null,
    revokeReason: b.revokeReason,
  };
}

/** Serial printed on a card: 「No.000123」. */
export const printedSerial = (serial: number): string => `No.${String(serial).padStart(6, '0')}`;
