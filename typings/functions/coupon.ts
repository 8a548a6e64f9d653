import type { ErrorCode } from '../result';

/** `coupon`: templates, the one issuing path, the customer's wallet, and staff verification (核销). */

/** 满减 amount off above a threshold; 折扣 percent off with a cap; 赠品 free gift; 无门槛 cash. */
export type CouponKind = 'amount_off' | 'percent_off' | 'gift' | 'cash';

/** Where a coupon came from; every issuing source goes through the same path and is recorded. */
export type CouponSourceType = 'campaign' | 'package_card' | 'invite' | 'group_buy' | 'repurchase' | 'staff_grant';

export type Validity =
  /** Calendar dates in Asia/Shanghai, inclusive; the coupon ends at 23:59:59 of `endDate`. */
  | { type: 'fixed'; startDate: string; endDate: string }
  /** From the claim until 23:59:59 (Asia/Shanghai) of the N-th day, the claim day being day 1. */
  | { type: 'relative'; days: number };

export type Audience =
  | { type: 'everyone' }
  | { type: 'members' }
  | { type: 'new_members'; withinDays: number }
  | { type: 'segment'; segment: string };

export interface CouponTemplateInput {
  title: string;
  /** Usage rules shown to the customer, in Chinese. */
  rules: string;
  kind: CouponKind;
  /** amount_off and cash: the discount, in fen. */
  amountOffFen?: number;
  /** Minimum order amount, in fen: required by amount_off, optional for percent_off and gift (0 = none), absent for cash. */
  thresholdFen?: number;
  /** percent_off: the share the customer pays, 1–99 (85 = 8.5 折). */
  payPercent?: number;
  /** percent_off: the largest discount, in fen. */
  maxDiscountFen?: number;
  /** gift: what the customer gets, e.g. 「下单赠送小菜一份」. */
  giftName?: string;
  validity: Validity;
  /** null = unlimited. */
  totalStock: number | null;
  perMemberLimit: number;
  audience: Audience;
  stackable: boolean;
  /**
   * Whether customers may claim it on a campaign page (and see it on the home page). False for
   * coupons that only package cards, invites, group-buys or repurchase rules hand out. Default true.
   */
  publicClaim?: boolean;
  /** ISO instant issuing starts; before it nobody can claim (nor receive) it. Null or left out: at once. */
  startsAt?: string | null;
  /** ISO instant issuing stops (coupons already held stay valid). Null or left out: no end but the validity's. */
  endsAt?: string | null;
}

/**
 * What can change on a template after launch. The amounts, kind, validity, audience and stock stay:
 * coupons already issued (and cards already printed) carry them. Stock grows with `topUp`.
 */
export interface CouponTemplateUpdate {
  templateId: string;
  title?: string;
  rules?: string;
  /** Only raised: members who already hold the old limit keep their coupons. */
  perMemberLimit?: number;
  publicClaim?: boolean;
  /** Only before issuing started. */
  startsAt?: string | null;
  endsAt?: string | null;
}

export type TemplateStatus = 'active' | 'paused' | 'ended';

export interface CouponTemplateView extends CouponTemplateInput {
  id: string;
  status: TemplateStatus;
  /** null when stock is unlimited. */
  remaining: number | null;
  issued: number;
  redeemed: number;
  createdAt: string;
}

/** What a customer sees before claiming, with the reason when they cannot. */
export interface ClaimableView {
  template: Pick<CouponTemplateView, 'id' | 'title' | 'rules' | 'kind' | 'amountOffFen' | 'thresholdFen' | 'payPercent' | 'maxDiscountFen' | 'giftName' | 'validity' | 'status' | 'remaining'>;
  /** One-line benefit for people, e.g. 「满99减20」. */
  benefit: string;
  canClaim: boolean;
  /** Why not, in Chinese, when canClaim is false. */
  reason: string | null;
  /** The same reason for programs: SOLD_OUT, LIMIT_REACHED, FORBIDDEN (audience), CONFLICT (paused), EXPIRED, ... */
  reasonCode: ErrorCode | null;
  claimedByMe: number;
  /**
   * WeChat subscribe-message template of the expiry reminder, for `wx.requestSubscribeMessage`
   * after a claim; null when the store has not configured one (then don't ask).
   */
  reminderTemplateId: string | null;
}

