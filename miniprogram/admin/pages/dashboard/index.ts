/**
 * 数据看板 (clerk and up): today, 7 or 30 days of the funnel from the day counters, package-card
 * conversion per batch and channel against the 5%–15% benchmark, coupons, 私域有效率 and repurchase,
 * the private-domain triangle, per-staff figures, and a bar chart of scans and sign-ups per day.
 */
import type { DashboardRange } from '../../../../typings';
import { TAB_URLS } from '../../../custom-tab-bar/tabs';
import { call } from '../../../services/api';
import type { Gate } from '../../shared/access';
import { enterArea } from '../../shared/load';
import { type DashboardView, RANGES, toDashboardView } from './view';

Component({
  data: {
    gate: 'loading' as Gate,
    gateMessage: '',
    ranges: RANGES,
    range: 'today' as DashboardRange,
    loading: false,
    error: '',
    view: null as DashboardView | null,
  },
  methods: {
    onLoad() {
      this.open();
    },
    onRetry() {
      this.open();
    },
    onPullDownRefresh() {
      this.load().then(() => wx.stopPullDownRefresh());
    },
    async open() {
      if (!(await enterArea(this, 'dashboard'))) return;
      this.setData({ gate: 'ready', gateMessage: '' });
      await this.load();
    },
    onPickRange(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { range: DashboardRange }>) {
      if (e.currentTarget.dataset.range === this.data.range) return;
      this.setData({ range: e.currentTarget.dataset.range });
      this.load();
    },
    async load() {
      const range = this.data.range;
      this.setData({ loading: true, error: '' });
      const res = await call('admin', 'dashboard.get', { range });
      if (range !== this.data.range) return; // another range was picked meanwhile
      if (!res.ok) return this.setData({ loading: false, error: res.error.message });
      this.setData({ loading: false, view: toDashboardView(res.data) });
    },
    onBackHome() {
      wx.switchTab({ url: TAB_URLS.home });
    },
  },
});
