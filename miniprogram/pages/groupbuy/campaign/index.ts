/**
 * 拼团活动 (`?id=<campaignId>`, from a 首页 campaign card or 我也开一个团): the product, the benefit and
 * rules, the caller's groups of it still open, and 发起拼团. The result message is asked for in the tap.
 */
import type { ErrorCode } from '../../../../typings';
import { call, newRequestId } from '../../../services/api';
import { queryParam } from '../../../utils/format';
import { askForReminder } from '../../coupon/reminder';
import { joinUrl } from '../../member/links';
import { type CampaignPageView, detailUrl, toCampaignPageView } from '../view';

type Status = 'loading' | 'error' | 'gone' | 'ready';

const GONE: ErrorCode[] = ['NOT_FOUND', 'INVALID_INPUT'];

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    campaign: null as CampaignPageView | null,
    opening: false,
    openError: '',
    _campaignId: '',
    _resultTemplateId: '',
    /** One id per 发起拼团 intent: a retry after a lost answer opens one group. */
    _openRequestId: '',
    _away: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const id = queryParam(query, 'id');
      if (!id) return this.setData({ status: 'gone' });
      this.setData({ _campaignId: id });
      this.load();
    },
    onShow() {
      // Back from joining the store or from a group: the caller's eligibility may have changed.
      if (!this.data._away) return;
      this.setData({ _away: false });
      this.load(true);
    },
    onRetry() {
      this.load();
    },
    async load(quiet = false) {
      if (!quiet) this.setData({ status: 'loading' });
      const res = await call('groupbuy', 'groupbuy.campaign.get', { campaignId: this.data._campaignId });
      if (!res.ok) {
        if (GONE.includes(res.error.code)) return this.setData({ status: 'gone' });
        if (quiet && this.data.status === 'ready') return;
        return this.setData({ status: 'error', errorMessage: res.error.message });
      }
      this.setData({ status: 'ready', campaign: toCampaignPageView(res.data), _resultTemplateId: res.data.resultTemplateId ?? '' });
      wx.setNavigationBarTitle({ title: res.data.campaign.title });
    },
    onAction() {
      const { campaign, opening } = this.data;
      if (!campaign || opening) return;
      if (campaign.needsMembership) {
        this.setData({ _away: true });
        wx.navigateTo({ url: joinUrl() });
        return;
      }
      if (campaign.canOpen) this.open();
    },
    async open() {
      const requestId = this.data._openRequestId || newRequestId();
      // Synchronously, before anything is awaited: WeChat opens its panel only from the tap itself.
      const tmplId = this.data._resultTemplateId;
      const asking = tmplId ? askForReminder(tmplId) : Promise.resolve(false);
      this.setData({ opening: true, openError: '', _openRequestId: requestId });
      const subscribed = await asking;
      const res = await call('groupbuy', 'groupbuy.open', { campaignId: this.data._campaignId, subscribed }, { requestId });
      if (!res.ok) {
        const retryable = res.error.code === 'UNAVAILABLE' || res.error.code === 'INTERNAL';
        this.setData({ opening: false, openError: res.error.message, _openRequestId: retryable ? requestId : '' });
        if (!retryable) this.load(true);
        return;
      }
      this.setData({ opening: false, _openRequestId: '', _away: true });
      wx.navigateTo({ url: detailUrl(res.data.group.token) });
    },
    onOpenGroup(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { token: string }>) {
      this.setData({ _away: true });
      wx.navigateTo({ url: detailUrl(e.currentTarget.dataset.token) });
    },
    onShareAppMessage() {
      const title = this.data.campaign?.title ?? '一起拼团';
      return { title, path: `/pages/groupbuy/campaign/index?id=${encodeURIComponent(this.data._campaignId)}` };
    },
  },
});
