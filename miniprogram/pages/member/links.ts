/** Where the membership pages live, and how other pages open them. */

export const MEMBER_PAGES = {
  join: '/pages/member/join/index',
  bind: '/pages/member/bind/index',
  profile: '/pages/member/profile/index',
  privacy: '/pages/member/privacy/index',
  export: '/pages/member/export/index',
} as const;

/**
 * The join page; with the card the customer came from (its scene) and its benefit line, or the
 * invite token of the friend who sent them, if any.
 */
export function joinUrl(card: { scene?: string; benefit?: string; invite?: string } = {}): string {
  const params: string[] = [];
  if (card.scene) params.push(`scene=${encodeURIComponent(card.scene)}`);
  if (card.benefit) params.push(`benefit=${encodeURIComponent(card.benefit)}`);
  if (card.invite) params.push(`invite=${encodeURIComponent(card.invite)}`);
  return params.length ? `${MEMBER_PAGES.join}?${params.join('&')}` : MEMBER_PAGES.join;
}

export function couponUrl(couponId: string): string {
  return `/pages/coupon/detail/index?id=${encodeURIComponent(couponId)}`;
}
