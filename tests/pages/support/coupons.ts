/** Coupon steps that page stories arrange through the real cloud functions (no pages involved). */
import { COLLECTIONS } from '../../../database/collections';
import { DEMO_OWNER_OPENID } from '../../../local/seed';
import { getDb } from '../../../server/runtime/db';
import type { ActionName, ApiResult, CouponTemplateInput, CouponTemplateView, CouponView, RedemptionView, RequestOf, ResponseOf } from '../../../typings';
import { template } from '../../coupons/support';
import { platform } from './wechat';

let serial = 0;

/** Calls a coupon action as `openid`, with a fresh request id; fails the test on an error. */
async function couponAction<A extends ActionName<'coupon'>>(openid: string, action: A, payload: RequestOf<'coupon', A>): Promise<ResponseOf<'coupon', A>> {
  serial += 1;
  const requestId = `arrange-${serial}-${Math.random().toString(36).slice(2, 10)}`;
  const res = (await platform.runtime.invoke('coupon', { action, payload, requestId }, { OPENID: openid })) as ApiResult<ResponseOf<'coupon', A>>;
  if (!res.ok) throw new Error(`${action} as ${openid} failed: ${res.error.code} ${res.error.message}`);
  return res.data;
}

/** The store owner creates a coupon: 满99减20, 100 in stock, one each, 7 days from the claim, unless overridden. */
export function ownerCreatesCoupon(overrides: Partial<CouponTemplateInput> = {}): Promise<CouponTemplateView> {
  return couponAction(DEMO_OWNER_OPENID, 'coupon.template.create', template(overrides));
}

export function ownerSetsStatus(templateId: string, status: CouponTemplateView['status']): Promise<CouponTemplateView> {
  return couponAction(DEMO_OWNER_OPENID, 'coupon.template.setStatus', { templateId, status });
}

export async function customerClaims(openid: string, templateId: string): Promise<CouponView> {
  return (await couponAction(openid, 'coupon.claim', { templateId })).coupon;
}

export function staffRedeems(openid: string, code: string, orderAmountFen: number, orderRef = 'S-0001'): Promise<RedemptionView> {
  return couponAction(openid, 'coupon.redeem', { code, orderAmountFen, orderRef });
}

export function couponOf(openid: string, couponId: string): Promise<CouponView> {
  return couponAction(openid, 'coupon.detail', { couponId });
}

/** Coupons issued to `openid`, straight from the database. */
export async function couponsHeldBy(openid: string): Promise<{ _id: string; code: string; state: string }[]> {
  const res = await getDb().collection(COLLECTIONS.coupons).where({ holder: openid }).limit(100).get();
  return res.data as { _id: string; code: string; state: string }[];
}

/** Unused expiry-reminder credits of `openid`, straight from the database. */
export async function reminderCreditsOf(openid: string): Promise<number> {
  const { total } = await getDb().collection(COLLECTIONS.couponReminderCredits).where({ openid, state: 'unused' }).count();
  return total;
}

/** The actions the app sent to the cloud, oldest first (e.g. how many `coupon.claim` calls). */
export function sentActions(action: string): { requestId?: string; payload: unknown }[] {
  return platform.calls.map((c) => c.data as { action: string; requestId?: string; payload: unknown }).filter((d) => d.action === action);
}
