/**
 * A member's page for staff: where they came from, who serves them, orders, coupons, points, tags
 * and a timeline of what they did; admins tag members, and every tag change is in the audit log.
 */
import { appendEvents } from '../../server/events/log';
import { batchInput, sceneOf } from '../cards/support';
import { createTemplate } from '../coupons/support';
import { joinRequest } from '../members/support';
import { importOrders } from '../orders/support';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { adminTimer, staffedStore } from './support';

const t = useRuntime();

async function memberFromACard() {
  t.rt.clock.set('2026-03-10T02:00:00Z');
  const staff = await staffedStore(t);
  const template = await createTemplate(t, staff.owner, { title: '老客回购券', totalStock: null });
  let batch = ok(await t.call(staff.owner, 'card', 'card.batch.create', batchInput(t, { templateId: template.id, ownerStaffId: staff.clerk, quantity: 20 }), rid('batch')));
  for (let i = 0; batch.status === 'preparing' && i < 10; i++) batch = ok(await t.call(staff.owner, 'card', 'card.batch.prepare', { batchId: batch.id }));
  await importOrders(t, staff.owner, [{ orderNo: '3872000011112222333', phone: '13912348000', amount: '128.50', paidAt: '2026-03-01 20:15:00', product: '明前龙井' }]);
  const scene = await sceneOf(batch.id, 12);
  ok(await t.call('c-wang', 'card', 'card.scan', { scene }));
  t.rt.clock.set('2026-03-10T02:01:00Z');
  ok(await t.call('c-wang', 'member', 'member.join', joinRequest({ scene, phoneCode: 'dev:13912348000', nickname: '王小姐' }), rid('join')));
  t.rt.clock.set('2026-03-10T03:00:00Z');
  ok(await t.call('c-wang', 'member', 'member.bindOrder', { orderNo: '3872000011112222333', phoneLast4: '8000' }, rid('bind')));
  return { staff, batch };
}

test('a clerk opens a member: source, serving staff, orders, coupons, points and the timeline, phone masked', async () => {
  const { staff } = await memberFromACard();
  const page = ok(await t.call(staff.clerk, 'admin', 'member.page', { openid: 'c-wang' }));
  expect(page.member).toMatchObject({ nickname: '王小姐', phoneMasked: '139****8000', orders: 1, spentFen: 12850, points: 128, source: '包裹卡 · 淘宝', segments: [{ key: 'buyer', label: '购买用户' }] });
  expect(page.source).toEqual({ label: '包裹卡 · 淘宝', detail: '明前龙井 250g（淘宝） No.000012' });
  expect(page.staff).toEqual({ openid: staff.clerk, name: `员工${staff.clerk}` });
  expect(page.orders.map((o) => [o.orderNo, o.amountFen])).toEqual([['3872000011112222333', 12850]]);
  expect(page.coupons).toEqual([expect.objectContaining({ title: '老客回购券', benefit: '满99减20', state: 'available', redeemedAt: null })]);
  expect(page.points.recent.map((p) => p.delta)).toEqual([128]);
  const titles = page.timeline.map((e) => e.title);
  expect([titles[0], titles.slice(1, 3).sort(), titles[3]]).toEqual(['绑定订单', ['加入会员', '领取包裹卡福利'], '扫码打开包裹卡']); // the join's two share an instant
  expect(page.timeline[0]).toMatchObject({ detail: '淘宝/天猫 3872000011112222333', amountFen: 12850 });
  expect(JSON.stringify(page)).not.toContain('13912348000');
});

test('the timeline pages back in time without losing events that share an instant', async () => {
  const { staff } = await memberFromACard();
  for (let i = 0; i < 12; i++) {
    // Each call records two events at the same instant.
    await appendEvents(
      [
        { type: 'group_join', openid: 'c-wang', ref: `g-${i}` },
        { type: 'group_complete', openid: 'c-wang', ref: `g-${i}` },
      ],
      new Date(Date.parse('2026-03-09T00:00:00Z') + i * 60_000),
    );
  }
  const seen: string[] = [];
  let page = ok(await t.call(staff.clerk, 'admin', 'member.page', { openid: 'c-wang' }));
  seen.push(...page.timeline.map((e) => `${e.type}@${e.at}`));
  let before = page.nextBefore;
  while (before) {
    const next = ok(await t.call(staff.clerk, 'admin', 'member.timeline', { openid: 'c-wang', before }));
    seen.push(...next.timeline.map((e) => `${e.type}@${e.at}`));
    before = next.nextBefore;
  }
  expect(seen).toHaveLength(4 + 24);
  expect(new Set(seen).size).toBe(28);
});

test('an admin tags a member; the change is audited; a clerk may read tags but not change them', async () => {
  const { staff } = await memberFromACard();
  const requestId = rid('tags');
  expect(ok(await t.call(staff.admin, 'admin', 'member.tags.set', { openid: 'c-wang', tags: [' 茶艺爱好者 ', '企业采购', '茶艺爱好者'] }, requestId))).toEqual({ tags: ['茶艺爱好者', '企业采购'] });
  // The same change again (a retry) records nothing more.
  ok(await t.call(staff.admin, 'admin', 'member.tags.set', { openid: 'c-wang', tags: ['茶艺爱好者', '企业采购'] }, requestId));

  const { entries } = ok(await t.call(staff.owner, 'admin', 'audit.list', { target: 'members/c-wang' }));
  expect(entries).toEqual([expect.objectContaining({ actor: staff.admin, action: 'member.tags.set', before: [], after: ['茶艺爱好者', '企业采购'] })]);

  await adminTimer(t);
  const page = ok(await t.call(staff.clerk, 'admin', 'member.page', { openid: 'c-wang' }));
  expect(page.member.tags).toEqual(['茶艺爱好者', '企业采购']);
  expect(page.knownTags).toEqual(['企业采购', '茶艺爱好者']);
  expect(errorOf(await t.call(staff.clerk, 'admin', 'member.tags.set', { openid: 'c-wang', tags: [] }, rid('tags'))).code).toBe('FORBIDDEN');
  expect(errorOf(await t.call(staff.clerk, 'admin', 'audit.list', {})).code).toBe('FORBIDDEN');
});

test('tags that would break a spreadsheet or are too many are refused with the reason', async () => {
  const { staff } = await memberFromACard();
  const tooLong = errorOf(await t.call(staff.admin, 'admin', 'member.tags.set', { openid: 'c-wang', tags: ['一二三四五六七八九十一二三'] }, rid('tags')));
  expect(tooLong.fields).toEqual([{ path: 'payload.tags.0', message: '每个标签最多 12 个字' }]);
  const comma = errorOf(await t.call(staff.admin, 'admin', 'member.tags.set', { openid: 'c-wang', tags: ['a,b'] }, rid('tags')));
  expect(comma.fields?.[0].message).toBe('标签不能包含逗号、分号或不可见字符');
  const many = errorOf(await t.call(staff.admin, 'admin', 'member.tags.set', { openid: 'c-wang', tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, rid('tags')));
  expect(many.fields?.[0].message).toBe('每位会员最多 10 个标签');
  expect(errorOf(await t.call(staff.admin, 'admin', 'member.page', { openid: 'nobody' })).code).toBe('NOT_FOUND');
});
