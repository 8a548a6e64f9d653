/**
 * Verification (核销). Redeeming is one conditional atomic write keyed by the code: it only matches
 * an available coupon inside its validity whose threshold the order meets, so two staff confirming
 * at the same moment get one success and one ALREADY_USED. Only when nothing matched does one more
 * read say exactly why. Reversal is a conditional write too, inside the merchant's window.
 */
import { COLLECTIONS } from '../../database/collections';
import type { CouponView, RedemptionView, VerificationView } from '../../typings';
import { audit } from '../runtime/audit';
import { getById, getDb } from '../runtime/db';
import { AppError, fail } from '../runtime/errors';
import type { StaffDoc } from '../runtime/staff-guard';
import { rawCommand, updateOneAndReturn } from './atomic';
import type { MemberDoc } from './audience';
import { discountFor, meetsThreshold, yuan } from './discount';
import { type CouponDoc, effectiveState, type Redemption, toCouponView } from './model';
import { loadSettings } from './settings';
import { shanghaiMinuteKey } from '../runtime/shanghai';
import { shanghaiMinute } from './validity';

export interface StaffCall {
  openid: string;
  staff: StaffDoc;
  requestId: string;
  now: Date;
}

/** Issued coupons only: a free slot's pre-drawn code is not a coupon yet. */
async function findByCode(code: string): Promise<CouponDoc | null> {
  const res = await getDb().collection(COLLECTIONS.coupons).where({ code }).limit(1).get();
  const doc = (res.data as (CouponDoc | { state: 'free' })[])[0];
  return doc && doc.state !== 'free' ? (doc as CouponDoc) : null;
}

const notFound = (): AppError => new AppError('NOT_FOUND', '券码不存在，请核对后重新输入');

/** Why this coupon cannot be redeemed against this order now, or null when it can. */
export function redeemBlock(c: CouponDoc, now: Date, orderAmountFen: number): AppError | null {
  const state = effectiveState(c, now);
  if (state === 'used') {
    const at = c.redemption ? `于 ${shanghaiMinute(new Date(c.redemption.at))} ` : '';
    return new AppError('ALREADY_USED', `这张券已${at}核销，不能重复使用`);
  }
  if (state === 'expired') return new AppError('EXPIRED', `这张券已于 ${shanghaiMinute(new Date(c.expiresAt))} 过期`);
  if (new Date(c.validFrom).getTime() > now.getTime()) {
    return new AppError('FORBIDDEN', `还未到使用时间，${shanghaiMinute(new Date(c.validFrom))} 起可用`);
  }
  if (!meetsThreshold(c, orderAmountFen)) {
    const message = `订单满 ${yuan(c.thresholdFen)} 元才能使用，当前 ${yuan(orderAmountFen)} 元`;
    return new AppError('INVALID_INPUT', message, [{ path: 'payload.orderAmountFen', message }]);
  }
  return null;
}

function redemptionView(c: CouponDoc, r: Redemption): RedemptionView {
  return {
    couponId: c._id,
    code: c.code,
    discountFen: discountFor(c, r.orderAmountFen),
    orderAmountFen: r.orderAmountFen,
    orderRef: r.orderRef,
    redeemedAt: new Date(r.at).toISOString(),
    redeemedBy: r.byName,
  };
}

export async function verify(call: StaffCall, code: string, orderAmountFen: number): Promise<VerificationView> {
  const coupon = await findByCode(code);
  if (!coupon) throw notFound();
  const member = await getById<MemberDoc>(COLLECTIONS.members, coupon.holder);
  const block = redeemBlock(coupon, call.now, orderAmountFen);
  return {
    coupon: toCouponView(coupon, call.now),
    holder: { openid: coupon.holder, nickname: member?.nickname || '未登记会员', phoneMasked: member?.phoneMasked ?? null },
    discountFen: discountFor(coupon, orderAmountFen),
    canRedeem: !block,
    reason: block?.message ?? null,
  };
}

export async function redeem(call: StaffCall, code: string, orderAmountFen: number, orderRef: string): Promise<RedemptionView> {
  const _ = rawCommand();
  const redemption: Redemption = {
    at: call.now,
    by: call.openid,
    byName: call.staff.name,
    orderRef,
    orderAmountFen,
    requestKey: call.requestId,
    minute: shanghaiMinuteKey(call.now),
  };
  const redeemed = await updateOneAndReturn<CouponDoc>(
    COLLECTIONS.coupons,
    { code, state: 'available', validFrom: _.lte(call.now), expiresAt: _.gte(call.now), thresholdFen: _.lte(orderAmountFen) },
    { state: 'used', redemption },
  );
  if (redeemed) return redemptionView(redeemed, redemption);

  const current = await findByCode(code);
  if (!current) throw notFound();
  // The same request again (a retry after a lost answer) gets the redemption it made.
  if (current.state === 'used' && current.redemption?.requestKey === call.requestId) return redemptionView(current, current.redemption);
  throw redeemBlock(current, call.now, orderAmountFen) ?? new AppError('CONFLICT', '核销未完成，请重试');
}

export async function reverse(call: StaffCall, couponId: string, reason: string): Promise<{ coupon: CouponView }> {
  const _ = rawCommand();
  const { reversalWindowHours } = await loadSettings();
  const since = new Date(call.now.getTime() - reversalWindowHours * 3_600_000);
  const reversal = { at: call.now, by: call.openid, reason, requestKey: call.requestId };
  const reversed = await updateOneAndReturn<CouponDoc>(
    COLLECTIONS.coupons,
    { _id: couponId, state: 'used', 'redemption.at': _.gte(since) },
    { state: 'available', lastReversal: reversal },
    // The redemption moves aside in the same write: it stays on the coupon for the record.
    { redemption: _.rename('lastReversedRedemption') },
  );
  if (reversed) {
    await audit(
      {
        actor: call.openid,
        action: 'coupon.reverse',
        target: `${COLLECTIONS.coupons}/${couponId}`,
        before: { state: 'used', redemption: reversed.lastReversedRedemption ?? null },
        after: { state: 'available' },
        reason,
      },
      call.now,
    );
    return { coupon: toCouponView(reversed, call.now) };
  }

  const current = await getById<CouponDoc | { state: 'free' }>(COLLECTIONS.coupons, couponId);
  if (!current || current.state === 'free') fail('NOT_FOUND', '找不到这张券');
  if (current.lastReversal?.requestKey === call.requestId) return { coupon: toCouponView(current, call.now) };
  if (current.state !== 'used') fail('CONFLICT', '这张券没有核销记录，无需撤销');
  fail('EXPIRED', `核销已超过 ${reversalWindowHours} 小时，不能撤销`);
}
