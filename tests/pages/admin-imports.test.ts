/** 导入订单 (admin subpackage): a platform export sent to the phone, previewed, then imported in steps. */
import { DEMO_OWNER_OPENID } from '../../local/seed';
import { csvOf, sampleOrders } from '../orders/support';
import { openPage, switchPhone } from './support/pages';
import { hireStaff } from './support/story';
import { platform } from './support/wechat';

const IMPORTS = 'admin/pages/imports/index';

test('the owner picks 京东, chooses the export from a chat, checks the preview and imports it', async () => {
  platform.actAs(DEMO_OWNER_OPENID);
  const page = openPage(IMPORTS);
  await page.waitFor('还没有导入过订单');

  await page.tap('京东');
  expect(page.text).toContain('京麦「订单管理 - 订单导出」');
  platform.willChooseFile('jd-orders.csv', csvOf('jd', sampleOrders(3, '7000')));
  await page.tap('选择订单文件（从聊天记录）');

  await page.waitFor('开始导入');
  expect(platform.uploads).toHaveLength(1);
  expect(page.textOf('.preview')).toContain('检查了 3 行：新订单 3，更新 0，已绑定会员 0，有问题 0');
  expect(page.textOf('.preview')).toContain('订单号 ← 订单号');
  expect(page.textOf('.preview')).toContain('第 2 行 · 7000000000000000 · 139****0000 · 128.00 元');
  expect(page.text).not.toContain('13900000000');

  await page.tap('开始导入');

  await page.waitFor('新增 3 · 更新 0 · 未变 0 · 已绑定跳过 0 · 有问题 0');
  expect(page.textOf('.history')).toContain('京东');
  expect(page.textOf('.history')).toContain('已完成');
  expect(page.textOf('.history')).toMatch(/上传的文件保留至 2025-04-07 \d\d:\d\d，之后自动删除/);
});

test('a file with bad rows shows them by row number before anything is imported', async () => {
  platform.actAs(DEMO_OWNER_OPENID);
  const page = openPage(IMPORTS);
  await page.waitFor('选择订单文件（从聊天记录）');
  const bad = csvOf('taobao', sampleOrders(1), [['="123"', 'buyer', 'abc', '交易成功', '张三', '1380000', '2025-03-01 10:00:00', '2025-03-01 10:00:00', '茶', '1', '店']]);
  platform.willChooseFile('taobao.csv', bad);
  await page.tap('选择订单文件（从聊天记录）');
  await page.waitFor('开始导入');
  expect(page.textOf('.preview')).toMatch(/第 3 行：/);
});

test('a file that is not a CSV is refused with what to do; closing the picker does nothing', async () => {
  platform.actAs(DEMO_OWNER_OPENID);
  const page = openPage(IMPORTS);
  await page.waitFor('选择订单文件（从聊天记录）');
  await page.tap('选择订单文件（从聊天记录）'); // closed without a file
  expect(page.text).not.toContain('没能打开聊天文件');
  platform.willChooseFile('orders.xlsx', 'not a csv');
  await page.tap('选择订单文件（从聊天记录）');
  await page.waitFor('请选择 .csv 格式的订单表格');
  expect(platform.uploads).toHaveLength(0);
});

test('an upload that fails offline says so and nothing is imported', async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  platform.actAs(DEMO_OWNER_OPENID);
  const page = openPage(IMPORTS);
  await page.waitFor('选择订单文件（从聊天记录）');
  platform.goOffline();
  platform.willChooseFile('taobao.csv', csvOf('taobao', sampleOrders(1)));
  await page.tap('选择订单文件（从聊天记录）');
  await page.waitFor('文件没能上传，请检查网络后重试');
  expect(page.text).not.toContain('开始导入');
});

test('a clerk who opens 导入订单 is told it is for owners and admins', async () => {
  await hireStaff('clerk-liu', '刘小二', 'clerk');
  switchPhone('clerk-liu');
  const page = openPage(IMPORTS);
  await page.waitFor('没有权限');
});
