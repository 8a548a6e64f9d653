/** What the order-binding page renders after a bind, mapped from the contract's BindResult. */
import type { BindResult, OrderPlatform } from '../../../../typings';
import { shanghaiMinute } from '../../../components/coupon-card/text';
import { yuan } from '../../../components/member-card/view';

export interface BoundView {
  newlyBound: boolean;
  platform: string;
  orderNo: string;
  product: string;
  amount: string;
  paidAt: string;
  pointsAdded: number;
  points: number;
  level: string;
}

const PLATFORM_NAMES: Record<OrderPlatform, string> = { taobao: '淘宝', jd: '京东', pdd: '拼多多', douyin: '抖音', other: '其他平台' };

/**
 * `repeated`: this bind had been sent before and its answer lost; "already bound by you" is then this
 * very bind, and reads as one (with the points the order earned).
 */
export function toBoundView(res: BindResult, repeated = false): BoundView {
  const { order } = res;
  const newlyBound = res.newlyBound || repeated;
  return {
    newlyBound,
    platform: PLATFORM_NAMES[order.platform],
    orderNo: order.orderNo,
    product: order.product,
    amount: yuan(order.amountFen),
    paidAt: shanghaiMinute(order.paidAt),
    pointsAdded: res.newlyBound ? res.pointsAdded : newlyBound ? order.points : 0,
    points: res.points,
    level: res.level.name,
  };
}

/** What is wrong with the form before anything is sent, or ''. */
export function formProblem(orderNo: string, last4: string): string {
  if (!orderNo.trim()) return '请填写订单号';
  if (!/^\d{4}$/.test(last4.trim())) return '请填写订单手机号的后四位数字';
  return '';
}
