/** The member page's data rights (owner only): export everything held about a member, erase them on request. */
import { DEMO_OWNER_OPENID } from '../../local/seed';
import { platform as services } from '../../server/runtime/platform';
import { openPage, switchPhone } from './support/pages';
import { act, customerJoined, memberDoc, ownerImportsOrders } from './support/members';
import { hireStaff } from './support/story';
import { platform } from './support/wechat';

const MEMBER = 'admin/pages/member/index';

process.env.PRIVDOM_LOG = 'silent';

async function wangWithAnOrder(): Promise<void> {
  await ownerImportsOrders([{ orderNo: '3872000011112222333', phone: '13912348000', amount: '128.50', paidAt: '2025-03-01 20:15:00', product: '明前龙井 250g' }]);
  await customerJoined('customer-wang', { phoneCode: 'dev:13912348000', nickname: '王小姐' });
  await act('customer-wang', 'member', 'member.bindOrder', { orderNo: '3872000011112222333', phoneLast4: '8000' });
}

test('admins and clerks do not see the data buttons; the owner does', async () => {
  await wangWithAnOrder();
  await hireStaff('admin-zhou', '周店长', 'admin');
  await hireStaff('clerk-liu', '刘小二', 'clerk');
  for (const who of ['admin-zhou', 'clerk-liu']) {
    switchPhone(who);
    const page = openPage(MEMBER, { openid: 'customer-wang' });
    await page.waitFor('明前龙井 250g');
    expect(page.text).not.toContain('导出全部数据');
    expect(page.text).not.toContain('删除会员');
  }
  switchPhone(DEMO_OWNER_OPENID);
  const page = openPage(MEMBER, { openid: 'customer-wang' });
  await page.waitFor('导出全部数据');
  expect(page.text).toContain('删除会员');
});

test('the owner confirms, exports the member\'s data and copies the link; the file holds the full phone', async () => {
  await wangWithAnOrder();
  platform.actAs(DEMO_OWNER_OPENID);
  const page = openPage(MEMBER, { openid: 'customer-wang' });
  await page.waitFor('导出全部数据');

  platform.willAnswerModal('cancel');
  await page.tap('导出全部数据');
  expect(platform.modals.pop()).toMatchObject({ title: '导出会员全部数据' });
  expect(page.text).not.toContain('已生成');

  platform.willAnswerModal('confirm');
  await page.tap('导出全部数据');
  await page.waitFor('链接约 1 小时内有效');
  await page.tap('复制下载链接');
  expect(platform.clipboard).toMatch(/\/storage\/exports\/members\/md_[0-9a-f]{20}\/member-data\.json$/);
  const file = JSON.parse((await services().readFile(`local://${decodeURIComponent(platform.clipboard.split('/storage/')[1])}`)).toString('utf8'));
  expect(file.member.profile).toMatchObject({ nickname: '王小姐', phone: '13912348000' });
});

test('the owner erases a member: a reason and the typed words, then the page says it is done', async () => {
  await wangWithAnOrder();
  platform.actAs(DEMO_OWNER_OPENID);
  platform.willAnswerModal('confirm');
  const page = openPage(MEMBER, { openid: 'customer-wang' });
  await page.waitFor('删除会员');

  await page.tap('删除会员');
  await page.type('#erase-reason', '会员来电要求删除');
  await page.type('#erase-confirm', '确认');
  await page.tap('确认删除会员');
  await page.waitFor('请输入「确认删除」以确认');
  expect(await memberDoc('customer-wang')).not.toBeNull();

  await page.type('#erase-confirm', '确认删除');
  await page.tap('确认删除会员');
  await page.waitFor('该会员已删除');
  expect(platform.modals.pop()).toMatchObject({ title: '删除会员' });
  expect(await memberDoc('customer-wang')).toBeNull();
});
