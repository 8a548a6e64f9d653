/** Staff set up coupons: templates, their stock, pausing and ending, with every change in the audit log. */
import { COLLECTIONS } from '../../database/collections';
import { createSlots, templateIdFor, topUpTag } from '../../server/coupons/templates';
import { getDb } from '../../server/runtime/db';
import type { CouponTemplateInput } from '../../typings';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { makeOwner, makeStaff } from '../support/staff';
import { createTemplate, freeSlotsOf, template } from './support';

const t = useRuntime();

async function auditActions(): Promise<string[]> {
  const res = await getDb().collection(COLLECTIONS.auditLog).orderBy('at', 'asc').limit(100).get();
  return (res.data as { action: string }[]).map((e) => e.action);
}

function fieldsOf(result: Awaited<ReturnType<typeof t.call>>): Record<string, string> {
  const error = errorOf(result);
  expect(error.code).toBe('INVALID_INPUT');
  return Object.fromEntries((error.fields ?? []).map((f) => [f.path, f.message]));
}

describe('coupon templates', () => {
  it('an admin creates each kind of coupon and staff see them listed, newest first, with their stock', async () => {
    const owner = await makeOwner(t);
    const clerk = await makeStaff(t, owner, 'clerk-1', 'clerk');
    const kinds: Partial<CouponTemplateInput>[] = [
      { title: '满99减20' },
      { title: '全场8.5折', kind: 'percent_off', amountOffFen: undefined, thresholdFen: undefined, payPercent: 85, maxDiscountFen: 3000 },
      { title: '下单赠小菜', kind: 'gift', amountOffFen: undefined, thresholdFen: undefined, giftName: '小菜一份', totalStock: null },
      { title: '5元无门槛', kind: 'cash', amountOffFen: 500, thresholdFen: undefined, validity: { type: 'fixed', startDate: '2026-03-01', endDate: '2026-03-31' } },
    ];
    t.rt.clock.set('2026-03-01T02:00:00Z');
    for (const k of kinds) {
      await createTemplate(t, owner, k);
      t.rt.clock.advance(1000);
    }
    const { templates } = ok(await t.call(clerk, 'coupon', 'coupon.template.list', {}));
    expect(templates.map((x) => [x.title, x.kind, x.remaining])).toEqual([
      ['5元无门槛', 'cash', 100],
      ['下单赠小菜', 'gift', null],
      ['全场8.5折', 'percent_off', 100],
      ['满99减20', 'amount_off', 100],
    ]);
    expect(templates[1]).not.toHaveProperty('amountOffFen');
    expect((await auditActions()).sort()).toEqual([...Array(4).fill('coupon.template.create'), 'staff.bootstrapOwner', 'staff.join']);
  });

  it('says in Chinese which field is wrong, including rules that span fields, and creates nothing', async () => {
    const owner = await makeOwner(t);
    const call = (input: object) => t.call(owner, 'coupon', 'coupon.template.create', input as CouponTemplateInput, rid());

    expect(fieldsOf(await call(template({ kind: 'percent_off', amountOffFen: undefined, thresholdFen: undefined })))).toEqual({
      'payload.payPercent': '请填写折扣（1–99，85 表示 8.5 折）',
      'payload.maxDiscountFen': '请填写最高优惠金额',
    });
    expect(fieldsOf(await call(template({ thresholdFen: undefined })))).toEqual({ 'payload.thresholdFen': '满减券需要使用门槛；没有门槛请选择无门槛券' });
    expect(fieldsOf(await call(template({ amountOffFen: 20000 })))).toEqual({ 'payload.amountOffFen': '减免金额不能超过使用门槛' });
    expect(fieldsOf(await call(template({ kind: 'cash', thresholdFen: 100 })))).toEqual({ 'payload.thresholdFen': '无门槛券不使用这一项，请删除' });
    expect(fieldsOf(await call(template({ amountOffFen: 19.9 })))['payload.amountOffFen']).toBe('减免金额须为整数（单位：分）');
    expect(fieldsOf(await call(template({ validity: { type: 'fixed', startDate: '2026-02-30', endDate: '2026-03-01' } })))).toEqual({
      'payload.validity.startDate': '开始日期须为有效日期，格式 YYYY-MM-DD',
    });
    expect(fieldsOf(await call(template({ validity: { type: 'fixed', startDate: '2026-03-05', endDate: '2026-03-01' } })))).toEqual({
      'payload.validity.endDate': '结束日期不能早于开始日期',
    });
    t.rt.clock.set('2026-04-01T00:00:00Z');
    expect(fieldsOf(await call(template({ validity: { type: 'fixed', startDate: '2026-03-01', endDate: '2026-03-31' } })))).toEqual({
      'payload.validity.endDate': '结束日期已经过去，请重新选择',
    });
    expect(fieldsOf(await call(template({ totalStock: 0, perMemberLimit: 0 })))).toEqual({
      'payload.totalStock': '库存至少 1 张',
      'payload.perMemberLimit': '每人至少可领 1 张',
    });
    expect(fieldsOf(await call({ ...template(), isAdmin: true }))['payload']).toBeDefined();
    const { total } = await getDb().collection(COLLECTIONS.couponTemplates).count();
    expect(total).toBe(0);
    expect(await getDb().collection(COLLECTIONS.coupons).count()).toMatchObject({ total: 0 });
  });

  it('clerks may look but not create, and customers reach none of it', async () => {
    const owner = await makeOwner(t);
    const clerk = await makeStaff(t, owner, 'clerk-2', 'clerk');
    expect(errorOf(await t.call(clerk, 'coupon', 'coupon.template.create', template(), rid())).code).toBe('FORBIDDEN');
    expect(errorOf(await t.call('customer', 'coupon', 'coupon.template.list', {})).code).toBe('FORBIDDEN');
  });

  it('a retried create returns the same template and makes no second stock', async () => {
    const owner = await makeOwner(t);
    const requestId = rid();
    const first = ok(await t.call(owner, 'coupon', 'coupon.template.create', template({ totalStock: 30 }), requestId));
    const again = ok(await t.call(owner, 'coupon', 'coupon.template.create', template({ totalStock: 30 }), requestId));
    expect(again.id).toBe(first.id);
    expect(await freeSlotsOf(first.id)).toBe(30);
  });

  it('a create that crashed halfway through making its stock is finished by the retry, with exactly the stock asked for', async () => {
    const owner = await makeOwner(t);
    const requestId = rid();
    const id = templateIdFor(owner, requestId);
    const at = new Date(t.rt.clock.now());
    // The crashed attempt had made 700 of 1,200 slots (two batches) and no template yet: nobody
    // can claim from half-made stock.
    await createSlots(id, 'c', 700, at);
    expect(errorOf(await t.call('shopper', 'coupon', 'coupon.claim', { templateId: id }, rid())).code).toBe('NOT_FOUND');
    const finished = ok(await t.call(owner, 'coupon', 'coupon.template.create', template({ totalStock: 1200 }), requestId));
    expect(finished).toMatchObject({ id, remaining: 1200, issued: 0 });
    expect(await freeSlotsOf(id)).toBe(1200);
  });

  it('an admin tops up stock; a retried top-up adds nothing twice, even after a crash between its steps', async () => {
    const owner = await makeOwner(t);
    const tpl = await createTemplate(t, owner, { totalStock: 10 });
    const requestId = rid();
    const topped = ok(await t.call(owner, 'coupon', 'coupon.template.topUp', { templateId: tpl.id, quantity: 5 }, requestId));
    expect(topped).toMatchObject({ totalStock: 15, remaining: 15 });
    expect(ok(await t.call(owner, 'coupon', 'coupon.template.topUp', { templateId: tpl.id, quantity: 5 }, requestId))).toMatchObject({
      totalStock: 15,
      remaining: 15,
    });

    // A second top-up whose slots were made but whose total was never raised.
    const crashed = rid();
    await createSlots(tpl.id, topUpTag(crashed), 7, new Date(t.rt.clock.now()));
    expect(ok(await t.call(owner, 'coupon', 'coupon.template.topUp', { templateId: tpl.id, quantity: 7 }, crashed))).toMatchObject({
      totalStock: 22,
      remaining: 22,
    });
    expect((await auditActions()).sort()).toEqual(['coupon.template.create', 'coupon.template.topUp', 'coupon.template.topUp', 'staff.bootstrapOwner']);
  });

  it('unlimited coupons need no top-up and stock has a ceiling', async () => {
    const owner = await makeOwner(t);
    const unlimited = await createTemplate(t, owner, { totalStock: null });
    expect(errorOf(await t.call(owner, 'coupon', 'coupon.template.topUp', { templateId: unlimited.id, quantity: 5 }, rid()))).toMatchObject({
      code: 'CONFLICT',
      message: '不限量的券无需补充库存',
    });
    const limited = await createTemplate(t, owner, { totalStock: 99_990 });
    const error = errorOf(await t.call(owner, 'coupon', 'coupon.template.topUp', { templateId: limited.id, quantity: 11 }, rid()));
    expect(error.fields).toEqual([{ path: 'payload.quantity', message: '总库存最多 100000 张，最多还能补充 10 张' }]);
  }, 60_000);

  it('pausing, resuming and ending are logged; an ended template stays ended', async () => {
    const owner = await makeOwner(t);
    const tpl = await createTemplate(t, owner);
    const setStatus = (status: 'active' | 'paused' | 'ended') =>
      t.call(owner, 'coupon', 'coupon.template.setStatus', { templateId: tpl.id, status }, rid());
    expect(ok(await setStatus('paused')).status).toBe('paused');
    expect(ok(await setStatus('active')).status).toBe('active');
    expect(ok(await setStatus('ended')).status).toBe('ended');
    expect(errorOf(await setStatus('active'))).toMatchObject({ code: 'CONFLICT', message: '已结束的券不能重新开启，请新建一张券' });
    const { templates } = ok(await t.call(owner, 'coupon', 'coupon.template.list', { status: 'ended' }));
    expect(templates.map((x) => x.id)).toEqual([tpl.id]);
    const log = await getDb().collection(COLLECTIONS.auditLog).where({ action: 'coupon.template.setStatus' }).orderBy('at', 'asc').get();
    expect((log.data as { after: { status: string } }[]).map((e) => e.after.status)).toEqual(['paused', 'active', 'ended']);
  });
});
