import { couponActions } from '../../server/coupons/actions';
import { runCouponTimer } from '../../server/coupons/timer';
import { defineFunction } from '../../server/runtime/define';
import type { CouponApi } from '../../typings';

export const definition = defineFunction<CouponApi>('coupon', couponActions, {
  onTimer: (ctx) => runCouponTimer(ctx.now),
});
export const main = definition.main;
