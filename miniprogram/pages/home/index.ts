/** 首页: the store, its campaigns, and (for the tab bar) whether the viewer works here. */
import type { CampaignCard, StoreView } from '../../../typings';
import { selectTab } from '../../custom-tab-bar/tabs';
import { call } from '../../services/api';
import { rememberViewer } from '../../services/viewer';

type Status = 'loading' | 'error' | 'ready';

interface CampaignItem {
  id: string;
  title: string;
  subtitle: string;
  kind: CampaignCard['kind'];
  kindLabel: string;
  /** The card's call to action, empty when tapping it leads nowhere yet. */
  action: string;
}

const KIND_LABELS: Record<CampaignCard['kind'], string> = {
  coupon: '优惠券',
  package_card: '包裹卡',
  group_buy: '拼团',
  invite: '邀请有礼',
  repurchase: '复购优惠',
  community: '社群',
};

/** Where a campaign card leads, by kind; kinds without a page yet are not tappable. */
const CAMPAIGN_PAGES: Partial<Record<CampaignCard['kind'], { url: (id: string) => string; action: string }>> = {
  coupon: { url: (id) => `/pages/coupon/claim/index?templateId=${encodeURIComponent(id)}`, action: '去领取' },
};

const EMPTY_STORE: StoreView = { name: '', intro: '', servicePhone: '' };

Component({
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    store: EMPTY_STORE,
    campaigns: [] as CampaignItem[],
    localRuntime: false,
  },
  methods: {
    onLoad() {
      this.load();
    },
    onShow() {
      selectTab(this, 'home');
    },
    onPullDownRefresh() {
      this.load(true).then(() => wx.stopPullDownRefresh());
    },
    onRetry() {
      this.load();
    },
    async load(quiet = false) {
      if (!quiet) this.setData({ status: 'loading' });
      const res = await call('app', 'home.get', {});
      if (!res.ok) {
        // A failed refresh keeps what is on screen; a failed first load shows the error.
        if (quiet && this.data.status === 'ready') wx.showToast({ title: res.error.message, icon: 'none' });
        else this.setData({ status: 'error', errorMessage: res.error.message });
        return;
      }
      const { store, campaigns, viewer, localRuntime } = res.data;
      rememberViewer(viewer);
      this.setData({
        status: 'ready',
        store,
        localRuntime,
        campaigns: campaigns.map(({ id, title, subtitle, kind }): CampaignItem => ({
          id,
          title,
          subtitle,
          kind,
          kindLabel: KIND_LABELS[kind],
          action: CAMPAIGN_PAGES[kind]?.action ?? '',
        })),
      });
      if (store.name) wx.setNavigationBarTitle({ title: store.name });
    },
    onOpenCampaign(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { id: string; kind: CampaignCard['kind'] }>) {
      const { id, kind } = e.currentTarget.dataset;
      const page = CAMPAIGN_PAGES[kind];
      if (page) wx.navigateTo({ url: page.url(id) });
    },
    onCallStore() {
      wx.makePhoneCall({ phoneNumber: this.data.store.servicePhone });
    },
  },
});
