/**
 * 活动 in the admin tab: every kind of campaign is created, edited, scheduled (customers are turned
 * away before its start and served after), paused, resumed and ended, and the one list shows each
 * with its status. Every change leaves an audit entry with what it was before and after.
 */
import { COLLECTIONS } from '../../database/collections';
import { getDb } from '../../server/runtime/db';
import type { ApiResult, CampaignRow, CampaignStatus, CampaignType } from '../../typings';
import { sceneOf } from '../cards/support';
import { addGroup } from '../community/support';
import { createTemplate } from '../coupons/support';
import { addMembers, campaignInput } from '../groupbuy/support';
import { joinAs } from '../members/support';
import { campaign as inviteInput, join as joinGrowth, runDoc, runToEnd } from '../growth/support';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { staffedStore, type Staffed } from './support';

const t = useRuntime();

/** 10:00 on 10 March 2026, Shanghai. */
const START = '2026-03-10T10:00:00+08:00';
const TOMORROW_10 = '2026-03-11T10:00:00+08:00';

async function row(staff: string, type: CampaignType, id: string): Promise<CampaignRow> {
  return ok(await t.call(staff, 'admin', 'campaign.get', { type, id })).row;
}

async function command(staff: string, type: CampaignType, id: string, cmd: 'pause' | 'resume' | 'end'): Promise<CampaignRow> {
  return ok(await t.call(staff, 'admin', 'campaign.setStatus', { type, id, command: cmd }, rid(cmd)));
}

/** Pause, resume and end from the tab, checking the status the list shows after each. */
async function lifecycle(staff: string, type: CampaignType, id: string, between?: (status: CampaignStatus) => Promise<void>): Promise<void> {
  expect((await command(staff, type, id, 'pause')).status).toBe('paused');
  await between?.('paused');
  expect((await command(staff, type, id, 'resume')).status).toBe('active');
  await between?.('active');
  const ended = await command(staff, type, id, 'end');
  expect(ended).toMatchObject({ status: 'ended', can: { edit: false, pause: false, resume: false, end: false, topUp: false } });
  await between?.('ended');
}

const actions = (entries: { action: string }[]): string[] => entries.map((e) => e.action).sort();

async function auditOf(targetPrefix: string): Promise<{ action: string; before: unknown; after: unknown; actor: string }[]> {
  const res = await getDb().collection(COLLECTIONS.auditLog).orderBy('at', 'asc').limit(100).get();
  return (res.data as { action: string; target: string; before: unknown; after: unknown; actor: string }[]).filter((e) => e.target.endsWith(targetPrefix));
}

let staff: Staffed;
beforeEach(async () => {
  t.rt.clock.set(START);
  staff = await staffedStore(t);
});

test('a coupon scheduled for tomorrow cannot be claimed today, can tomorrow, and is paused, topped up and ended from the tab', async () => {
  const coupon = await createTemplate(t, staff.admin, { title: '春茶券', totalStock: 10, startsAt: TOMORROW_10 });
  expect(await row(staff.admin, 'coupon', coupon.id)).toMatchObject({ status: 'scheduled', statusLabel: '未开始', typeLabel: '优惠券' });
  expect(errorOf(await t.call('alice', 'coupon', 'coupon.claim', { templateId: coupon.id }, rid()))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('开始发放') });

  ok(await t.call(staff.admin, 'coupon', 'coupon.template.update', { templateId: coupon.id, title: '春茶尝鲜券', perMemberLimit: 2 }, rid('edit')));
  t.rt.clock.set('2026-03-11T10:01:00+08:00');
  ok(await t.call('alice', 'coupon', 'coupon.claim', { templateId: coupon.id }, rid()));

  const topped = ok(await t.call(staff.admin, 'admin', 'campaign.topUp', { type: 'coupon', id: coupon.id, quantity: 5 }, rid('top')));
  expect(topped).toMatchObject({ title: '春茶尝鲜券', status: 'active', figures: expect.arrayContaining([{ label: '已领', value: '1' }, { label: '剩余', value: '14' }]) });

  await lifecycle(staff.admin, 'coupon', coupon.id, async (status) => {
    const res = await t.call('bob', 'coupon', 'coupon.claim', { templateId: coupon.id }, rid());
    if (status === 'active') ok(res);
    else expect(errorOf(res).code).toBe(status === 'paused' ? 'CONFLICT' : 'EXPIRED');
  });

  const entries = await auditOf(coupon.id);
  expect(actions(entries)).toEqual(['coupon.template.create', 'coupon.template.setStatus', 'coupon.template.setStatus', 'coupon.template.setStatus', 'coupon.template.topUp', 'coupon.template.update']);
  expect(entries).toContainEqual(expect.objectContaining({ action: 'coupon.template.update', actor: staff.admin, before: { title: '春茶券', perMemberLimit: 1 }, after: { title: '春茶尝鲜券', perMemberLimit: 2 } }));
  expect(entries).toContainEqual(expect.objectContaining({ action: 'coupon.template.topUp', before: { totalStock: 10 }, after: { totalStock: 15 } }));
  expect(entries).toContainEqual(expect.objectContaining({ before: { status: 'active' }, after: { status: 'ended' } }));
});

