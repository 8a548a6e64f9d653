/** Staff make card batches: what a batch reserves, who may make one, and bad input. */
import { COLLECTIONS } from '../../database/collections';
import { measure } from '../../local/context';
import { PREPARE_STEP } from '../../server/cards/batches';
import { DEFAULT_LETTER } from '../../server/cards/letter';
import { getDb } from '../../server/runtime/db';
import type { ApiResult } from '../../typings';
import { createTemplate, issuedOf } from '../coupons/support';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { makeOwner, makeStaff } from '../support/staff';
import { batchInput, dayAfter, LETTER, storeWithBatch } from './support';

const t = useRuntime();

async function countOf(collection: string, where: object = {}): Promise<number> {
  return (await getDb().collection(collection).where(where).count()).total;
}

describe('making a batch', () => {
  it('an admin makes a batch of 8 cards with a 满99减20 benefit: one coupon reserved per card, invisible to general claims', async () => {
    const { owner, template, batch } = await storeWithBatch(t, { quantity: 8, ownerStaffId: null });
    expect(batch).toMatchObject({
      channel: 'taobao',
      channelName: '淘宝',
      product: '明前龙井 250g',
      quantity: 8,
      letter: LETTER,
      benefit: { templateId: template.id, title: '老客回购券', line: '满99减20' },
      status: 'active',
      expired: false,
      prepared: 8,
      claimed: 0,
    });
    expect(batch.id).toMatch(/^[0-9a-z]{7}$/);
    expect(await countOf(COLLECTIONS.coupons, { reservedTemplateId: template.id, state: 'reserved' })).toBe(8);
    // The template's own numbers do not move: the reserved coupons belong to the cards.
    const [listed] = ok(await t.call(owner, 'coupon', 'coupon.template.list', {})).templates;
    expect(listed).toMatchObject({ issued: 0 });
    expect(await issuedOf(template.id)).toHaveLength(0);
  });

  it('a retried create (same request id) makes nothing twice', async () => {
    const owner = await makeOwner(t);
    const template = await createTemplate(t, owner, { totalStock: null });
    const requestId = rid('batch');
    const input = batchInput(t, { templateId: template.id, quantity: 5 });
    const [a, b] = await Promise.all([t.call(owner, 'card', 'card.batch.create', input, requestId), t.call(owner, 'card', 'card.batch.create', input, requestId)]);
    expect(ok(a).id).toBe(ok(b).id);
    const again = ok(await t.call(owner, 'card', 'card.batch.create', input, requestId));
    expect(again).toMatchObject({ id: ok(a).id, prepared: 5, status: 'active' });
    expect(await countOf(COLLECTIONS.cardBatches)).toBe(1);
    expect(await countOf(COLLECTIONS.coupons, { reservedTemplateId: template.id })).toBe(5);
  });

  it('a batch without a benefit only invites into the community, and the letter defaults to the founder letter', async () => {
    const owner = await makeOwner(t);
    const { letter: _omit, ...input } = batchInput(t, { channel: 'offline', product: '门店自提' });
    const batch = ok(await t.call(owner, 'card', 'card.batch.create', input, rid()));
    expect(batch).toMatchObject({ channelName: '线下', benefit: null, status: 'active', prepared: 0, letter: DEFAULT_LETTER });
    const listed = ok(await t.call(owner, 'card', 'card.batch.list', {}));
    expect(listed.defaultLetter).toBe(DEFAULT_LETTER);
    expect(listed.batches.map((b) => b.id)).toEqual([batch.id]);
  });

  it(`a batch larger than one step (${PREPARE_STEP} cards) is prepared in steps and cannot be exported before it is ready`, async () => {
    const owner = await makeOwner(t);
    const template = await createTemplate(t, owner, { totalStock: null });
    const first = ok(await t.call(owner, 'card', 'card.batch.create', batchInput(t, { templateId: template.id, quantity: PREPARE_STEP + 20 }), rid()));
    expect(first).toMatchObject({ status: 'preparing', prepared: PREPARE_STEP });
    expect(errorOf(await t.call(owner, 'card', 'card.export.start', { batchId: first.id }, rid())).code).toBe('CONFLICT');
    const done = ok(await t.call(owner, 'card', 'card.batch.prepare', { batchId: first.id }, rid()));
    expect(done).toMatchObject({ status: 'active', prepared: PREPARE_STEP + 20 });
    expect(await countOf(COLLECTIONS.coupons, { reservedTemplateId: template.id, state: 'reserved' })).toBe(PREPARE_STEP + 20);
  }, 60_000);

  it('the list shows claimed and redeemed counts per batch', async () => {
    const { owner, batch } = await storeWithBatch(t, { quantity: 3 });
    const [view] = ok(await t.call(owner, 'card', 'card.batch.list', {})).batches;
    expect(view).toMatchObject({ id: batch.id, quantity: 3, prepared: 3, claimed: 0, redeemed: 0 });
  });

  it('an owner staff member must be active staff', async () => {
    const owner = await makeOwner(t);
    const clerk = await makeStaff(t, owner, 'clerk-zhang', 'clerk');
    const batch = ok(await t.call(owner, 'card', 'card.batch.create', batchInput(t, { ownerStaffId: clerk }), rid()));
    expect(batch.ownerStaffId).toBe(clerk);
    const error = errorOf(await t.call(owner, 'card', 'card.batch.create', batchInput(t, { ownerStaffId: 'stranger' }), rid()));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', fields: [{ path: 'payload.ownerStaffId', message: '这位员工不存在或已离职' }] });
  });
});

