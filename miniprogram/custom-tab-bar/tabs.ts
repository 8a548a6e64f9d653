/** The tabs of the custom tab bar, and how a tab page marks itself as the current one. */
export type TabKey = 'home' | 'wallet' | 'mine';

export const TAB_URLS: Record<TabKey, string> = {
  home: '/pages/home/index',
  wallet: '/pages/wallet/index',
  mine: '/pages/mine/index',
};

/** Not a tab page: the admin subpackage is opened on top of the tabs. */
export const ADMIN_HOME_URL = '/admin/pages/index/index';

interface TabPage {
  getTabBar(): WechatMiniprogram.Component.TrivialInstance;
}

/** Call from a tab page's onShow: every tab page has its own tab bar instance to update. */
export function selectTab(page: TabPage, key: TabKey): void {
  // getTabBar is missing outside the WeChat runtime (and before base library 2.6.2).
  const tabBar = typeof page.getTabBar === 'function' ? page.getTabBar() : null;
  if (tabBar) tabBar.setData({ selected: key });
}
