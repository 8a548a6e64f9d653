/**
 * How a coupon reads for people, shared by the coupon card, the wallet, the coupon pages and the
 * staff's verification screen. Small helpers only (no dayjs in the mini program: see STYLE.md).
 */
import type { CouponState, CouponView, Validity } from '../../../typings';

/**
 * Coupons live in Shanghai days (one ends at 23:59:59 there), so their dates read in Shanghai time
 * whatever zone the phone is set to. Asia/Shanghai has kept +08:00 without daylight saving since 1991.
 */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function inShanghai(iso: string): Date | null {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? null : new Date(at.getTime() + SHANGHAI_OFFSET_MS);
}

/** `2025-03-14`, Shanghai date of an ISO instant. */
export function shanghaiDate(iso: string): string {
  const at = inShanghai(iso);
  return at ? `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}` : '';
}

/** `2025-03-14 23:59`, Shanghai time of an ISO instant. */
export function shanghaiMinute(iso: string): string {
  const at = inShanghai(iso);
  return at ? `${shanghaiDate(iso)} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}` : '';
}

/** Integer fen as 元 with two decimals, for amounts staff check against a receipt: 2000 → `20.00`. */
export function yuanText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${pad(abs % 100)}`;
}

/** A redemption code in groups of five, easy to read aloud and to type: `ABCDE FGHJK`. */
export function spacedCode(code: string): string {
  return code.replace(/(.{5})(?=.)/g, '$1 ');
}

export const STATE_LABELS: Record<CouponState, string> = {
  available: '可使用',
  used: '已使用',
  expired: '已过期',
};

/** A template's validity before anyone claims it. */
export function validityText(validity: Validity): string {
  if (validity.type === 'fixed') return `${validity.startDate} 至 ${validity.endDate}`;
  return validity.days === 1 ? '领取当天有效' : `领取后 ${validity.days} 天内有效（含领取当天）`;
}

/** The one line under a coupon that says until when, or since when it is closed. */
export function expiryLine(c: Pick<CouponView, 'state' | 'expiresAt' | 'redeemedAt'>): string {
  if (c.state === 'used') return c.redeemedAt ? `已于 ${shanghaiMinute(c.redeemedAt)} 使用` : '已使用';
  if (c.state === 'expired') return `已于 ${shanghaiMinute(c.expiresAt)} 过期`;
  return `有效期至 ${shanghaiMinute(c.expiresAt)}`;
}

/** What the coupon card renders. */
export interface CouponCardView {
  id: string;
  benefit: string;
  title: string;
  note: string;
  badge: string;
  muted: boolean;
}

export function toCouponCard(c: CouponView): CouponCardView {
  return {
    id: c.id,
    benefit: c.benefit,
    title: c.title,
    note: expiryLine(c),
    badge: c.expiringSoon ? '即将过期' : '',
    muted: c.state !== 'available',
  };
}
