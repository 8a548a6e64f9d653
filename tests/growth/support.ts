/** Shared steps of the growth stories: a store with coupons, members with orders, runs, invites. */
import { COLLECTIONS } from '../../database/collections';
import type { RunDoc } from '../../server/growth/repurchase/model';
import { getById, getDb } from '../../server/runtime/db';
import type {
  CouponTemplateView,
  InviteCampaignInput,
  InviteCampaignView,
  RepurchaseRuleInput,
  RepurchaseRuleView,
  RepurchaseRunView,
} from '../../typings';
import { createTemplate } from '../coupons/support';
import { joinAs } from '../members/support';
import { importOrders, type SampleOrder } from '../orders/support';
import { ok, rid, type TestRuntime } from '../support/runtime';
import { makeOwner } from '../support/staff';

/** Shanghai wall time → the UTC instant the clock is set to: `sh('2026-03-31 10:00')`. */
export const sh = (local: string): string => new Date(`${local.replace(' ', 'T')}:00+08:00`).toISOString();

/** An unlimited repurchase coupon a member may hold several of (one per period). */
export function repurchaseCoupon(t: TestRuntime, owner: string, title = '回购券 满99减20'): Promise<CouponTemplateView> {
  return createTemplate(t, owner, { title, totalStock: null, perMemberLimit: 20, validity: { type: 'relative', days: 14 } });
}

export async function createRule(t: TestRuntime, owner: string, input: RepurchaseRuleInput): Promise<RepurchaseRuleView> {
  return ok(await t.call(owner, 'growth', 'repurchase.rule.create', input, rid('rule')));
}

export async function activeRule(t: TestRuntime, owner: string, input: RepurchaseRuleInput): Promise<RepurchaseRuleView> {
  const rule = await createRule(t, owner, input);
  return ok(await t.call(owner, 'growth', 'repurchase.rule.setStatus', { ruleId: rule.id, status: 'active' }, rid('on')));
}

/** Fires the growth timer until the day's run is done (at most `max` times); the number of fires. */
export async function runToEnd(t: TestRuntime, max = 50): Promise<number> {
  for (let fired = 1; fired <= max; fired++) {
    const result = ok((await t.rt.fireTimer('growth')) as never) as { repurchase: { status: string | null; state: string } };
    if (result.repurchase.state === 'quiet') throw new Error('the timer fired outside 09:00–21:00 Shanghai time');
    if (result.repurchase.status === 'done') return fired;
  }
  throw new Error(`the run did not finish in ${max} timer fires`);
}

export async function runs(t: TestRuntime, owner: string): Promise<RepurchaseRunView[]> {
  return ok(await t.call(owner, 'growth', 'repurchase.run.list', {})).runs;
}

export const runDoc = (day: string): Promise<RunDoc | null> => getById<RunDoc>(COLLECTIONS.repurchaseRuns, day);

/** Repurchase coupons issued so far: holder and the requestKey they were issued under. */
export async function repurchaseCoupons(templateId?: string): Promise<{ holder: string; requestKey: string; templateId: string; source: { type: string; ref: string } }[]> {
  const out: { holder: string; requestKey: string; templateId: string; source: { type: string; ref: string } }[] = [];
  for (;;) {
    const res = await getDb()
      .collection(COLLECTIONS.coupons)
      .where({ 'source.type': 'repurchase', ...(templateId ? { templateId } : {}) })
      .skip(out.length)
      .limit(1000)
      .get();
    out.push(...(res.data as typeof out));
    if (res.data.length < 1000) return out;
  }
}

export const holders = async (templateId?: string): Promise<string[]> => (await repurchaseCoupons(templateId)).map((c) => c.holder).sort();

let phones = 0;
/** A distinct development phone number, so no two test members share one. */
export const nextPhone = (): string => `dev:137${String(++phones).padStart(8, '0')}`;

/** Joins `openid` with a phone of their own. */
export const join = (t: TestRuntime, openid: string, extra: { birthday?: string; invite?: string; nickname?: string } = {}) =>
  joinAs(t, openid, { phoneCode: nextPhone(), ...extra });

let orders = 0;
/** Imports one order (paid at Shanghai time `paidAt`, `YYYY-MM-DD HH:mm`) and has `openid` bind it. */
export async function boundOrder(t: TestRuntime, owner: string, openid: string, paidAt: string, product = '明前龙井 250g'): Promise<string> {
  orders += 1;
  const order: SampleOrder = {
    orderNo: `4100${String(orders).padStart(12, '0')}`,
    phone: `139${String(orders).padStart(8, '0')}`,
    amount: '128.00',
    paidAt: `${paidAt}:00`,
    product,
  };
  await importOrders(t, owner, [order]);
  ok(await t.call(openid, 'member', 'member.bindOrder', { orderNo: order.orderNo, phoneLast4: order.phone.slice(-4) }, rid('bind')));
  return order.orderNo;
}

export function campaign(overrides: Partial<InviteCampaignInput> = {}): InviteCampaignInput {
  return {
    title: '邀好友 得好礼',
    rules: '好友通过你的链接加入会员，你得一张券；好友首次绑定订单，你再得一张。',
    posterLine: '好茶一起喝',
    signupRewardTemplateId: null,
    orderRewardTemplateId: null,
    signupDailyCap: 5,
    orderDailyCap: 5,
    totalRewardCap: null,
    startDate: '2026-01-01',
    endDate: '2026-12-31',
    ...overrides,
  };
}

export async function runningCampaign(t: TestRuntime, owner: string, overrides: Partial<InviteCampaignInput> = {}): Promise<InviteCampaignView> {
  const created = ok(await t.call(owner, 'growth', 'invite.campaign.create', campaign(overrides), rid('camp')));
  return ok(await t.call(owner, 'growth', 'invite.campaign.setStatus', { campaignId: created.id, status: 'active' }, rid('camp-on')));
}

export interface InviteStore {
  owner: string;
  signupTpl: CouponTemplateView;
  orderTpl: CouponTemplateView;
  campaignId: string;
}

/** An owner, a sign-up and a first-order reward coupon, and a running invite campaign giving them. */
export async function inviteStore(
  t: TestRuntime,
  caps: { signupDailyCap?: number; orderDailyCap?: number; totalRewardCap?: number | null } = {},
): Promise<InviteStore> {
  t.rt.clock.set(sh('2026-04-01 10:00'));
  const owner = await makeOwner(t);
  const signupTpl = await createTemplate(t, owner, { title: '邀请奖励券', totalStock: null, perMemberLimit: 20 });
  const orderTpl = await createTemplate(t, owner, { title: '好友首单奖励券', totalStock: null, perMemberLimit: 20 });
  const campaign = await runningCampaign(t, owner, { signupRewardTemplateId: signupTpl.id, orderRewardTemplateId: orderTpl.id, ...caps });
  return { owner, signupTpl, orderTpl, campaignId: campaign.id };
}

export const inviteToken = async (t: TestRuntime, openid: string): Promise<string> => ok(await t.call(openid, 'growth', 'invite.link', {})).token;

/** The growth timer a few minutes later, when the minutes of the sign-ups are closed. */
export async function growthTimerLater(t: TestRuntime, minutes = 5): Promise<void> {
  t.rt.clock.advance(minutes * 60_000);
  ok((await t.rt.fireTimer('growth')) as never);
}
