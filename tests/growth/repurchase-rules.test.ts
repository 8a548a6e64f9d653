/** Staff set up repurchase rules: create paused, preview the reach, switch on, edit, pause; guarded and validated. */
import { COLLECTIONS } from '../../database/collections';
import { measure } from '../../local/context';
import { allOf } from '../members/support';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { makeOwner, makeStaff } from '../support/staff';
import { boundOrder, createRule, join, repurchaseCoupon, sh } from './support';

const t = useRuntime();

describe('rules', () => {
  it('an admin creates a rule, which starts paused with a readable summary, then switches it on and off', async () => {
    t.rt.clock.set(sh('2026-03-01 10:00'));
    const owner = await makeOwner(t);
    const admin = await makeStaff(t, owner, 'admin-1', 'admin');
    const tpl = await repurchaseCoupon(t, owner);
    const rule = await createRule(t, admin, {
      name: '龙井 30 天回购',
      trigger: { kind: 'after_order', days: 30, productKeywords: ['龙井', '明前'] },
      templateId: tpl.id,
      reminder: '茶快喝完了吧？送您一张回购券',
    });
    expect(rule).toMatchObject({ status: 'paused', activeSince: null, templateTitle: tpl.title, summary: '订单付款后第 30 天（商品含：龙井、明前）' });

    const on = ok(await t.call(admin, 'growth', 'repurchase.rule.setStatus', { ruleId: rule.id, status: 'active' }, rid()));
    expect(on).toMatchObject({ status: 'active', activeSince: '2026-03-01T02:00:00.000Z' });
    const edited = ok(await t.call(admin, 'growth', 'repurchase.rule.update', { ruleId: rule.id, trigger: { kind: 'after_order', days: 45, productKeywords: [] }, reminder: null }, rid()));
    expect(edited).toMatchObject({ summary: '订单付款后第 45 天', reminder: null, status: 'active' });
    const off = ok(await t.call(admin, 'growth', 'repurchase.rule.setStatus', { ruleId: rule.id, status: 'paused' }, rid()));
    expect(off).toMatchObject({ status: 'paused', activeSince: null });
    expect(ok(await t.call(admin, 'growth', 'repurchase.rule.list', {})).rules).toEqual([off]);
    expect((await allOf<{ action: string }>(COLLECTIONS.auditLog)).map((a) => a.action).filter((a) => a.startsWith('repurchase'))).toEqual([
      'repurchase.rule.create',
      'repurchase.rule.setStatus',
      'repurchase.rule.update',
      'repurchase.rule.setStatus',
    ]);
  });

  it('a retried create makes one rule; the kind of a rule cannot change; a paused coupon cannot be switched on', async () => {
    const owner = await makeOwner(t);
    const tpl = await repurchaseCoupon(t, owner);
    const input = { name: '生日月礼', trigger: { kind: 'birthday_month' as const }, templateId: tpl.id, reminder: null };
    const requestId = rid();
    const [a, b] = await Promise.all([t.call(owner, 'growth', 'repurchase.rule.create', input, requestId), t.call(owner, 'growth', 'repurchase.rule.create', input, requestId)]);
    expect(ok(a).id).toBe(ok(b).id);
    expect(await allOf(COLLECTIONS.repurchaseRules)).toHaveLength(1);

    const kind = errorOf(await t.call(owner, 'growth', 'repurchase.rule.update', { ruleId: ok(a).id, trigger: { kind: 'win_back', days: 30 } }, rid()));
    expect(kind).toMatchObject({ code: 'INVALID_INPUT', fields: [{ path: 'payload.trigger.kind', message: '规则类型不能修改，请新建一条规则' }] });

    ok(await t.call(owner, 'coupon', 'coupon.template.setStatus', { templateId: tpl.id, status: 'paused' }, rid()));
    const paused = errorOf(await t.call(owner, 'growth', 'repurchase.rule.setStatus', { ruleId: ok(a).id, status: 'active' }, rid()));
    expect(paused).toMatchObject({ code: 'CONFLICT', message: '规则的优惠券现在不能发放（该券已暂停发放），请先处理优惠券' });
  });

  it('clerks and customers cannot touch rules; bad input is refused field by field and writes nothing', async () => {
    const owner = await makeOwner(t);
    const clerk = await makeStaff(t, owner, 'clerk-1', 'clerk');
    const tpl = await repurchaseCoupon(t, owner);
    const input = { name: '回购', trigger: { kind: 'win_back' as const, days: 30 }, templateId: tpl.id, reminder: null };
    expect(errorOf(await t.call(clerk, 'growth', 'repurchase.rule.create', input, rid())).code).toBe('FORBIDDEN');
    expect(errorOf(await t.call('customer', 'growth', 'repurchase.rule.list', {})).code).toBe('FORBIDDEN');
    expect(errorOf(await t.call('customer', 'growth', 'repurchase.rule.preview', { rule: input })).code).toBe('FORBIDDEN');

    const { result, cost } = await measure(() =>
      t.raw(owner, 'growth', {
        action: 'repurchase.rule.create',
        requestId: rid(),
        payload: { name: '', trigger: { kind: 'after_order', days: 0, productKeywords: ['x'.repeat(31)] }, templateId: 'tpl_nope', reminder: '这条提醒文案实在是太长了超过了二十个字的限制啊' },
      }),
    );
    const error = errorOf(result);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.fields!.map((f) => f.path).sort()).toEqual([
      'payload.name',
      'payload.reminder',
      'payload.templateId',
      'payload.trigger.days',
      'payload.trigger.productKeywords.0',
    ]);
    expect(cost.writes).toBe(0);
    expect(errorOf(await t.raw(owner, 'growth', { action: 'repurchase.rule.create', requestId: rid(), payload: { ...input, trigger: { kind: 'lottery' } } })).fields).toEqual([
      { path: 'payload.trigger.kind', message: '请选择规则类型：下单后 N 天、生日月、生日当天、沉睡召回或新品试用' },
    ]);
    const missingTemplate = errorOf(await t.call(owner, 'growth', 'repurchase.rule.create', { ...input, templateId: 'tpl_0000000000000000' }, rid()));
    expect(missingTemplate).toMatchObject({ code: 'INVALID_INPUT', fields: [{ path: 'payload.templateId', message: '优惠券不存在，请重新选择' }] });
    expect(errorOf(await t.call(owner, 'growth', 'repurchase.rule.create', input)).fields).toEqual([{ path: 'requestId', message: '此操作需要请求编号（requestId）' }]);
    expect(errorOf(await t.call(owner, 'growth', 'repurchase.rule.preview', {})).code).toBe('INVALID_INPUT');
    expect(await allOf(COLLECTIONS.repurchaseRules)).toEqual([]);
  });
});

