/**
 * Coupon arithmetic in integer fen: what a coupon takes off an order, and the one-line benefit
 * people read. A discount never exceeds the order amount, so nothing payable goes negative.
 */
import type { CouponKind } from '../../typings';

export interface Terms {
  kind: CouponKind;
  amountOffFen: number | null;
  thresholdFen: number | null;
  payPercent: number | null;
  maxDiscountFen: number | null;
  giftName: string | null;
}

/** 9900 → "99", 1990 → "19.9", 5 → "0.05". */
export function yuan(fen: number): string {
  const whole = Math.floor(fen / 100);
  const cents = fen % 100;
  if (cents === 0) return String(whole);
  return `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

/** 85 → "8.5折", 80 → "8折". */
export function zhe(payPercent: number): string {
  return `${payPercent % 10 === 0 ? payPercent / 10 : (payPercent / 10).toFixed(1)}折`;
}

export function meetsThreshold(t: Pick<Terms, 'thresholdFen'>, orderAmountFen: number): boolean {
  return orderAmountFen >= (t.thresholdFen ?? 0);
}

/** Fen taken off an order of `orderAmountFen`; 0 below the threshold and for gifts. */
export function discountFor(t: Terms, orderAmountFen: number): number {
  if (!Number.isSafeInteger(orderAmountFen) || orderAmountFen <= 0 || !meetsThreshold(t, orderAmountFen)) return 0;
  let off: number;
  switch (t.kind) {
    case 'amount_off':
    case 'cash':
      off = t.amountOffFen ?? 0;
      break;
    case 'percent_off':
      // Rounded down: the customer never gets more than the rate says.
      off = Math.floor((orderAmountFen * (100 - (t.payPercent ?? 100))) / 100);
      if (t.maxDiscountFen !== null) off = Math.min(off, t.maxDiscountFen);
      break;
    case 'gift':
      off = 0;
      break;
  }
  return Math.max(0, Math.min(off, orderAmountFen));
}

export function benefitText(t: Terms): string {
  const threshold = t.thresholdFen ?? 0;
  const above = threshold > 0 ? `满${yuan(threshold)}` : '';
  switch (t.kind) {
    case 'amount_off':
      return `${above}减${yuan(t.amountOffFen ?? 0)}`;
    case 'cash':
      return `${yuan(t.amountOffFen ?? 0)}元无门槛`;
    case 'percent_off': {
      const cap = t.maxDiscountFen !== null ? `，最高减${yuan(t.maxDiscountFen)}元` : '';
      return `${above ? `${above}享` : ''}${zhe(t.payPercent ?? 100)}${cap}`;
    }
    case 'gift':
      return `${above}赠${t.giftName ?? '礼品'}`;
  }
}
