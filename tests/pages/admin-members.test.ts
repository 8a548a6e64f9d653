/** 会员查询 and a member's page (admin subpackage): find a member, read their page, tag them. */
import { DEMO_OWNER_OPENID } from '../../local/seed';
import { openPage, switchPhone } from './support/pages';
import { act, customerJoined, ownerImportsOrders } from './support/members';
import { hireStaff } from './support/story';
import { platform } from './support/wechat';

const SEARCH = 'admin/pages/members/index';
const MEMBER = 'admin/pages/member/index';

async function twoCustomers(): Promise<void> {
  await ownerImportsOrders([{ orderNo: '3872000011112222333', phone: '13912348000', amount: '128.50', paidAt: '2025-03-01 20:15:00', product: '明前龙井 250g' }]);
  await customerJoined('customer-wang', { phoneCode: 'dev:13912348000', nickname: '王小姐' });
  await customerJoined('customer-li', { phoneCode: 'dev:13700008000', nickname: '李先生' });
  await act('customer-wang', 'member', 'member.bindOrder', { orderNo: '3872000011112222333', phoneLast4: '8000' });
}

test('a clerk finds two members by the last four digits, opens one and reads their page, phone masked', async () => {
  await twoCustomers();
  await hireStaff('clerk-liu', '刘小二', 'clerk');
  switchPhone('clerk-liu');
  const search = openPage(SEARCH);
  await search.waitFor('查找');

  await search.type('#query', '8000');
  await search.tap('查找');

  await search.waitFor('王小姐');
  expect(search.text).toContain('李先生');
  expect(search.text).toContain('139****8000');
  expect(search.text).not.toContain('13912348000');
  expect(search.text).toContain('1 单 · 128.50 元');

  await search.tap('王小姐');
  expect(platform.navigations.pop()).toEqual({ kind: 'navigateTo', url: '/admin/pages/member/index?openid=customer-wang' });

  const page = openPage(MEMBER, { openid: 'customer-wang' });
  await page.waitFor('明前龙井 250g');
  expect(page.textOf('.header')).toContain('王小姐 普通会员 139****8000（开发测试号码） 购买用户 1 订单 128.50 累计消费（元） 128 积分');
  expect(page.text).toContain('来源 直接进入');
  expect(page.text).toContain('专属客服 未分配');
  expect(page.text).toContain('3872000011112222333 · 128.50 元 · 2025-03-01 付款');
  expect(page.textOf('.timeline')).toContain('绑定订单');
  expect(page.textOf('.timeline')).toContain('加入会员');
  expect(page.text).not.toContain('编辑标签'); // clerks read tags only
});

test('an order number typed in the phone box switches to 订单号 and finds its member', async () => {
  await twoCustomers();
  platform.actAs(DEMO_OWNER_OPENID);
  const search = openPage(SEARCH);
  await search.waitFor('查找');

  await search.type('#query', '3872000011112222333');
  await search.tap('查找');

  await search.waitFor('王小姐');
  expect(search.comp.data.mode).toBe('orderNo');
});

test('a search with no match says so; a bad one says what to type', async () => {
  await twoCustomers();
  platform.actAs(DEMO_OWNER_OPENID);
  const search = openPage(SEARCH);
  await search.waitFor('查找');

  await search.tap('昵称');
  await search.type('#query', '赵');
  await search.tap('查找');
  await search.waitFor('没有找到符合的会员');

  await search.tap('手机号');
  await search.type('#query', '12');
  await search.tap('查找');
  await search.waitFor('请输入手机号后 4 位或完整的 11 位手机号');
});

test('an admin adds tags from the member page, and they stay after a reload', async () => {
  await twoCustomers();
  await hireStaff('admin-zhou', '周店长', 'admin');
  switchPhone('admin-zhou');
  const page = openPage(MEMBER, { openid: 'customer-li' });
  await page.waitFor('还没有标签');

  await page.tap('编辑标签');
  await page.type('#tag-input', '企业采购');
  await page.tap('添加');
  await page.type('#tag-input', '茶艺爱好者');
  await page.tap('添加');
  await page.tap('企业采购 ×');
  await page.tap('保存标签');

  await page.waitFor('编辑标签');
  expect(page.textOf('.tags')).toContain('茶艺爱好者');
  expect(page.textOf('.tags')).not.toContain('企业采购');
  expect(platform.toasts).toContain('标签已保存');

  const again = openPage(MEMBER, { openid: 'customer-li' });
  await again.waitFor('茶艺爱好者');
});

test('a customer who opens a member page is told it is for staff only; a lost network says so with 重试', async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  await twoCustomers();
  platform.actAs('customer-zhao');
  const page = openPage(MEMBER, { openid: 'customer-wang' });
  await page.waitFor('仅限店铺员工');
  expect(page.text).not.toContain('王小姐');

  switchPhone(DEMO_OWNER_OPENID);
  platform.goOffline();
  const offline = openPage(MEMBER, { openid: 'customer-wang' });
  await offline.waitFor('网络不稳定，请稍后重试');
  platform.goOnline();
  await offline.tap('重试');
  await offline.waitFor('王小姐');
});

test('a member who has since left reads as not found', async () => {
  platform.actAs(DEMO_OWNER_OPENID);
  const page = openPage(MEMBER, { openid: 'nobody-here' });
  await page.waitFor('找不到这位会员，可能已注销');
});