test('a card batch printed ahead opens at its start, pauses and resumes its cards, and is revoked by ending it', async () => {
  const template = await createTemplate(t, staff.admin, { title: '老客回购券', totalStock: null });
  const batch = ok(
    await t.call(staff.admin, 'card', 'card.batch.create', { channel: 'taobao', product: '明前龙井 250g', quantity: 4, templateId: template.id, validUntil: '2026-06-30', startsAt: TOMORROW_10 }, rid('batch')),
  );
  const scene = await sceneOf(batch.id, 1);
  const scan = async () => ok(await t.call('alice', 'card', 'card.scan', { scene })).state;
  expect(await row(staff.admin, 'card', batch.id)).toMatchObject({ status: 'scheduled', typeLabel: '包裹卡' });
  expect(await scan()).toBe('scheduled');
  const early = await joinAs(t, 'alice', { phoneCode: 'dev:13800000001', scene });
  expect(early.card).toMatchObject({ status: 'not_open' });

  ok(await t.call(staff.admin, 'card', 'card.batch.update', { batchId: batch.id, validUntil: '2026-07-31' }, rid('edit')));
  t.rt.clock.set('2026-03-11T10:01:00+08:00');
  expect(await scan()).toBe('fresh');

  await lifecycle(staff.admin, 'card', batch.id, async (status) => {
    expect(await scan()).toBe(status === 'ended' ? 'revoked' : status === 'paused' ? 'paused' : 'fresh');
  });
  expect(ok(await t.call('alice', 'card', 'card.scan', { scene })).card?.claimUntil).toBe('2026-07-31T15:59:59.999Z');
  const entries = await auditOf(batch.id);
  expect(actions(entries)).toEqual(['card.batch.create', 'card.batch.revoke', 'card.batch.setStatus', 'card.batch.setStatus', 'card.batch.update']);
  expect(entries).toContainEqual(expect.objectContaining({ action: 'card.batch.update', before: expect.objectContaining({ validUntil: '2026-06-30' }), after: expect.objectContaining({ validUntil: '2026-07-31' }) }));
  expect(entries).toContainEqual(expect.objectContaining({ action: 'card.batch.setStatus', before: { status: 'active' }, after: { status: 'paused' } }));
});

