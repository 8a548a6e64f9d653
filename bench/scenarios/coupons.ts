/**
 * Coupons under a claim storm, through the gateway, as demo-owner's customers would hit it.
 *
 * 1. The burst: a template with 100 in stock, then 1,000 distinct customers claim it at the same
 *    moment (1,000 requests in flight at once on 127.0.0.1). The template list must then show
 *    exactly 100 issued, to 100 different holders: `claimOverIssued` counts any beyond the stock.
 * 2. The sustained storm, measured like the gateway's empty action (autocannon, DURATION_S): 1,000
 *    connections keep claiming a second template (1,000 in stock) as ever new customers, so the
 *    figure covers the winning claims and then the sold-out answers that make up most of a real
 *    flash sale. `claimRps` is its requests per second, `claimRatio` that over the empty action's.
 *    Its template is checked for over-issue too.
 *    `claimIssueRps` / `claimIssueRatio`: the same 1,000 connections on an unlimited template, so
 *    every request issues a coupon: the issuing path's own throughput, without sold-out answers.
 * 3. `callsPerClaim` / `callsPerRedemption`: CloudBase billable operations (invocations + database
 *    reads + writes) of one successful claim and one redemption. The bench server is another
 *    process, so they are measured here, in-process, on a fresh in-memory runtime running the same
 *    built bundles, with `measure()` (the local executor's meters count what CloudBase bills). The
 *    claim is measured on a members-only template, the costlier path (it reads the member).
 */
import { performance } from 'node:perf_hooks';
import { COLLECTIONS } from '../../database/collections';
import { measure } from '../../local/context';
import { LocalRuntime } from '../../local/runtime';
import { DEMO_OWNER_OPENID, seedDemoStore } from '../../local/seed';
import { getDb } from '../../server/runtime/db';
import type { ApiResult, CouponTemplateInput, CouponTemplateView, CouponView, RedemptionView } from '../../typings';
import { call, load, say, type Scenario } from '../harness';

const STOCK = 100;
const CLAIMERS = 1000;

function templateInput(overrides: Partial<CouponTemplateInput> = {}): CouponTemplateInput {
  return {
    title: '压测满99减20',
    rules: '压测用券',
    kind: 'amount_off',
    amountOffFen: 2000,
    thresholdFen: 9900,
    validity: { type: 'relative', days: 7 },
    totalStock: STOCK,
    perMemberLimit: 1,
    audience: { type: 'everyone' },
    stackable: false,
    ...overrides,
  };
}

function data<T>(result: ApiResult<T>, what: string): T {
  if (!result.ok) throw new Error(`${what} failed: ${result.error.code} ${result.error.message}`);
  return result.data;
}

/** Billable operations of one claim and one redemption, measured in-process on the bundles. */
async function billableOps(): Promise<{ perClaim: number; perRedemption: number }> {
  const rt = new LocalRuntime({ load: 'bundle' });
  try {
    await seedDemoStore(rt);
    const invoke = <T>(openid: string, action: string, payload: object, requestId?: string) =>
      rt.invoke('coupon', { action, payload, requestId }, { OPENID: openid }) as Promise<ApiResult<T>>;
    const tpl = data(await invoke<CouponTemplateView>(DEMO_OWNER_OPENID, 'coupon.template.create', templateInput({ audience: { type: 'members' } }), 'bench-ops-template'), 'create');
    await getDb().collection(COLLECTIONS.members).add({ data: { _id: 'bench-member', joinedAt: new Date(), nickname: '压测会员', phoneMasked: null, segments: [] } });
    const claim = await measure(() => invoke<{ coupon: CouponView }>('bench-member', 'coupon.claim', { templateId: tpl.id }, 'bench-ops-claim'));
    const { coupon } = data(claim.result, 'claim');
    const redeem = await measure(() =>
      invoke<RedemptionView>(DEMO_OWNER_OPENID, 'coupon.redeem', { code: coupon.code, orderAmountFen: 12800, orderRef: 'BENCH-1' }, 'bench-ops-redeem'),
    );
    data(redeem.result, 'redeem');
    const total = (c: typeof claim.cost) => c.invocations + c.reads + c.writes;
    return { perClaim: total(claim.cost), perRedemption: total(redeem.cost) };
  } finally {
    rt.close();
  }
}