export type CouponState = 'available' | 'used' | 'expired';

export interface CouponView {
  id: string;
  templateId: string;
  title: string;
  rules: string;
  kind: CouponKind;
  benefit: string;
  state: CouponState;
  /** Short redemption code of unambiguous characters; present on the holder's and staff's views. */
  code: string;
  validFrom: string;
  expiresAt: string;
  /** Within the reminder window (3 days) and still available. */
  expiringSoon: boolean;
  /** Available but its window has not started yet (a fixed window in the future). */
  notYetValid: boolean;
  source: { type: CouponSourceType; ref: string };
  claimedAt: string;
  redeemedAt: string | null;
}

export interface CouponDetail extends CouponView {
  /** PNG data URL of a QR encoding the code, for staff to scan off the screen. */
  qrDataUrl: string;
  /** As in ClaimableView: lets the detail page offer 到期提醒 while the coupon is available. */
  reminderTemplateId: string | null;
}

/** What staff see after scanning or typing a code. */
export interface VerificationView {
  coupon: CouponView;
  holder: { openid: string; nickname: string; phoneMasked: string | null };
  /** Discount for the order amount staff entered, in fen (0 for gifts). */
  discountFen: number;
  canRedeem: boolean;
  reason: string | null;
}

export interface RedemptionView {
  couponId: string;
  code: string;
  discountFen: number;
  orderAmountFen: number;
  orderRef: string;
  redeemedAt: string;
  /** The staff member's name, as people read it. */
  redeemedBy: string;
}

export interface CouponApi {
  // Customers
  'coupon.claimable': { req: { templateId: string }; res: ClaimableView };
  'coupon.claim': { req: { templateId: string }; res: { coupon: CouponView; alreadyHad: boolean } };
  'coupon.mine': { req: { state: CouponState; cursor?: string }; res: { coupons: CouponView[]; nextCursor: string | null; counts: Record<CouponState, number> } };
  'coupon.detail': { req: { couponId: string }; res: CouponDetail };
  /**
   * Records the customer's answer to the expiry-reminder subscribe message for coupons of
   * `templateId` (a coupon template): each acceptance pays for one reminder; `credits` is how many
   * are left unused.
   */
  'coupon.subscribeReminder': { req: { templateId: string; accepted: boolean }; res: { credits: number } };
  // Staff
  'coupon.template.create': { req: CouponTemplateInput; res: CouponTemplateView };
  'coupon.template.list': { req: { status?: TemplateStatus }; res: { templates: CouponTemplateView[] } };
  'coupon.template.setStatus': { req: { templateId: string; status: TemplateStatus }; res: CouponTemplateView };
  'coupon.template.update': { req: CouponTemplateUpdate; res: CouponTemplateView };
  'coupon.template.topUp': { req: { templateId: string; quantity: number }; res: CouponTemplateView };
  'coupon.grant': { req: { templateId: string; openid: string; note: string }; res: { coupon: CouponView; alreadyHad: boolean } };
  'coupon.verify': { req: { code: string; orderAmountFen: number }; res: VerificationView };
  'coupon.redeem': { req: { code: string; orderAmountFen: number; orderRef: string }; res: RedemptionView };
  'coupon.reverse': { req: { couponId: string; reason: string }; res: { coupon: CouponView } };
  'coupon.settings.get': { req: Record<string, never>; res: { reversalWindowHours: number; reminderDaysBefore: number } };
  'coupon.settings.set': { req: { reversalWindowHours: number; reminderDaysBefore: number }; res: { reversalWindowHours: number; reminderDaysBefore: number } };
}
