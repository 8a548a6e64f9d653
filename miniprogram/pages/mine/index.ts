/**
 * 我的: who I am here. Staff see their role; members their profile and the membership pages (资料,
 * 绑定订单, 隐私保护指引, 导出我的数据, 注销账号); everyone else the way to join.
 */
import type { ApiError } from '../../../typings';
import { selectTab } from '../../custom-tab-bar/tabs';
import { call, newRequestId } from '../../services/api';
import { rememberViewer, roleLabel } from '../../services/viewer';
import { contactHowTo } from '../community/view';
import { entryUrlFromScan } from '../entry/scene';
import { confirmDelete, deleteAccount, leaveAfterDelete } from '../member/delete';
import { GROUPBUY_PAGES } from '../groupbuy/view';
import { INVITE_PAGE } from '../invite/view';
import { joinUrl, MEMBER_PAGES } from '../member/links';

type Status = 'loading' | 'error' | 'ready';

interface StaffView {
  name: string;
  roleLabel: string;
}

interface MemberView {
  nickname: string;
  avatar: string;
  initial: string;
  phone: string;
  devPhone: boolean;
  level: string;
}

/** Menu pages besides the membership ones: 我的拼团 and 邀请好友. */
const GROWTH_PAGES = { groupbuys: GROUPBUY_PAGES.mine, invite: INVITE_PAGE } as const;
const MENU_PAGES = { ...MEMBER_PAGES, ...GROWTH_PAGES };

type MenuTarget = keyof typeof MENU_PAGES;

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    staff: null as StaffView | null,
    member: null as MemberView | null,
    deleting: false,
    /** 专属客服: the member's own staff member's contact code (community.myContact). */
    myContact: null as { staffName: string; src: string; howTo: string; note: string } | null,
    /** The caller's user id: the store owner needs it once, to be made owner (README). */
    openid: '',
    _deleteRequestId: '',
  },
  methods: {
    onShow() {
      selectTab(this, 'mine');
      // Shown again after joining the staff or the membership elsewhere: refresh quietly once something is on screen.
      this.load();
    },
    onRetry() {
      this.load();
    },
    onCopyId() {
      wx.setClipboardData({ data: this.data.openid });
    },
    async load() {
      if (this.data.status !== 'ready') this.setData({ status: 'loading' });
      const [me, home] = await Promise.all([call('staff', 'staff.me', {}), call('member', 'member.home', {})]);
      if (!me.ok || !home.ok) {
        const { message } = !me.ok ? me.error : (home as { error: ApiError }).error;
        if (this.data.status !== 'ready') this.setData({ status: 'error', errorMessage: message });
        return;
      }
      const staff = me.data.member;
      const card = home.data.member;
      rememberViewer({ isStaff: !!staff, role: staff ? staff.role : null });
      this.setData({
        status: 'ready',
        openid: me.data.openid,
        staff: staff ? { name: staff.name, roleLabel: roleLabel(staff.role) } : null,
        member: card
          ? {
              nickname: card.nickname,
              avatar: card.avatar ?? '',
              initial: card.nickname.slice(0, 1),
              phone: card.phoneMasked,
              devPhone: card.phoneIsDevelopment,
              level: card.level.name,
            }
          : null,
      });
      if (card) this.loadMyContact();
    },
    async loadMyContact() {
      const res = await call('community', 'community.myContact', {});
      const c = res.ok ? res.data.contact : null;
      this.setData({ myContact: c ? { staffName: c.staffName, src: c.qr.src, howTo: contactHowTo(c.kind), note: c.note } : null });
    },
    onJoin() {
      wx.navigateTo({ url: joinUrl() });
    },
    onOpen(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { target: MenuTarget }>) {
      wx.navigateTo({ url: MENU_PAGES[e.currentTarget.dataset.target] });
    },
    /** A package card scanned from inside the app opens its landing page. */
    onScanCard() {
      wx.scanCode({
        scanType: ['wxCode', 'qrCode'],
        success: (res) => {
          const url = entryUrlFromScan(res);
          if (url) wx.navigateTo({ url });
          else wx.showToast({ title: '这不是本店的包裹卡二维码', icon: 'none' });
        },
        // Closing the scanner is not an error.
        fail: () => undefined,
      });
    },
    async onDelete() {
      if (this.data.deleting || !(await confirmDelete())) return;
      const requestId = this.data._deleteRequestId || newRequestId();
      this.setData({ deleting: true, _deleteRequestId: requestId });
      const res = await deleteAccount(requestId);
      this.setData({ deleting: false });
      if (!res.ok) {
        wx.showToast({ title: res.error.message, icon: 'none' });
        return;
      }
      this.setData({ _deleteRequestId: '' });
      leaveAfterDelete();
    },
  },
});
