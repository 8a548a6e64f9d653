/** The custom tab bar: 首页 and 我的 for everyone, 管理 only for the store's staff. */
import { DEMO_OWNER_OPENID } from '../../local/seed';
import { openPage } from './support/pages';
import { platform } from './support/wechat';

const STORE_NAME = '山间茶舍（演示店铺）';

test('a customer sees 首页 and 我的 but no 管理 tab', async () => {
  platform.actAs('customer-wang');

  const home = openPage('pages/home/index');
  await home.waitFor(STORE_NAME);

  expect(home.tabBar.text).toContain('首页');
  expect(home.tabBar.text).toContain('我的');
  expect(home.tabBar.text).not.toContain('管理');
  expect(home.tabBar.textOf('.tab--active')).toBe('首页');
});

test('a staff member sees a 管理 tab that opens the admin pages', async () => {
  platform.actAs(DEMO_OWNER_OPENID);

  const home = openPage('pages/home/index');
  await home.tabBar.waitFor('管理');
  await home.tabBar.tap('管理');

  expect(platform.navigations).toEqual([{ kind: 'navigateTo', url: '/admin/pages/index/index' }]);
});

test('the 我的 tab knows a staff member too, and switches back to 首页', async () => {
  platform.actAs(DEMO_OWNER_OPENID);

  const mine = openPage('pages/mine/index');
  await mine.waitFor('员工身份');

  expect(mine.tabBar.text).toContain('管理');
  expect(mine.tabBar.textOf('.tab--active')).toBe('我的');
  await mine.tabBar.tap('首页');
  expect(platform.navigations).toEqual([{ kind: 'switchTab', url: '/pages/home/index' }]);
});
