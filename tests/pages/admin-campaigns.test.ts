/** 活动 and 操作记录 (admin subpackage): the list of every campaign, making one and pausing it, and the audit log. */
import { DEMO_OWNER_OPENID } from '../../local/seed';
import { CAMPAIGN, everyDocument, fills, ownerStartsNew, pickCoupon } from './support/campaigns';
import { ownerAddsGroup, ownerCreatesEntry } from './support/community';
import { ownerCreatesCoupon, sentActions } from './support/coupons';
import { ownerStartsGroupBuy } from './support/groupbuy';
import { openPage, switchPhone, until } from './support/pages';
import { follow, hireStaff } from './support/story';
import { platform } from './support/wechat';

const LIST = 'admin/pages/campaigns/index';

test('the owner sees every campaign with its status and filters them by kind; an empty kind says so', async () => {
  await ownerCreatesCoupon({ title: '老客回购券' });
  platform.actAs(DEMO_OWNER_OPENID);
  const page = openPage(LIST);
  await page.waitFor('老客回购券');
  expect(page.text).toContain('进行中');
  expect(page.text).toContain('优惠券 · 满99减20');
  expect(page.text).toContain('已领 0 · 剩余 100 · 已核销 0');

  await page.tap('拼团');
  await page.waitFor('还没有活动');
  expect(page.text).not.toContain('老客回购券');
  await page.tap('优惠券');
  await page.waitFor('老客回购券');
});

test('when the list cannot be loaded it says so, and 重试 loads it', async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  await ownerCreatesCoupon({ title: '老客回购券' });
  platform.actAs(DEMO_OWNER_OPENID);
  const page = openPage(LIST);
  await page.waitFor('老客回购券');
  platform.goOffline();
  await page.tap('全部');
  await page.waitFor('网络不稳定，请稍后重试');
  platform.goOnline();
  await page.tap('重试');
  await page.waitFor('老客回购券');
});

test('the owner creates a community entry from the tab, then pauses it after confirming', async () => {
  const form = await ownerStartsNew('社群入口');
  await form.waitFor('入口名称');
  await form.tap('创建');
  await form.waitFor('请填写入口名称');
  expect(form.textOf('#e-name')).toBe('请填写入口名称');

  await fills(form, { name: '春茶群', welcome: '群里每周三有茶友价' });
  await form.tap('创建');
  await form.waitFor('修改活动');
  expect(form.text).toContain('春茶群 进行中');

  platform.willAnswerModal('confirm');
  await form.tap('暂停');
  await form.waitFor('已暂停');
  expect(platform.modals.pop()).toMatchObject({ title: '暂停活动', confirmText: '暂停' });

  const again = openPage(LIST);
  await again.waitFor('春茶群');
  expect(again.text).toContain('已暂停');
  expect(again.text).toContain('恢复');
});

test('a clerk sees the campaigns but cannot change them', async () => {
  await ownerCreatesCoupon({ title: '老客回购券' });
  await hireStaff('clerk-liu', '刘小二', 'clerk');
  switchPhone('clerk-liu');
  const page = openPage(LIST);
  await page.waitFor('老客回购券');
  expect(page.text).toContain('你可以查看和预览活动');
  expect(page.text).not.toContain('新建活动');
  expect(page.text).not.toContain('暂停');
});

test('the audit log shows who changed what, with before and after; a clerk may not open it', async () => {
  const coupon = await ownerCreatesCoupon({ title: '老客回购券' });
  platform.actAs(DEMO_OWNER_OPENID);
  const list = openPage(LIST);
  await list.waitFor('老客回购券');
  platform.willAnswerModal('confirm');
  await list.tap('暂停');
  await list.waitFor('已暂停');

  const audit = openPage('admin/pages/audit/index');
  await audit.waitFor('优惠券状态');
  expect(audit.text).toContain('改前：{"status":"active"}');
  expect(audit.text).toContain('改后：{"status":"paused"}');
  expect(audit.text).toContain(`couponTemplates/${coupon.id}`);
  expect(audit.text).toContain('新建优惠券');

  await hireStaff('clerk-liu', '刘小二', 'clerk');
  switchPhone('clerk-liu');
  const denied = openPage('admin/pages/audit/index');
  await until(() => denied.text.includes('没有权限'), () => denied.text);
});