test('a group-buy starting tomorrow refuses to open today, is edited, topped up, paused, resumed and ended', async () => {
  const benefit = await createTemplate(t, staff.admin, { title: '成团券', totalStock: null, perMemberLimit: 5, validity: { type: 'relative', days: 30 } });
  const store = { owner: staff.admin, benefitTemplateId: benefit.id, bonusTemplateId: '', consolationTemplateId: '' };
  const gb = ok(await t.call(staff.admin, 'groupbuy', 'groupbuy.campaign.create', campaignInput(store, { startDate: '2026-03-11', maxGroups: 2 }), rid('gbc')));
  await addMembers(['alice', 'bob', 'carol']);
  expect(await row(staff.admin, 'groupbuy', gb.id)).toMatchObject({ status: 'scheduled' });
  expect(errorOf(await t.call('alice', 'groupbuy', 'groupbuy.open', { campaignId: gb.id }, rid())).code).toBe('CONFLICT');

  ok(await t.call(staff.admin, 'groupbuy', 'groupbuy.campaign.update', { campaignId: gb.id, title: '龙井 3 人团（加量）', endDate: '2026-04-15' }, rid('edit')));
  const topped = ok(await t.call(staff.admin, 'admin', 'campaign.topUp', { type: 'groupbuy', id: gb.id, quantity: 3 }, rid('top')));
  expect(topped.figures).toContainEqual({ label: '开团上限', value: '5' });

  t.rt.clock.set('2026-03-11T00:00:01+08:00');
  ok(await t.call('alice', 'groupbuy', 'groupbuy.open', { campaignId: gb.id }, rid()));
  await lifecycle(staff.admin, 'groupbuy', gb.id, async (status) => {
    const res = await t.call('bob', 'groupbuy', 'groupbuy.open', { campaignId: gb.id }, rid());
    if (status === 'active') ok(res);
    else expect(errorOf(res).code).toBe(status === 'paused' ? 'CONFLICT' : 'EXPIRED');
  });
  const entries = await auditOf(gb.id);
  expect(actions(entries)).toEqual(['groupbuy.campaign.create', ...Array(3).fill('groupbuy.campaign.setStatus'), 'groupbuy.campaign.topUp', 'groupbuy.campaign.update']);
  expect(entries).toContainEqual(
    expect.objectContaining({ before: expect.objectContaining({ title: '明前龙井 3 人团', endDate: '2026-03-31' }), after: expect.objectContaining({ title: '龙井 3 人团（加量）', endDate: '2026-04-15' }) }),
  );
  expect(entries).toContainEqual(expect.objectContaining({ action: 'groupbuy.campaign.topUp', before: { maxGroups: 2 }, after: { maxGroups: 5 } }));
});

test('an invite campaign switched on ahead of its start is not offered to members until it starts', async () => {
  const created = ok(await t.call(staff.admin, 'growth', 'invite.campaign.create', inviteInput({ startDate: '2026-03-11', endDate: '2026-03-31' }), rid('inv')));
  await joinGrowth(t, 'alice');
  const offered = async () => ok(await t.call('alice', 'growth', 'invite.link', {})).campaign?.id ?? null;
  expect((await command(staff.admin, 'invite', created.id, 'resume')).status).toBe('scheduled');
  expect(await offered()).toBeNull();

  ok(await t.call(staff.admin, 'growth', 'invite.campaign.update', { campaignId: created.id, posterLine: '春茶一起喝', totalRewardCap: 100 }, rid('edit')));
  t.rt.clock.set('2026-03-11T09:00:00+08:00');
  expect(await offered()).toBe(created.id);
  await lifecycle(staff.admin, 'invite', created.id, async (status) => {
    expect(await offered()).toBe(status === 'active' ? created.id : null);
  });
  const entries = await auditOf(created.id);
  expect(entries).toContainEqual(expect.objectContaining({ action: 'invite.campaign.update', before: { posterLine: '好茶一起喝', totalRewardCap: null }, after: { posterLine: '春茶一起喝', totalRewardCap: 100 } }));
  expect(actions(entries)).toEqual(['invite.campaign.create', ...Array(4).fill('invite.campaign.setStatus'), 'invite.campaign.update']);
});

test('a repurchase rule scheduled for tomorrow is left out of today\'s run and served from tomorrow', async () => {
  const coupon = await createTemplate(t, staff.admin, { title: '生日券', totalStock: null, publicClaim: false });
  const rule = ok(
    await t.call(staff.admin, 'growth', 'repurchase.rule.create', { name: '生日月礼', trigger: { kind: 'birthday_month' }, templateId: coupon.id, reminder: null, startsAt: TOMORROW_10 }, rid('rule')),
  );
  expect((await command(staff.admin, 'repurchase', rule.id, 'resume')).status).toBe('scheduled');
  await runToEnd(t);
  expect(Object.keys((await runDoc('2026-03-10'))!.rules)).toEqual([]);

  ok(await t.call(staff.admin, 'growth', 'repurchase.rule.update', { ruleId: rule.id, name: '生日月好礼', endsAt: '2026-12-31T23:59:59+08:00' }, rid('edit')));
  t.rt.clock.set('2026-03-11T10:30:00+08:00');
  await runToEnd(t);
  expect(Object.keys((await runDoc('2026-03-11'))!.rules)).toEqual([rule.id]);
  expect(await row(staff.admin, 'repurchase', rule.id)).toMatchObject({ title: '生日月好礼', status: 'active' });
  await lifecycle(staff.admin, 'repurchase', rule.id);
  expect(errorOf(await t.call(staff.admin, 'growth', 'repurchase.rule.setStatus', { ruleId: rule.id, status: 'active' }, rid())).code).toBe('CONFLICT');
});

