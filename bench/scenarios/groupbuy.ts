/**
 * Group-buys under contention, through the gateway, as demo-owner's customers would hit them.
 *
 * Setup (not measured): demo-owner creates a benefit coupon and a 3-person campaign; MEMBERS
 * customers sign up with `member.join` (development phone numbers); the first GROUPS of them each
 * open a group, so every group has two free seats.
 *
 * 1. The burst: for each of the first BURST_GROUPS groups, BURST_PER_GROUP members press join at
 *    the same moment (all requests in flight at once on 127.0.0.1).
 * 2. The storm (autocannon, DURATION_S, CONNECTIONS connections): members keep pressing join,
 *    each run of RUN consecutive requests aimed at the same group, sweeping across the groups, so
 *    every group is fought over until full and then keeps being pressed. Most answers are refusals
 *    (满员, or the caller already in); that is what a contested group-buy looks like.
 *    `groupJoinRps` is its join requests per second, refused ones included.
 * 3. `groupOverfilled`: afterwards every group of the campaign is read back from the database
 *    (staff's `groupbuy.group.list`, page by page) and the members beyond the group size are
 *    counted over all groups; it must be 0. A member listed twice in one group is reported too.
 */
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { DEMO_OWNER_OPENID } from '../../local/seed';
import { PRIVACY_VERSION } from '../../server/members/privacy';
import type { AdminGroupView, ApiResult, CouponTemplateView, GroupBuyCampaignView, GroupView } from '../../typings';
import { call, DURATION_S, say, type Scenario } from '../harness';

const GROUP_SIZE = 3;
const MEMBERS = 600;
const GROUPS = 300;
const BURST_GROUPS = 20;
const BURST_PER_GROUP = 20;
const CONNECTIONS = 200;
const RUN = 16;
const SETUP_CONCURRENCY = 50;

function data<T>(result: ApiResult<T>, what: string): T {
  if (!result.ok) throw new Error(`${what} failed: ${result.error.code} ${result.error.message}`);
  return result.data;
}

/** Runs `fn` over `items`, `limit` at a time. */
async function inBatches<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let start = 0; start < items.length; start += limit) {
    out.push(...(await Promise.all(items.slice(start, start + limit).map((item, k) => fn(item, start + k)))));
  }
  return out;
}

/** Today and a month on, as Shanghai calendar dates. */
function campaignDates(): { startDate: string; endDate: string } {
  const shanghai = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
  return { startDate: shanghai(Date.now()), endDate: shanghai(Date.now() + 30 * 86_400_000) };
}

async function setUp(base: string, runId: string): Promise<{ campaign: GroupBuyCampaignView; members: string[]; tokens: string[] }> {
  const owner = (fn: string, action: string, payload: object, requestId?: string) => call<ApiResult<never>>(base, fn, { action, payload, requestId }, DEMO_OWNER_OPENID);
  const template = data<CouponTemplateView>(
    await owner(
      'coupon',
      'coupon.template.create',
      {
        title: '拼团成团券',
        rules: '压测用券',
        kind: 'amount_off',
        amountOffFen: 2000,
        thresholdFen: 9900,
        validity: { type: 'relative', days: 30 },
        totalStock: null,
        perMemberLimit: 20,
        audience: { type: 'everyone' },
        stackable: false,
      },
      `bench-gb-tpl-${runId}`,
    ),
    'template',
  );
  const campaign = data<GroupBuyCampaignView>(
    await owner(
      'groupbuy',
      'groupbuy.campaign.create',
      {
        title: '压测 3 人团',
        rules: '压测用拼团',
        product: { name: '明前龙井 250g', image: null, originalPriceFen: 12800 },
        groupSize: GROUP_SIZE,
        timeLimitHours: 24,
        benefit: { type: 'coupon', templateId: template.id },
        leaderBonusTemplateId: null,
        consolationTemplateId: null,
        maxGroups: null,
        joinsPerMember: 20,
        opensPerMember: 1,
        ...campaignDates(),
      },
      `bench-gb-campaign-${runId}`,
    ),
    'campaign',
  );
  const members = Array.from({ length: MEMBERS }, (_, i) => `bench-gb-${runId}-${i}`);
  await inBatches(members, SETUP_CONCURRENCY, async (openid, i) => {
    const joined = await call<ApiResult<unknown>>(
      base,
      'member',
      { action: 'member.join', payload: { phoneCode: `dev:139${String(i).padStart(8, '0')}`, privacyAccepted: true, privacyVersion: PRIVACY_VERSION }, requestId: `bench-gb-join-${runId}-${i}` },
      openid,
    );
    data(joined, 'member.join');
  });
  const groups = await inBatches(members.slice(0, GROUPS), SETUP_CONCURRENCY, async (leader, i) =>
    data(
      await call<ApiResult<{ group: GroupView }>>(base, 'groupbuy', { action: 'groupbuy.open', payload: { campaignId: campaign.id }, requestId: `bench-gb-open-${runId}-${i}` }, leader),
      'open',
    ),
  );
  return { campaign, members, tokens: groups.map((g) => g.group.token) };
}

