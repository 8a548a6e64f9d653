/**
 * The custom tab bar: 首页, 券包 and 我的 for everyone, plus 管理 for staff, which opens the admin
 * subpackage (tab pages must live in the main package, so 管理 is a navigation, not a tab).
 */
import { unwatchViewer, watchViewer } from '../services/viewer';
import type { TabKey } from './tabs';
import { ADMIN_HOME_URL, TAB_URLS } from './tabs';

Component({
  data: {
    selected: '' as TabKey | '',
    showAdmin: false,
  },
  lifetimes: {
    attached() {
      watchViewer(this, (viewer) => {
        if (viewer.isStaff !== this.data.showAdmin) this.setData({ showAdmin: viewer.isStaff });
      });
    },
    detached() {
      unwatchViewer(this);
    },
  },
  methods: {
    onSwitch(e: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { tab: TabKey }>) {
      const key = e.currentTarget.dataset.tab;
      if (key !== this.data.selected) wx.switchTab({ url: TAB_URLS[key] });
    },
    onOpenAdmin() {
      wx.navigateTo({ url: ADMIN_HOME_URL });
    },
  },
});
