/**
 * 券包 (tab): my coupons by state, newest first, 20 at a time (the next page loads at the bottom).
 * Shown again after a claim or a redemption, it refreshes quietly.
 */
import type { CouponState } from '../../../typings';
import { type CouponCardView, toCouponCard } from '../../components/coupon-card/text';
import { selectTab, TAB_URLS } from '../../custom-tab-bar/tabs';
import { call } from '../../services/api';
import { emptyTextOf, WALLET_TABS } from './tabs';

type Status = 'loading' | 'error' | 'ready';
/** The footer: more to load, loading it, it failed, or everything is on screen. */
type More = 'more' | 'loading' | 'error' | 'done';

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    tabs: WALLET_TABS.map(({ state, label }) => ({ state, label })),
    tab: 'available' as CouponState,
    /** Null until the first answer: a count of 0 before anything loaded would be a guess. */
    counts: null as Record<CouponState, number> | null,
    status: 'loading' as Status,
    errorMessage: '',
    emptyText: emptyTextOf('available'),
    coupons: [] as CouponCardView[],
    more: 'done' as More,
    _cursor: '',
    /** Bumped by every first-page load, so an answer for a tab no longer shown is dropped. */
    _generation: 0,
  },
  methods: {
    onShow() {
      selectTab(this, 'wallet');
      this.load(this.data.status === 'ready');
    },
    onPullDownRefresh() {
      this.load(this.data.status === 'ready').then(() => wx.stopPullDownRefresh());
    },
    onRetry() {
      this.load();
    },
    onPickTab(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { state: CouponState }>) {
      const { state } = e.currentTarget.dataset;
      if (state === this.data.tab) return;
      this.setData({ tab: state, emptyText: emptyTextOf(state) });
      this.load();
    },
    /** The first page of the current tab; `quiet` keeps the list on screen while it loads. */
    async load(quiet = false) {
      const generation = this.data._generation + 1;
      this.setData(quiet ? { _generation: generation } : { _generation: generation, status: 'loading', coupons: [], more: 'done' });
      const res = await call('coupon', 'coupon.mine', { state: this.data.tab });
      if (generation !== this.data._generation) return;
      if (!res.ok) {
        if (quiet) wx.showToast({ title: res.error.message, icon: 'none' });
        else this.setData({ status: 'error', errorMessage: res.error.message });
        return;
      }
      const { coupons, nextCursor, counts } = res.data;
      this.setData({
        status: 'ready',
        counts,
        coupons: coupons.map(toCouponCard),
        more: nextCursor ? 'more' : 'done',
        _cursor: nextCursor ?? '',
      });
    },
    onReachBottom() {
      this.loadMore();
    },
    async loadMore() {
      const { more, _cursor: cursor, _generation: generation, tab } = this.data;
      if ((more !== 'more' && more !== 'error') || !cursor) return;
      this.setData({ more: 'loading' });
      const res = await call('coupon', 'coupon.mine', { state: tab, cursor });
      if (generation !== this.data._generation) return;
      if (!res.ok) return this.setData({ more: 'error' });
      const { coupons, nextCursor, counts } = res.data;
      const start = this.data.coupons.length;
      const update: Record<string, unknown> = { counts, more: nextCursor ? 'more' : 'done', _cursor: nextCursor ?? '' };
      coupons.forEach((c, i) => {
        update[`coupons[${start + i}]`] = toCouponCard(c);
      });
      this.setData(update);
    },
    onOpen(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { id: string }>) {
      wx.navigateTo({ url: `/pages/coupon/detail/index?id=${encodeURIComponent(e.currentTarget.dataset.id)}` });
    },
    onBrowse() {
      wx.switchTab({ url: TAB_URLS.home });
    },
  },
});