const joinEvent = (token: string, requestId: string) => ({ action: 'groupbuy.join', payload: { token }, requestId });

/** Many members pressing join on the same few groups at the same moment. */
async function burst(base: string, members: string[], tokens: string[], runId: string): Promise<{ requests: number; joined: number; seconds: number }> {
  const presses = tokens.slice(0, BURST_GROUPS).flatMap((token, g) =>
    Array.from({ length: BURST_PER_GROUP }, (_, k) => ({ token, openid: members[GROUPS + ((g * BURST_PER_GROUP + k) % (MEMBERS - GROUPS))] })),
  );
  const started = performance.now();
  const answers = await Promise.all(presses.map((p, i) => call<ApiResult<unknown>>(base, 'groupbuy', joinEvent(p.token, `bench-gb-burst-${runId}-${i}`), p.openid)));
  return { requests: presses.length, joined: answers.filter((a) => a.ok).length, seconds: (performance.now() - started) / 1000 };
}

/** Sustained presses, RUN in a row on one group, sweeping across all groups; refused ones count. */
async function storm(base: string, members: string[], tokens: string[], runId: string) {
  let next = 0;
  const result = await autocannon({
    url: `${base}/fn/groupbuy`,
    method: 'POST',
    connections: CONNECTIONS,
    duration: DURATION_S,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req: { headers?: Record<string, string>; body?: string }) => {
          const i = next++;
          const token = tokens[Math.floor(i / RUN) % tokens.length];
          const openid = members[(i * 7919) % members.length];
          req.headers = { ...req.headers, 'x-wx-openid': openid };
          req.body = JSON.stringify(joinEvent(token, `bench-gb-storm-${runId}-${i}`));
          return req;
        },
      },
    ],
  } as autocannon.Options);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, requests: result.requests.total, errors: result.errors + result.non2xx };
}

/** Every group of the campaign, read back through staff's list. */
async function allGroups(base: string, campaignId: string): Promise<AdminGroupView[]> {
  const out: AdminGroupView[] = [];
  let cursor: string | undefined;
  do {
    const page = data(
      await call<ApiResult<{ groups: AdminGroupView[]; nextCursor: string | null }>>(
        base,
        'groupbuy',
        { action: 'groupbuy.group.list', payload: { campaignId, ...(cursor ? { cursor } : {}) } },
        DEMO_OWNER_OPENID,
      ),
      'group.list',
    );
    out.push(...page.groups);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

export const groupbuyScenario: Scenario = async ({ base }) => {
  const runId = `${process.pid}-${Date.now()}`;
  const setupStarted = performance.now();
  const { campaign, members, tokens } = await setUp(base, runId);
  const setupSeconds = (performance.now() - setupStarted) / 1000;

  const pressed = await burst(base, members, tokens, runId);
  const sustained = await storm(base, members, tokens, runId);

  const groups = await allGroups(base, campaign.id);
  const overfilled = groups.reduce((n, g) => n + Math.max(0, g.members.length - g.groupSize), 0);
  const doubled = groups.reduce((n, g) => n + (g.members.length - new Set(g.members.map((m) => m.openid)).size), 0);
  const complete = groups.filter((g) => g.state === 'complete').length;
  const seated = groups.reduce((n, g) => n + g.members.length, 0);

  const figures = { groupJoinRps: Math.round(sustained.rps), groupOverfilled: overfilled };
  say(`group-buy setup     ${MEMBERS} members signed up, ${GROUPS} groups of ${GROUP_SIZE} opened in ${setupSeconds.toFixed(1)} s`);
  say(
    `group-buy burst     ${pressed.requests} joins at once on ${BURST_GROUPS} groups (2 free seats each): ${pressed.joined} got in, ` +
      `in ${(pressed.seconds * 1000).toFixed(0)} ms`,
  );
  say(
    `group-buy storm     ${figures.groupJoinRps} joins/s   p50 ${sustained.p50} ms   p99 ${sustained.p99} ms   ${CONNECTIONS} connections, ` +
      `${sustained.requests} requests, ${RUN} in a row per group, transport errors ${sustained.errors}`,
  );
  say(
    `group-buy overfill  ${overfilled} members beyond ${GROUP_SIZE} over ${groups.length} groups (${complete} complete, ${seated} seated), ` +
      `${doubled} members in a group twice`,
  );
  return figures;
};
