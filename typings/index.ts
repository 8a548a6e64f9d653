/**
 * The contract between the mini program and the cloud functions: every function, its actions, and
 * each action's request and response. Both sides import these types.
 */
import type { AppApi } from './functions/app';
import type { CardApi } from './functions/card';
import type { CouponApi } from './functions/coupon';
import type { MemberAdminApi, MemberApi } from './functions/member';
import type { StaffApi } from './functions/staff';

export * from './result';
export * from './functions/app';
export * from './functions/card';
export * from './functions/coupon';
export * from './functions/member';
export * from './functions/staff';

export interface Api {
  admin: MemberAdminApi;
  app: AppApi;
  card: CardApi;
  coupon: CouponApi;
  member: MemberApi;
  staff: StaffApi;
}

export type FunctionName = keyof Api;
export type ActionName<F extends FunctionName> = keyof Api[F] & string;
type Entry<F extends FunctionName, A extends ActionName<F>> = Api[F][A] extends { req: unknown; res: unknown } ? Api[F][A] : never;
export type RequestOf<F extends FunctionName, A extends ActionName<F>> = Entry<F, A>['req'];
export type ResponseOf<F extends FunctionName, A extends ActionName<F>> = Entry<F, A>['res'];
