/** 会员分层 (admin subpackage): counts per segment, the rules form, and the owner's CSV export. */
import { DEMO_OWNER_OPENID } from '../../local/seed';
import { platform as services } from '../../server/runtime/platform';
import { openPage, switchPhone } from './support/pages';
import { act, customerJoined, ownerImportsOrders } from './support/members';
import { hireStaff } from './support/story';
import { platform } from './support/wechat';

const SEGMENTS = 'admin/pages/segments/index';

// The admin timer logs what it did; these stories read the page instead.
process.env.PRIVDOM_LOG = 'silent';

async function membersPlaced(): Promise<void> {
  await ownerImportsOrders([{ orderNo: '3872000011112222333', phone: '13912348000', amount: '128.50', paidAt: '2025-03-01 20:15:00', product: '明前龙井 250g' }]);
  await customerJoined('customer-wang', { phoneCode: 'dev:13912348000', nickname: '王小姐' });
  await customerJoined('customer-li', { phoneCode: 'dev:13700008000', nickname: '李先生' });
  await act('customer-wang', 'member', 'member.bindOrder', { orderNo: '3872000011112222333', phoneLast4: '8000' });
  await platform.runtime.fireTimer('admin', 'continueImports');
}

test('the owner sees how many members each segment holds and what its rule says', async () => {
  await membersPlaced();
  platform.actAs(DEMO_OWNER_OPENID);
  const page = openPage(SEGMENTS);

  await page.waitFor('共 2 位会员，统计于 2025-03-08 10:00');
  expect(page.textOf('.counts')).toContain('重度用户 0 人 0.0%');
  expect(page.textOf('.counts')).toContain('购买用户 1 人 50.0% 累计 ≥1 单');
  expect(page.textOf('.counts')).toContain('潜在用户 1 人 50.0%');
  expect(page.textOf('.counts')).toContain('关注用户 0 人 0.0%');
  expect(page.text).toContain('导出购买用户');
  expect(page.text).toContain('保存规则');
});

test('an admin changes the heavy-buyer rule; the page says it applies after the next run, and it does', async () => {
  await membersPlaced();
  await hireStaff('admin-zhou', '周店长', 'admin');
  switchPhone('admin-zhou');
  const page = openPage(SEGMENTS);
  await page.waitFor('保存规则');
  expect(page.text).not.toContain('导出购买用户'); // exporting is the owner's

  await page.type('#heavy-orders', '1');
  await page.type('#heavy-spent', '100');
  await page.type('#heavy-days', '30');
  await page.tap('保存规则');

  await page.waitFor('新规则将在下一次计算后生效');
  expect(page.textOf('.counts')).toContain('购买用户中，近 30 天内下过单，累计 ≥1 单且累计消费 ≥100 元');
  expect(platform.toasts).toContain('规则已保存');

  // An order paid on 2025-03-01 is within 30 days of 2025-03-08.
  await platform.runtime.fireTimer('admin', 'continueImports');
  const again = openPage(SEGMENTS);
  await again.waitFor('共 2 位会员');
  expect(again.textOf('.counts')).toContain('重度用户 1 人 50.0%');
});

test('a rule the form cannot read is refused before anything is sent', async () => {
  await membersPlaced();
  platform.actAs(DEMO_OWNER_OPENID);
  const page = openPage(SEGMENTS);
  await page.waitFor('保存规则');
  await page.type('#buyer-spent', '十块');
  await page.tap('保存规则');
  await page.waitFor('购买用户的消费请填写金额，如 500 或 99.5');
});

test('the owner exports the buyers: progress, then a link to copy; the file holds masked phones', async () => {
  await membersPlaced();
  platform.actAs(DEMO_OWNER_OPENID);
  const page = openPage(SEGMENTS);
  await page.waitFor('导出购买用户');

  await page.tap('导出购买用户');

  await page.waitFor('已导出 1 位会员（购买用户-2025-03-08.csv）');
  expect(page.text).toMatch(/链接约 1 小时内有效；文件保留至 2025-03-15 \d\d:\d\d，之后自动删除/);
  await page.tap('复制下载链接');
  expect(platform.clipboard).toMatch(/\/storage\/exports\/segments\/sx_[0-9a-f]{20}\/segment-2025-03-08\.csv$/);
  const stored = decodeURIComponent(platform.clipboard.split('/storage/')[1]);
  const csv = (await services().readFile(`local://${stored}`)).toString('utf8');
  expect(csv).toContain('customer-wang,王小姐,139****8000,');
  expect(csv).not.toContain('13912348000');
});

test('a clerk who opens 会员分层 is told it is for owners and admins', async () => {
  await hireStaff('clerk-liu', '刘小二', 'clerk');
  switchPhone('clerk-liu');
  const page = openPage(SEGMENTS);
  await page.waitFor('没有权限');
  expect(page.text).toContain('会员分层由店长和管理员设置');
});

test('before the first recompute the page says it is coming', async () => {
  platform.actAs(DEMO_OWNER_OPENID);
  const page = openPage(SEGMENTS);
  await page.waitFor('还没有计算过，定时任务会在几分钟内完成第一次计算');
});
