/**
 * 首页: the member card (or, for a non-member, the way to join), the store and its campaigns, and
 * (for the tab bar) whether the viewer works here. Shown again after joining, binding or leaving, it
 * refreshes quietly.
 */
import type { ApiError, CampaignCard, StoreView } from '../../../typings';
import { type MemberCardView, toMemberCardView } from '../../components/member-card/view';
import { selectTab, TAB_URLS } from '../../custom-tab-bar/tabs';
import { call } from '../../services/api';
import { rememberViewer } from '../../services/viewer';
import { couponUrl, joinUrl, MEMBER_PAGES } from '../member/links';

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
  group_buy: { url: (id) => `/pages/groupbuy/campaign/index?id=${encodeURIComponent(id)}`, action: '去拼团' },
};

const EMPTY_STORE: StoreView = { name: '', intro: '', servicePhone: '' };

type MemberCardTarget = 'coupons' | 'benefit' | 'bind' | 'profile';

Component({
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    store: EMPTY_STORE,
    campaigns: [] as CampaignItem[],
    localRuntime: false,
    /** Null for a non-member: the page offers to join instead. */
    member: null as MemberCardView | null,
    /** The member accepted an older privacy notice: ask them to read the new one. */
    privacyUpdated: false,
  },
  methods: {
    onShow() {
      selectTab(this, 'home');
      this.load(this.data.status === 'ready');
    },
    onPullDownRefresh() {
      this.load(true).then(() => wx.stopPullDownRefresh());
    },
    onRetry() {
      this.load();
    },
    async load(quiet = false) {
      if (!quiet) this.setData({ status: 'loading' });
      const [home, membership] = await Promise.all([call('app', 'home.get', {}), call('member', 'member.home', {})]);
      if (!home.ok || !membership.ok) {
        const { message } = !home.ok ? home.error : (membership as { error: ApiError }).error;
        // A failed refresh keeps what is on screen; a failed first load shows the error.
        if (quiet && this.data.status === 'ready') wx.showToast({ title: message, icon: 'none' });
        else this.setData({ status: 'error', errorMessage: message });
        return;
      }
      const { store, campaigns, viewer, localRuntime } = home.data;
      const { member, privacy } = membership.data;
      rememberViewer(viewer);
      this.setData({
        status: 'ready',
        store,
        localRuntime,
        member: member ? toMemberCardView(member) : null,
        privacyUpdated: !!member && privacy.needsReaccept,
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
    onJoin() {
      wx.navigateTo({ url: joinUrl() });
    },
    onReadPrivacy() {
      wx.navigateTo({ url: `${MEMBER_PAGES.privacy}?reaccept=1` });
    },
    onOpenMemberCard(e: WechatMiniprogram.CustomEvent<{ target: MemberCardTarget; couponId: string }>) {
      const { target, couponId } = e.detail;
      if (target === 'coupons') wx.switchTab({ url: TAB_URLS.wallet });
      else if (target === 'benefit' && couponId) wx.navigateTo({ url: couponUrl(couponId) });
      else if (target === 'bind') wx.navigateTo({ url: MEMBER_PAGES.bind });
      else if (target === 'profile') wx.navigateTo({ url: MEMBER_PAGES.profile });
    },
  },
});