async function createTemplate(base: string, stock: number | null, requestId: string): Promise<CouponTemplateView> {
  const created = await call<ApiResult<CouponTemplateView>>(
    base,
    'coupon',
    { action: 'coupon.template.create', payload: templateInput({ totalStock: stock }), requestId },
    DEMO_OWNER_OPENID,
  );
  return data(created, 'template create');
}

async function issuedOf(base: string, templateId: string): Promise<number> {
  const listed = data(await call<ApiResult<{ templates: CouponTemplateView[] }>>(base, 'coupon', { action: 'coupon.template.list', payload: {} }, DEMO_OWNER_OPENID), 'list');
  return listed.templates.find((t) => t.id === templateId)?.issued ?? 0;
}

export const couponScenario: Scenario = async ({ base }, baseline) => {
  const runId = `${process.pid}-${Date.now()}`;

  const burstTemplate = await createTemplate(base, STOCK, `bench-tpl-burst-${runId}`);
  const claim = (templateId: string, requestId: string) => ({ action: 'coupon.claim', payload: { templateId }, requestId });
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: CLAIMERS }, (_, i) => call<ApiResult<unknown>>(base, 'coupon', claim(burstTemplate.id, `bench-burst-${runId}`), `bench-burst-${i}`)),
  );
  const burstSeconds = (performance.now() - started) / 1000;
  const won = answers.filter((a) => a.ok).length;
  const soldOut = answers.filter((a) => !a.ok && a.error.code === 'SOLD_OUT').length;
  const burstIssued = await issuedOf(base, burstTemplate.id);

  const stormStock = 1000;
  const stormTemplate = await createTemplate(base, stormStock, `bench-tpl-storm-${runId}`);
  const newCustomers = Array.from({ length: 200_000 }, (_, i) => `bench-storm-${i}`);
  const storm = await load(base, 'coupon', claim(stormTemplate.id, `bench-storm-${runId}`), CLAIMERS, { openids: newCustomers });
  const stormIssued = await issuedOf(base, stormTemplate.id);

  // Every claim a winner: an unlimited template, so each request issues a coupon (the insert path).
  const issueTemplate = await createTemplate(base, null, `bench-tpl-issue-${runId}`);
  const issuers = Array.from({ length: 400_000 }, (_, i) => `bench-issue-${i}`);
  const issuing = await load(base, 'coupon', claim(issueTemplate.id, `bench-issue-${runId}`), CLAIMERS, { openids: issuers });
  const issuedAll = await issuedOf(base, issueTemplate.id);

  const ops = await billableOps();
  const figures = {
    claimRps: Math.round(storm.rps),
    claimRatio: Number((storm.rps / baseline.emptyActionRps).toFixed(3)),
    claimOverIssued: Math.max(0, burstIssued - STOCK) + Math.max(0, stormIssued - stormStock),
    claimIssueRps: Math.round(issuing.rps),
    claimIssueRatio: Number((issuing.rps / baseline.emptyActionRps).toFixed(3)),
    callsPerClaim: ops.perClaim,
    callsPerRedemption: ops.perRedemption,
  };
  say(
    `coupon claim burst  ${CLAIMERS} at once for ${STOCK} coupons: ${burstIssued} issued (${won} won, ${soldOut} sold out, ` +
      `${CLAIMERS - won - soldOut} other) in ${(burstSeconds * 1000).toFixed(0)} ms`,
  );
  say(
    `coupon claim storm  ${figures.claimRps} claims/s   p50 ${storm.p50} ms   p99 ${storm.p99} ms   ratio ${figures.claimRatio}   ` +
      `${CLAIMERS} connections, ${stormIssued} of ${stormStock} issued, errors ${storm.errors}`,
  );
  say(
    `coupon issue storm  ${figures.claimIssueRps} claims/s   p50 ${issuing.p50} ms   p99 ${issuing.p99} ms   ratio ${figures.claimIssueRatio}   ` +
      `${CLAIMERS} connections, every claim a new coupon (unlimited stock): ${issuedAll} issued by ${issuing.requests} requests, errors ${issuing.errors}`,
  );
  say(`coupon over-issue   ${figures.claimOverIssued}`);
  say(`billable ops        ${figures.callsPerClaim} per claim, ${figures.callsPerRedemption} per redemption`);
  return figures;
};