test('a community entry gives out no group before its start or while paused, and none once ended', async () => {
  const entry = ok(await t.call(staff.admin, 'community', 'community.entry.create', { name: '春茶群', purpose: 'poster', startsAt: TOMORROW_10 }, rid('entry')));
  await addGroup(t, staff.admin, entry.id, '茶友 1 群');
  const kind = async (who: string) => ok(await t.call(who, 'community', 'community.open', { entryId: entry.id })).kind;
  expect(await row(staff.admin, 'community', entry.id)).toMatchObject({ status: 'scheduled', typeLabel: '社群入口' });
  expect(await kind('early')).not.toBe('group');

  ok(await t.call(staff.admin, 'community', 'community.entry.update', { entryId: entry.id, welcome: '群里每周三有茶友价' }, rid('edit')));
  t.rt.clock.set('2026-03-11T10:01:00+08:00');
  expect(await kind('alice')).toBe('group');
  let n = 0;
  await lifecycle(staff.admin, 'community', entry.id, async (status) => {
    expect(await kind(`visitor-${++n}`)).toBe(status === 'active' ? 'group' : 'none');
  });
  const entries = await auditOf(entry.id);
  expect(actions(entries)).toEqual(['community.entry.create', ...Array(4).fill('community.entry.update')]);
  for (const [before, after] of [
    [{ welcome: '' }, { welcome: '群里每周三有茶友价' }],
    [{ status: 'active' }, { status: 'paused' }],
    [{ status: 'paused' }, { status: 'active' }],
    [{ status: 'active' }, { status: 'archived' }],
  ]) {
    expect(entries).toContainEqual(expect.objectContaining({ before, after }));
  }
});

test('the list shows every kind newest first, filters by kind and status, and pages', async () => {
  const coupon = await createTemplate(t, staff.admin, { title: '满99减20' });
  t.rt.clock.advance(1000);
  const entry = ok(await t.call(staff.admin, 'community', 'community.entry.create', { name: '春茶群', purpose: 'poster' }, rid('entry')));
  t.rt.clock.advance(1000);
  const invite = ok(await t.call(staff.admin, 'growth', 'invite.campaign.create', inviteInput(), rid('inv')));
  const list = async (payload: { type?: CampaignType; status?: CampaignStatus; cursor?: string }) => ok(await t.call(staff.clerk, 'admin', 'campaign.list', payload));

  const all = await list({});
  expect(all.campaigns.map((c) => [c.type, c.id, c.status])).toEqual([
    ['invite', invite.id, 'paused'],
    ['community', entry.id, 'active'],
    ['coupon', coupon.id, 'active'],
  ]);
  // A clerk sees every campaign but may change none of them.
  expect(all.campaigns.every((c) => Object.values(c.can).every((v) => v === false))).toBe(true);
  expect((await list({ type: 'coupon' })).campaigns.map((c) => c.id)).toEqual([coupon.id]);
  expect((await list({ status: 'paused' })).campaigns.map((c) => c.id)).toEqual([invite.id]);
  expect(ok(await t.call(staff.admin, 'admin', 'campaign.list', {})).campaigns[0].can).toEqual({ edit: true, pause: false, resume: true, end: true, topUp: false });

  for (let i = 0; i < 21; i++) {
    t.rt.clock.advance(1000);
    await createTemplate(t, staff.admin, { title: `券 ${i}` });
  }
  const first = await list({});
  expect(first.campaigns).toHaveLength(20);
  const second = await list({ cursor: first.nextCursor! });
  expect(second.campaigns.map((c) => c.id)).toEqual(expect.arrayContaining([invite.id, entry.id, coupon.id]));
  expect(new Set([...first.campaigns, ...second.campaigns].map((c) => c.id)).size).toBe(24);
});