test('an empty title or a bad number is shown next to its field, and nothing is written', async () => {
  await ownerCreatesCoupon({ title: '回购券', publicClaim: false });
  const before = await everyDocument();
  const form = await ownerStartsNew('优惠券');
  await form.waitFor('券名称');
  await form.type('#f-amountOff', '2O');
  await form.tap('创建');
  await form.waitFor('请按红字提示修改后再提交');
  expect(form.textOf('#e-amountOff')).toBe('请填写金额，如 20 或 19.9');
  expect(sentActions('coupon.template.create')).toHaveLength(0);

  await form.type('#f-amountOff', '20');
  expect(form.text).not.toContain('请填写金额');
  await fills(form, { threshold: '99', perMemberLimit: '0', validDays: '7' });
  await form.tap('创建');
  await form.waitFor('请填写券名称');
  expect(form.textOf('#e-title')).toBe('请填写券名称');
  expect(form.textOf('#e-rules')).toBe('请填写使用规则');
  expect(form.textOf('#e-perMemberLimit')).toBe('每人至少可领 1 张');
  expect(sentActions('coupon.template.create')).toHaveLength(1);

  await form.tap('复购规则');
  await form.waitFor('订单付款后第几天发券');
  await fills(form, { name: '龙井 30 天回购', orderDays: '0' });
  await form.tap('创建');
  await form.waitFor('请选择发放的优惠券');
  expect(form.textOf('#e-templateId')).toBe('请选择发放的优惠券');
  await pickCoupon(form, '#f-templateId', '回购券');
  await form.tap('创建');
  await form.waitFor('下单后天数至少 1 天');
  expect(form.textOf('#e-orderDays')).toBe('下单后天数至少 1 天');
  expect(form.text).not.toContain('修改活动');
  expect(await everyDocument()).toEqual(before);
});

test('a running coupon edited to an empty title says so next to the title and keeps its name', async () => {
  const coupon = await ownerCreatesCoupon({ title: '老客回购券' });
  platform.actAs(DEMO_OWNER_OPENID);
  const page = openPage(CAMPAIGN, { type: 'coupon', id: coupon.id });
  await page.waitFor('修改活动');
  expect(page.text).toContain('减免金额（元） 20（上线后不可改）');
  await page.type('#f-title', ' ');
  await page.tap('保存修改');
  await page.waitFor('请填写券名称');
  expect(page.textOf('#e-title')).toBe('请填写券名称');
  expect(page.text).toContain('老客回购券 进行中');

  await fills(page, { title: '老客回购券（春）', perMemberLimit: '2' });
  await page.tap('保存修改');
  await page.waitFor('老客回购券（春） 进行中');
  expect(page.text).not.toContain('请填写券名称');
});

test('previews show what the customer would see and change no document', async () => {
  const coupon = await ownerCreatesCoupon({ title: '春茶券', startsAt: '2025-03-09T10:00:00+08:00' });
  const entry = await ownerCreatesEntry('春茶群', '群里每周三有茶友价');
  await ownerAddsGroup(entry.id, '茶友 1 群');
  const groupbuy = await ownerStartsGroupBuy();
  platform.actAs(DEMO_OWNER_OPENID);
  const before = await everyDocument();

  const couponPage = openPage(CAMPAIGN, { type: 'coupon', id: coupon.id });
  await couponPage.waitFor('春茶券 未开始');
  await couponPage.tap('预览顾客看到的页面');
  await couponPage.waitFor('顾客看到：');
  expect(couponPage.textOf('.preview')).toMatch(/^顾客看到 春茶券 满99减20 顾客看到：.*开始/);

  const entryPage = openPage(CAMPAIGN, { type: 'community', id: entry.id });
  await entryPage.waitFor('春茶群 进行中');
  await entryPage.tap('预览顾客看到的页面');
  await entryPage.waitFor('群二维码：茶友 1 群');
  expect(entryPage.textOf('.preview')).toContain('群里每周三有茶友价');

  const groupPage = openPage(CAMPAIGN, { type: 'groupbuy', id: groupbuy.id });
  await groupPage.waitFor('明前龙井 3 人团 进行中');
  await groupPage.tap('预览顾客看到的页面');
  await groupPage.waitFor('顾客可以开团');

  expect(await everyDocument()).toEqual(before);
});
