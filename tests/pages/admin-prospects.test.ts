/** 潜力买家 (admin subpackage): the best buyers who are not members yet, masked, filtered, exported by the owner. */
import { DEMO_OWNER_OPENID } from '../../local/seed';
import { platform as services } from '../../server/runtime/platform';
import { openPage, switchPhone } from './support/pages';
import { customerJoined, ownerImportsOrders } from './support/members';
import { hireStaff } from './support/story';
import { platform } from './support/wechat';

const PROSPECTS = 'admin/pages/prospects/index';

process.env.PRIVDOM_LOG = 'silent';

const order = (orderNo: string, phone: string, amount: string, paidAt: string) => ({ orderNo, phone, amount, paidAt, product: '明前龙井 250g' });

/** Two repeat buyers who never joined, one one-time buyer, and a repeat buyer who is a member. */
async function ordersImported(): Promise<void> {
  await ownerImportsOrders([
    order('4100000000000001', '13911110001', '300.00', '2025-02-01 10:00:00'),
    order('4100000000000002', '13911110001', '200.00', '2025-03-01 10:00:00'),
    order('4100000000000003', '13911110002', '150.00', '2025-01-05 10:00:00'),
    order('4100000000000004', '13911110002', '150.00', '2025-02-05 10:00:00'),
    order('4100000000000005', '13911110003', '900.00', '2025-03-02 10:00:00'),
    order('4100000000000006', '13911110004', '500.00', '2025-02-01 10:00:00'),
    order('4100000000000007', '13911110004', '500.00', '2025-03-01 10:00:00'),
  ]);
  await customerJoined('member-ma', { phoneCode: 'dev:13911110004', nickname: '马女士' });
  await platform.runtime.fireTimer('admin', 'continueImports');
}

test('an admin sees the repeat buyers who are not members, phones masked, best spenders first', async () => {
  await ordersImported();
  await hireStaff('admin-zhou', '周店长', 'admin');
  switchPhone('admin-zhou');
  const page = openPage(PROSPECTS);

  await page.waitFor('符合条件 2 位');
  expect(page.textOf('#status')).toContain('7 笔订单、4 位买家，其中 3 位还不是会员');
  const text = page.text;
  expect(text.indexOf('139****0001')).toBeLessThan(text.indexOf('139****0002'));
  expect(text).toContain('2 单 · 累计 ¥500.00');
  expect(text).toContain('淘宝 最近订单 4100000000000002');
  expect(text).not.toContain('139****0004'); // a member
  expect(text).not.toMatch(/1391111000\d/);
  expect(text).not.toContain('导出 CSV'); // exporting is the owner's

  // One order is enough: the big one-time buyer comes first.
  await page.type('#min-orders', '1');
  await page.tap('筛选');
  await page.waitFor('符合条件 3 位');
  expect(page.text.indexOf('139****0003')).toBeLessThan(page.text.indexOf('139****0001'));

  await page.type('#min-orders', '0');
  await page.tap('筛选');
  await page.waitFor('最少订单数请填写 1 或更大的整数');
});

test('the owner exports the list: a link to copy, a file with masked phones', async () => {
  await ordersImported();
  platform.actAs(DEMO_OWNER_OPENID);
  const page = openPage(PROSPECTS);
  await page.waitFor('导出 CSV');

  await page.tap('导出 CSV');
  await page.waitFor('已导出 2 位买家（潜力买家-2025-03-08.csv）');
  expect(page.text).toMatch(/文件保留至 2025-03-15 \d\d:\d\d，之后自动删除/);
  await page.tap('复制下载链接');
  expect(platform.clipboard).toMatch(/\/storage\/exports\/prospects\/px_[0-9a-f]{20}\/prospects-2025-03-08\.csv$/);
  const csv = (await services().readFile(`local://${decodeURIComponent(platform.clipboard.split('/storage/')[1])}`)).toString('utf8');
  expect(csv).toContain('1,139****0001,2,500.00,');
  expect(csv).not.toMatch(/1391111000\d/);
});

test('a clerk who opens 潜力买家 is told it is for owners and admins', async () => {
  await hireStaff('clerk-liu', '刘小二', 'clerk');
  switchPhone('clerk-liu');
  const page = openPage(PROSPECTS);
  await page.waitFor('没有权限');
  expect(page.text).toContain('潜力买家名单由店长和管理员查看');
});
