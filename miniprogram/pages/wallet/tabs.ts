/** The wallet's three tabs, and what each says when it has nothing to show. */
import type { CouponState } from '../../../typings';

export interface WalletTab {
  state: CouponState;
  label: string;
  empty: string;
}

export const WALLET_TABS: WalletTab[] = [
  { state: 'available', label: '可用', empty: '还没有可用的优惠券，去首页看看店铺活动吧' },
  { state: 'used', label: '已使用', empty: '还没有使用过优惠券' },
  { state: 'expired', label: '已过期', empty: '没有过期的优惠券' },
];

export function emptyTextOf(state: CouponState): string {
  return WALLET_TABS.find((tab) => tab.state === state)?.empty ?? '';
}
