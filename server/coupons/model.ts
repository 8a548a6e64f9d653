/**
 * What coupons look like in the database, and how they read in the contract's views.
 *
 * A coupon document is either a free slot (one unit of a limited template's stock, waiting for a
 * holder) or an issued coupon. Claiming fills a free slot in one conditional write; unlimited
 * templates insert the coupon directly. Either way the same unique indexes keep issuing exact.
 */
import type {
  Audience,
  CouponKind,
  CouponSourceType,
  CouponState,
  CouponTemplateInput,
  CouponTemplateView,
  CouponView,
  TemplateStatus,
  Validity,
} from '../../typings';
import { isoOrNull } from '../runtime/schedule';
import { benefitText } from './discount';

/** Within this many days of its expiry an available coupon shows the 即将过期 badge. */
export const EXPIRING_SOON_DAYS = 3;

/** The mini program page a reminder opens (`?id=<couponId>` appended). */
export const COUPON_DETAIL_PAGE = 'pages/coupon/detail/index';

export interface TemplateDoc {
  _id: string;
  title: string;
  rules: string;
  kind: CouponKind;
  amountOffFen: number | null;
  thresholdFen: number | null;
  payPercent: number | null;
  maxDiscountFen: number | null;
  giftName: string | null;
  validity: Validity;
  totalStock: number | null;
  perMemberLimit: number;
  audience: Audience;
  stackable: boolean;
  /** False: only other sources (cards, invites, ...) issue it; documents from before default to true. */
  publicClaim?: boolean;
  status: TemplateStatus;
  /** The issuing window (schedule); documents from before have neither. */
  startsAt?: Date | null;
  endsAt?: Date | null;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  /** Request ids of the top-ups already applied, so a retried top-up adds nothing twice. */
  appliedTopUps: string[];
}

export interface Redemption {
  at: Date;
  /** Staff openid and name. */
  by: string;
  byName: string;
  orderRef: string;
  orderAmountFen: number;
  /** The request id of the redeem call, so its retry answers the same redemption. */
  requestKey: string;
  /** Shanghai minute of `at`: how the timer finds redemptions to count (coupons/counted.ts). */
  minute?: string;
}

export interface Reversal {
  at: Date;
  by: string;
  reason: string;
  requestKey: string;
}

/** The template's terms as copied onto each coupon when it is issued. */
export interface CouponTerms {
  title: string;
  rules: string;
  kind: CouponKind;
  amountOffFen: number | null;
  /** 0 when there is no threshold, so redemption can compare it in its query. */
  thresholdFen: number;
  payPercent: number | null;
  maxDiscountFen: number | null;
  giftName: string | null;
  stackable: boolean;
}

/** A free slot: only these fields until a claim fills in the rest. */
export interface SlotDoc {
  _id: string;
  templateId: string;
  state: 'free';
  code: string;
  /** `free:<_id>` placeholders: unique indexes treat a missing field as null on CloudBase. */
  holderSeq: string;
  claimKey: string;
  createdAt: Date;
}

export interface CouponDoc extends CouponTerms {
  _id: string;
  templateId: string;
  state: 'available' | 'used' | 'expired';
  code: string;
  holder: string;
  /** `<openid>#<n>`, n = 1..perMemberLimit: the unique index that enforces the per-member limit. */
  holderSeq: string;
  /** `<openid>:<requestKey>`: the unique index that makes a retried issue return the same coupon. */
  claimKey: string;
  requestKey: string;
  source: { type: CouponSourceType; ref: string };
  claimedAt: Date;
  validFrom: Date;
  expiresAt: Date;
  /** `<claimedAt ms, 15 digits>:<templateId>#<n>`: wallet order (newest first) and its cursor. */
  sortKey: string;
  reminded: boolean;
  remindedAt?: Date;
  expiredAt?: Date;
  redemption?: Redemption | null;
  /** Shanghai minute of a campaign-path claim: how the timer finds claims to count (coupons/counted.ts). */
  claimMinute?: string;
  lastReversal?: Reversal;
  lastReversedRedemption?: Redemption;
  createdAt?: Date;
}

export function termsOf(t: TemplateDoc): CouponTerms {
  return {
    title: t.title,
    rules: t.rules,
    kind: t.kind,
    amountOffFen: t.amountOffFen,
    thresholdFen: t.thresholdFen ?? 0,
    payPercent: t.payPercent,
    maxDiscountFen: t.maxDiscountFen,
    giftName: t.giftName,
    stackable: t.stackable,
  };
}

/** Optional contract fields are left out rather than sent as null. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;
}

export function templateInputOf(t: TemplateDoc): CouponTemplateInput {
  return {
    title: t.title,
    rules: t.rules,
    kind: t.kind,
    ...defined({
      amountOffFen: t.amountOffFen ?? undefined,
      thresholdFen: t.thresholdFen ?? undefined,
      payPercent: t.payPercent ?? undefined,
      maxDiscountFen: t.maxDiscountFen ?? undefined,
      giftName: t.giftName ?? undefined,
    }),
    validity: t.validity,
    totalStock: t.totalStock,
    perMemberLimit: t.perMemberLimit,
    audience: t.audience,
    stackable: t.stackable,
    publicClaim: t.publicClaim !== false,
    startsAt: isoOrNull(t.startsAt),
    endsAt: isoOrNull(t.endsAt),
  };
}

export interface StockCounts {
  free: number;
  issued: number;
  redeemed: number;
}

export function toTemplateView(t: TemplateDoc, counts: StockCounts): CouponTemplateView {
  return {
    ...templateInputOf(t),
    id: t._id,
    status: t.status,
    remaining: t.totalStock === null ? null : counts.free,
    issued: counts.issued,
    redeemed: counts.redeemed,
    createdAt: new Date(t.createdAt).toISOString(),
  };
}

/** An available coupon past its expiry reads as expired even before the timer marks it. */
export function effectiveState(c: Pick<CouponDoc, 'state' | 'expiresAt'>, now: Date): CouponState {
  if (c.state === 'available' && new Date(c.expiresAt).getTime() < now.getTime()) return 'expired';
  return c.state;
}

export function toCouponView(c: CouponDoc, now: Date): CouponView {
  const state = effectiveState(c, now);
  const expiresAt = new Date(c.expiresAt);
  return {
    id: c._id,
    templateId: c.templateId,
    title: c.title,
    rules: c.rules,
    kind: c.kind,
    benefit: benefitText(c),
    state,
    code: c.code,
    validFrom: new Date(c.validFrom).toISOString(),
    expiresAt: expiresAt.toISOString(),
    expiringSoon: state === 'available' && expiresAt.getTime() - now.getTime() <= EXPIRING_SOON_DAYS * 86_400_000,
    notYetValid: state === 'available' && new Date(c.validFrom).getTime() > now.getTime(),
    source: { type: c.source.type, ref: c.source.ref },
    claimedAt: new Date(c.claimedAt).toISOString(),
    redeemedAt: state === 'used' && c.redemption ? new Date(c.redemption.at).toISOString() : null,
  };
}

export function sortKeyOf(claimedAt: Date, templateId: string, seq: number): string {
  return `${String(claimedAt.getTime()).padStart(15, '0')}:${templateId}#${seq}`;
}

export const freePlaceholder = (slotId: string): string => `free:${slotId}`;