describe('preview', () => {
  it('before switching a rule on, staff see how many members it reaches today and in the coming week, and what that cost', async () => {
    t.rt.clock.set(sh('2026-03-01 10:00'));
    const owner = await makeOwner(t);
    const tpl = await repurchaseCoupon(t, owner);
    await join(t, 'a', { birthday: '1990-03-15' });
    await join(t, 'b', { birthday: '1991-03-31' });
    await join(t, 'c', { birthday: '1992-04-02' });
    await join(t, 'd');
    t.rt.clock.set(sh('2026-03-05 10:00'));
    await boundOrder(t, owner, 'a', '2026-03-01 23:30');
    await boundOrder(t, owner, 'a', '2026-03-01 23:40');
    await boundOrder(t, owner, 'b', '2026-03-02 12:00');
    await boundOrder(t, owner, 'c', '2026-03-04 12:00', '白茶饼');

    t.rt.clock.set(sh('2026-03-31 10:00'));
    const draft = (trigger: object) => t.call(owner, 'growth', 'repurchase.rule.preview', { rule: { name: '试算', trigger: trigger as never, templateId: tpl.id, reminder: null } });
    const afterOrder = ok(await draft({ kind: 'after_order', days: 30, productKeywords: ['龙井'] }));
    expect(afterOrder).toMatchObject({ reach: 1, reads: 1, capped: false, note: '今天约 1 位会员到期，未来 7 天共约 2 位（按已绑定的订单估算）' });
    expect(afterOrder.upcoming.slice(0, 3)).toEqual([
      { day: '2026-03-31', members: 1 },
      { day: '2026-04-01', members: 1 },
      { day: '2026-04-02', members: 0 },
    ]);
    expect(ok(await draft({ kind: 'birthday_month' }))).toMatchObject({ reach: 2, reads: 1, upcoming: [] });
    const onTheDay = ok(await draft({ kind: 'birthday_day', daysBefore: 2 }));
    expect(onTheDay).toMatchObject({ reach: 1, reads: 7 });
    expect(onTheDay.upcoming[0]).toEqual({ day: '2026-03-31', members: 1 });
    expect(ok(await draft({ kind: 'win_back', days: 27 }))).toMatchObject({ reach: 1, reads: 7, note: '今天有 1 位会员满 27 天未再下单' });
    expect(ok(await draft({ kind: 'new_product_trial', segment: 'buyer', product: '新品' }))).toMatchObject({ reach: 3, reads: 1 });

    const saved = await createRule(t, owner, { name: '生日月礼', trigger: { kind: 'birthday_month' }, templateId: tpl.id, reminder: null });
    expect(ok(await t.call(owner, 'growth', 'repurchase.rule.preview', { ruleId: saved.id })).reach).toBe(2);
    expect(await allOf(COLLECTIONS.coupons, { 'source.type': 'repurchase' })).toEqual([]);
  });
});
