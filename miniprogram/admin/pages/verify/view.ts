/** What the verification screen renders, mapped from the contract's views. */
import type { RedemptionView, VerificationView } from '../../../../typings';
import { expiryLine, shanghaiMinute, spacedCode, STATE_LABELS, yuanText } from '../../../components/coupon-card/text';

export interface CheckView {
  benefit: string;
  title: string;
  code: string;
  stateLabel: string;
  expiry: string;
  holder: string;
  phone: string;
  orderAmount: string;
  /** `20.00` when the coupon takes money off, empty for gifts and orders below the threshold. */
  discount: string;
  payable: string;
  isGift: boolean;
  canRedeem: boolean;
  reason: string;
}

export interface DoneView {
  couponId: string;
  benefit: string;
  title: string;
  code: string;
  orderAmount: string;
  discount: string;
  payable: string;
  orderRef: string;
  redeemedAt: string;
  redeemedBy: string;
}

export function toCheckView(v: VerificationView, orderAmountFen: number): CheckView {
  const { coupon } = v;
  return {
    benefit: coupon.benefit,
    title: coupon.title,
    code: spacedCode(coupon.code),
    stateLabel: STATE_LABELS[coupon.state],
    expiry: expiryLine(coupon),
    holder: v.holder.nickname,
    phone: v.holder.phoneMasked ?? '',
    orderAmount: yuanText(orderAmountFen),
    discount: v.discountFen > 0 ? yuanText(v.discountFen) : '',
    payable: yuanText(orderAmountFen - v.discountFen),
    isGift: coupon.kind === 'gift',
    canRedeem: v.canRedeem,
    reason: v.canRedeem ? '' : v.reason ?? '这张券现在不能核销',
  };
}

export function toDoneView(r: RedemptionView, check: Pick<CheckView, 'benefit' | 'title'>): DoneView {
  return {
    couponId: r.couponId,
    benefit: check.benefit,
    title: check.title,
    code: spacedCode(r.code),
    orderAmount: yuanText(r.orderAmountFen),
    discount: yuanText(r.discountFen),
    payable: yuanText(r.orderAmountFen - r.discountFen),
    orderRef: r.orderRef || '未填写',
    redeemedAt: shanghaiMinute(r.redeemedAt),
    redeemedBy: r.redeemedBy,
  };
}