test('previews show what customers would see and write nothing', async () => {
  const coupon = await createTemplate(t, staff.admin, { title: '春茶券', startsAt: TOMORROW_10 });
  const entry = ok(await t.call(staff.admin, 'community', 'community.entry.create', { name: '春茶群', purpose: 'poster' }, rid('entry')));
  await addGroup(t, staff.admin, entry.id, '茶友 1 群');
  const before = (await getDb().collection(COLLECTIONS.communityGroups).where({ entryId: entry.id }).get()).data;
  const events = (await getDb().collection(COLLECTIONS.events).count()).total;

  const couponPreview = ok(await t.call(staff.clerk, 'admin', 'campaign.preview', { type: 'coupon', id: coupon.id }));
  expect(couponPreview).toMatchObject({ type: 'coupon', claimable: { canClaim: false, reasonCode: 'CONFLICT', benefit: '满99减20' } });
  const entryPreview = ok(await t.call(staff.clerk, 'admin', 'campaign.preview', { type: 'community', id: entry.id }));
  expect(entryPreview).toMatchObject({ type: 'community', open: { kind: 'group', group: { name: '茶友 1 群' } } });

  expect((await getDb().collection(COLLECTIONS.communityGroups).where({ entryId: entry.id }).get()).data).toEqual(before);
  expect((await getDb().collection(COLLECTIONS.events).count()).total).toBe(events);
});

test('bad changes are refused with the field to fix, and nothing is written', async () => {
  const coupon = await createTemplate(t, staff.admin, { title: '满99减20', startsAt: TOMORROW_10 });
  const gb = ok(
    await t.call(staff.admin, 'groupbuy', 'groupbuy.campaign.create', campaignInput({ owner: staff.admin, benefitTemplateId: coupon.id, bonusTemplateId: '', consolationTemplateId: '' }, { benefit: { type: 'group_price', groupPriceFen: 9900 } }), rid('gbc')),
  );
  const audits = (await getDb().collection(COLLECTIONS.auditLog).count()).total;
  const refused: [ApiResult<unknown>, string, string][] = [
    [await t.call(staff.admin, 'coupon', 'coupon.template.update', { templateId: coupon.id, endsAt: '2026-03-11T09:00:00+08:00' }, rid()), 'payload.endsAt', '结束时间须晚于开始时间'],
    [await t.call(staff.admin, 'coupon', 'coupon.template.update', { templateId: coupon.id, title: ' ' }, rid()), 'payload.title', '请填写券名称'],
    [await t.call(staff.admin, 'coupon', 'coupon.template.update', { templateId: coupon.id, perMemberLimit: 0 }, rid()), 'payload.perMemberLimit', '每人至少可领 1 张'],
    [await t.call(staff.admin, 'groupbuy', 'groupbuy.campaign.update', { campaignId: gb.id, endDate: '2026-03-01' }, rid()), 'payload.endDate', '结束日期已经过去，请重新选择'],
    [await t.call(staff.admin, 'growth', 'invite.campaign.update', { campaignId: '000abc', title: '' }, rid()), 'payload.title', '请填写活动标题'],
    [await t.call(staff.admin, 'admin', 'campaign.setStatus', { type: 'coupon', id: 'gbc_0000000000000000', command: 'pause' }, rid()), 'payload.id', '活动编号无效'],
    [await t.call(staff.admin, 'admin', 'campaign.topUp', { type: 'coupon', id: coupon.id, quantity: 0 }, rid()), 'payload.quantity', '至少补充 1'],
    [await t.call(staff.admin, 'admin', 'campaign.setStatus', { type: 'party', id: coupon.id, command: 'pause' } as never, rid()), 'payload.type', '请选择活动类型：优惠券、包裹卡、复购规则、拼团、邀请有礼或社群入口'],
  ];
  for (const [res, path, message] of refused) expect(errorOf(res)).toMatchObject({ code: 'INVALID_INPUT', fields: expect.arrayContaining([{ path, message }]) });
  expect((await getDb().collection(COLLECTIONS.auditLog).count()).total).toBe(audits);
  expect(await row(staff.admin, 'coupon', coupon.id)).toMatchObject({ title: '满99减20', status: 'scheduled' });
});
