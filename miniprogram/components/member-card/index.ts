/**
 * The member card on 首页: who, which level and how far to the next, points, coupons that can be
 * used, and the benefit of the package card the member came from. The page handles the `open` event
 * (`detail.target`: coupons | benefit | bind | profile; `detail.couponId` for benefit).
 */
Component({
  properties: {
    /** A MemberCardView (./view.ts). */
    card: { type: Object, value: {} },
  },
  methods: {
    onOpen(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { target: string }>) {
      const { target } = e.currentTarget.dataset;
      const couponId = target === 'benefit' ? (this.data.card as { benefit?: { couponId?: string } }).benefit?.couponId ?? '' : '';
      this.triggerEvent('open', { target, couponId });
    },
  },
});
