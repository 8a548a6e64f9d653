/** What the coupon detail page renders, mapped from the contract's CouponDetail. */
import type { CouponDetail, CouponState } from '../../../../typings';
import { shanghaiMinute, spacedCode, STATE_LABELS } from '../../../components/coupon-card/text';

export interface DetailView {
  benefit: string;
  title: string;
  rules: string;
  state: CouponState;
  stateLabel: string;
  /** Why it can no longer be used, for used and expired coupons. */
  closedNote: string;
  /** Shown only while the coupon can be used: a used or expired code is worth nothing at the till. */
  code: string;
  qr: string;
  validity: string;
  expiringSoon: boolean;
}

function closedNote(c: CouponDetail): string {
  if (c.state === 'used') return c.redeemedAt ? `这张券已于 ${shanghaiMinute(c.redeemedAt)} 核销` : '这张券已核销';
  if (c.state === 'expired') return `这张券已于 ${shanghaiMinute(c.expiresAt)} 过期`;
  return '';
}

export function toDetailView(c: CouponDetail): DetailView {
  const usable = c.state === 'available';
  return {
    benefit: c.benefit,
    title: c.title,
    rules: c.rules,
    state: c.state,
    stateLabel: STATE_LABELS[c.state],
    closedNote: closedNote(c),
    code: usable ? spacedCode(c.code) : '',
    qr: usable ? c.qrDataUrl : '',
    validity: `${shanghaiMinute(c.validFrom)} 至 ${shanghaiMinute(c.expiresAt)}`,
    expiringSoon: c.expiringSoon,
  };
}
