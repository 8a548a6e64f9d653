/**
 * The contract between the mini program and the cloud functions: every function, its actions, and
 * each action's request and response. Both sides import these types.
 */
import type { AdminApi } from './functions/admin';
import type { AppApi } from './functions/app';
import type { CardApi } from './functions/card';
import type { CommunityApi } from './functions/community';
import type { CouponApi } from './functions/coupon';
import type { GroupBuyApi } from './functions/groupbuy';
import type { GrowthApi } from './functions/growth';
import type { MemberApi } from './functions/member';
import type { StaffApi } from './functions/staff';

export * from './result';
export * from './functions/admin';
export * from './functions/admin-data';
export * from './functions/app';
export * from './functions/card';
export * from './functions/community';
export * from './functions/coupon';
export * from './functions/groupbuy';
export * from './functions/growth';
export * from './functions/member';
export * from './functions/staff';

export interface Api {
  admin: AdminApi;
  app: AppApi;
  card: CardApi;
  community: CommunityApi;
  coupon: CouponApi;
  groupbuy: GroupBuyApi;
  growth: GrowthApi;
  member: MemberApi;
  staff: StaffApi;
}

export type FunctionName = keyof Api;
export type ActionName<F extends FunctionName> = keyof Api[F] & string;
type Entry<F extends FunctionName, A extends ActionName<F>> = Api[F][A] extends { req: unknown; res: unknown } ? Api[F][A] : never;
export type RequestOf<F extends FunctionName, A extends ActionName<F>> = Entry<F, A>['req'];
export type ResponseOf<F extends FunctionName, A extends ActionName<F>> = Entry<F, A>['res'];
