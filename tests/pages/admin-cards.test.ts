/** 包裹卡批次 (admin subpackage): the list, a new batch from the phone, its page and its print files. */
import { DEMO_OWNER_OPENID } from '../../local/seed';
import { openPage, switchPhone, until } from './support/pages';
import { ownerCreatesCoupon } from './support/coupons';
import { ownerPrintsCards } from './support/members';
import { follow, hireStaff } from './support/story';
import { platform } from './support/wechat';

const CARDS = 'admin/pages/cards/index';

test('the owner makes a batch of Taobao cards with a coupon and lands on its page', async () => {
  await ownerCreatesCoupon({ title: '老客回购券', totalStock: null });
  await hireStaff('clerk-liu', '刘小二', 'clerk');
  platform.actAs(DEMO_OWNER_OPENID);
  const page = openPage(CARDS);
  await page.waitFor('还没有包裹卡批次');

  await page.tap('新建批次');
  await page.waitFor('生成批次');
  await page.type('#product', '明前龙井 250g');
  await page.type('#quantity', '30');
  await page.pick('#valid-until', '2025-06-30');
  await page.pick('#benefit', '1');
  const liu = (page.comp.data.staff as { label: string }[]).findIndex((o) => o.label === '刘小二');
  await page.pick('#owner', String(liu));
  expect(page.text).toContain('福利：老客回购券');
  expect(page.text).toContain('专属客服：刘小二');
  await page.tap('生成批次');

  await until(() => platform.navigations.length > 0, () => `no navigation; the screen shows: ${page.text}`);
  const detail = follow('navigateTo');
  await detail.waitFor('明前龙井 250g · 淘宝');
  expect(detail.textOf('.batch')).toContain('30 印制 0 已领取 0 已核销');
  expect(detail.text).toContain('福利 满99减20 老客回购券');
  expect(detail.text).toContain('领取截止 2025-06-30');
  expect(detail.text).toContain('还没有生成过印刷文件');
});

test('a batch without a product is refused before anything is sent', async () => {
  platform.actAs(DEMO_OWNER_OPENID);
  const page = openPage(CARDS);
  await page.waitFor('新建批次');
  await page.tap('新建批次');
  await page.waitFor('生成批次');
  await page.tap('生成批次');
  await page.waitFor('请填写商品或备注');
});

test('the list shows each batch with what it brought in', async () => {
  await ownerPrintsCards();
  platform.actAs(DEMO_OWNER_OPENID);
  const page = openPage(CARDS);
  await page.waitFor('明前龙井 250g · 淘宝 可用');
  expect(page.text).toContain('20 张 · 已领取 0 · 已核销 0 · 2025-03-08 创建');
});

test('print files: the page shows why an export failed (the PDF library is not loaded in page tests)', async () => {
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const { batch } = await ownerPrintsCards();
  platform.actAs(DEMO_OWNER_OPENID);
  const page = openPage('admin/pages/card/index', { id: batch.id });
  await page.waitFor('生成印刷文件');
  await page.tap('生成印刷文件');
  await page.waitFor('导出失败：生成卡片文件失败，请稍后重新导出');
}, 20_000);

test('a clerk who opens 包裹卡批次 is told it is for owners and admins', async () => {
  await hireStaff('clerk-liu', '刘小二', 'clerk');
  switchPhone('clerk-liu');
  const page = openPage(CARDS);
  await page.waitFor('没有权限');
  expect(page.text).not.toContain('新建批次');
});