describe('who may make, export and revoke batches', () => {
  it('customers and clerks are refused and nothing is written', async () => {
    const { owner, batch } = await storeWithBatch(t, { quantity: 2 });
    const clerk = await makeStaff(t, owner, 'clerk-li', 'clerk');
    for (const who of ['customer-1', clerk]) {
      const attempts: (() => Promise<ApiResult<unknown>>)[] = [
        () => t.call(who, 'card', 'card.batch.create', batchInput(t), rid()),
        () => t.call(who, 'card', 'card.export.start', { batchId: batch.id }, rid()),
        () => t.call(who, 'card', 'card.batch.revoke', { batchId: batch.id, reason: '试试' }, rid()),
      ];
      for (const attempt of attempts) {
        const { result, cost } = await measure(attempt);
        expect(errorOf(result).code).toBe('FORBIDDEN');
        expect(cost.writes).toBe(0);
      }
    }
    expect(errorOf(await t.call('customer-1', 'card', 'card.batch.list', {})).code).toBe('FORBIDDEN');
    // The 包裹卡 area is the admins' (AREA_ROLES.cards): a clerk does not read the batches either.
    expect(errorOf(await t.call(clerk, 'card', 'card.batch.list', {})).code).toBe('FORBIDDEN');
    expect(await countOf(COLLECTIONS.cardBatches)).toBe(1);
    expect(await countOf(COLLECTIONS.cardExports)).toBe(0);
  });
});

describe('bad input is refused field by field, and nothing is written', () => {
  const cases: [string, (t: Parameters<typeof batchInput>[0]) => object, string, string][] = [
    ['no cards', (t) => batchInput(t, { quantity: 0 }), 'payload.quantity', '至少 1 张卡片'],
    ['too many cards', (t) => batchInput(t, { quantity: 50_001 }), 'payload.quantity', '一批最多 50000 张卡片'],
    ['a fraction of a card', (t) => batchInput(t, { quantity: 2.5 }), 'payload.quantity', '卡片数量须为整数'],
    ['an unknown channel', (t) => ({ ...batchInput(t), channel: 'wechat' }), 'payload.channel', '请选择渠道：淘宝、京东、拼多多、抖音、线下或其他'],
    ['an empty product', (t) => batchInput(t, { product: '  ' }), 'payload.product', '请填写商品或备注'],
    ['a letter too long to print', (t) => batchInput(t, { letter: '谢'.repeat(241) }), 'payload.letter', '感谢信最多 240 个字，印在卡片上要简短'],
    ['a date that does not exist', (t) => batchInput(t, { validUntil: '2026-02-30' }), 'payload.validUntil', '领取截止日期须为有效日期，格式 YYYY-MM-DD'],
    ['a last day in the past', (t) => batchInput(t, { validUntil: dayAfter(t, -1) }), 'payload.validUntil', '领取截止日期不能早于今天'],
    ['a malformed template id', (t) => batchInput(t, { templateId: 'coupon-1' }), 'payload.templateId', '优惠券编号无效'],
    ['an unknown template', (t) => batchInput(t, { templateId: 'tpl_0000000000000000' }), 'payload.templateId', '找不到这张优惠券'],
    ['an extra field', (t) => ({ ...batchInput(t), price: 1 }), 'payload', ''],
  ];

  it.each(cases)('%s', async (_label, input, path, message) => {
    const owner = await makeOwner(t);
    const { result, cost } = await measure(() => t.call(owner, 'card', 'card.batch.create', input(t) as never, rid()));
    const error = errorOf(result);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.fields).toEqual(expect.arrayContaining([expect.objectContaining({ path, ...(message ? { message } : {}) })]));
    expect(cost.writes).toBe(0);
    expect(await countOf(COLLECTIONS.cardBatches)).toBe(0);
  });

  it('a paused coupon, or a last day after a fixed-date coupon ends, is refused', async () => {
    const owner = await makeOwner(t);
    const paused = await createTemplate(t, owner);
    ok(await t.call(owner, 'coupon', 'coupon.template.setStatus', { templateId: paused.id, status: 'paused' }, rid()));
    expect(errorOf(await t.call(owner, 'card', 'card.batch.create', batchInput(t, { templateId: paused.id }), rid()))).toMatchObject({
      code: 'INVALID_INPUT',
      fields: [{ path: 'payload.templateId', message: '这张券已暂停发放，请先恢复' }],
    });
    const fixed = await createTemplate(t, owner, { validity: { type: 'fixed', startDate: dayAfter(t, 0), endDate: dayAfter(t, 30) } });
    const error = errorOf(await t.call(owner, 'card', 'card.batch.create', batchInput(t, { templateId: fixed.id, validUntil: dayAfter(t, 31) }), rid()));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', fields: [{ path: 'payload.validUntil', message: `领取截止日期不能晚于优惠券的结束日期 ${dayAfter(t, 30)}` }] });
    expect(await countOf(COLLECTIONS.cardBatches)).toBe(0);
  });
});
