/**
 * The admin tab at size: member search at 200,000 members, and what opening the dashboard reads at
 * 10,000 and at 1,000,000 events.
 *
 * Runs in a child process of its own (like the card scenario): a local runtime on a fresh data
 * folder running the built bundles, driven in-process with `invoke`, because the data is seeded
 * with batch writes straight into the database.
 *
 * 1. Search. 200,000 members are written in batches of 1,000, shaped as `member.join` writes them
 *    (encrypted phone, keyed phone hash, masked phone, a nickname and its search key), and 50,000 platform orders bound
 *    to them. Then the admin function's timer runs as CloudBase fires it until it has indexed every
 *    member's phone suffix (`phoneLast4`) and finished the first segment recompute; its wall time is
 *    reported. Then `member.find` is called 1,500 times as the owner (300 each: last four digits,
 *    whole number, order number, the first one or two characters of a nickname, the first two or
 *    three letters of a latin nickname in lower case), one at a time,
 *    each timed from the call to its answer: `memberSearchP50Ms` / `memberSearchP99Ms` over all.
 * 2. Dashboard. On a fresh runtime each: 10,000 and then 1,000,000 synthetic events spread over
 *    the 30 days before "now" (scans, sign-ups, claims, orders, redemptions, invites, group-buys;
 *    20 batches, 5 channels, 6 staff). They are written hour by hour, and after each hour the
 *    member function's timer folds the log into day counters (the real fold, as its cron does;
 *    written all at once, a backlog of a million events would be folded in the same pages, only
 *    slower). Then `dashboard.get` for 30 days: `dashboardDocsAt10k` / `dashboardDocsAt1M` are the
 *    documents it read (counted by the dashboard reader itself: day documents, the fold's cursor,
 *    today's folded-minute list, the unfolded tail's aggregate rows, the snapshot), its read
 *    requests and wall time are printed beside them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ApiResult, Dashboard, MemberSearchBy, MemberSearchResult } from '../../typings';
import { runInChild, say, type Scenario } from '../harness';

const MEMBERS = 200_000;
const ORDERS = 50_000;
const SEARCHES_PER_KIND = 300;
const BATCH = 1000;
const RESULT = 'ADMIN-BENCH ';
/** "Now" for the dashboard: Tuesday 2026-03-10, 15:00 in Shanghai (its 30 days start on 2026-02-09). */
const NOW = Date.parse('2026-03-10T07:00:00Z');

interface SearchFigures {
  seedSeconds: number;
  timerSeconds: number;
  timerRuns: number;
  p50: number;
  p99: number;
  byKind: Record<string, { p50: number; p99: number; hits: number }>;
}

interface DashboardFigures {
  events: number;
  seedSeconds: number;
  docsRead: number;
  readRequests: number;
  ms: number;
  scans: number;
}

interface Generated {
  search: SearchFigures;
  dashboards: DashboardFigures[];
}

function data<T>(result: ApiResult<T>, what: string): T {
  if (!result.ok) throw new Error(`${what} failed: ${result.error.code} ${result.error.message}`);
  return result.data;
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

/** A small deterministic generator (mulberry32), so every run seeds the same store. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const LATIN = ['Amy', 'Tom', 'Lily', 'JACK', 'coco', 'Momo', 'Kevin', 'TeaLover', 'Anna', 'Leo'];
const GIVEN = ['小姐', '先生', '阿姨', '同学', '老师', '大哥', '小妹', '女士', '茶友', '爱喝茶', 'Tea', '晓明', '丽丽', '芳', '伟', '静', '磊', '洋', '艳', '勇'];

async function searchPhase(dataDir: string): Promise<SearchFigures> {
  const { LocalRuntime } = await import('../../local/runtime');
  const { DEMO_OWNER_OPENID, seedDemoStore } = await import('../../local/seed');
  const { getDb } = await import('../../server/runtime/db');
  const { phoneHash, maskPhone, seal } = await import('../../server/members/crypto');
  const { nicknameKey } = await import('../../server/members/model');
  const rt = new LocalRuntime({ dataDir, load: 'bundle' });
  try {
    rt.clock.set(new Date(NOW).toISOString());
    await seedDemoStore(rt);
    const db = getDb();
    const rand = seeded(7);
    const phones: string[] = [];
    const nicknames: string[] = [];
    const started = performance.now();
    for (let from = 0; from < MEMBERS; from += BATCH) {
      const docs = [];
      for (let i = from; i < from + BATCH; i++) {
        const national = `1${3 + (i % 7)}${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`;
        // One in ten goes by a latin name (Amy, TOM…): staff type it in any case.
        const name = i % 10 === 5 ? LATIN[Math.floor(rand() * LATIN.length)] : `${SURNAMES[Math.floor(rand() * SURNAMES.length)]}${GIVEN[Math.floor(rand() * GIVEN.length)]}`;
        const nickname = `${name}${i % 3 ? '' : i}`;
        phones.push(national);
        nicknames.push(nickname);
        const openid = `bench-m-${String(i).padStart(6, '0')}`;
        const joinedAt = new Date(NOW - Math.floor(rand() * 400) * 86_400_000 - i);
        const orders = rand() < 0.25 ? 1 + Math.floor(rand() * 4) : 0;
        docs.push({
          _id: openid,
          unionid: null,
          status: 'active',
          joinedAt,
          nickname,
          nicknameKey: nicknameKey(nickname),
          avatar: null,
          birthday: null,
          phone: { enc: seal(national, openid), countryCode: '86' },
          phoneHash: phoneHash('86', national),
          phoneMasked: maskPhone(national),
          phoneIsDevelopment: false,
          privacy: { version: '2025-01', acceptedAt: joinedAt },
          attribution: { source: 'card', channel: 'taobao', batchId: 'benchb1', serial: i + 1, inviter: null, at: joinedAt },
          staffId: null,
          joinRequestId: `bench-${i}`,
          points: orders * 100,
          stats: { orders, spentFen: orders * 12_800, lastOrderAt: orders ? new Date(joinedAt.getTime() + 86_400_000) : null },
          segments: orders ? ['buyer'] : [],
          tags: [],
          bindGuard: null,
          updatedAt: joinedAt,
        });
      }
      await db.collection('members').add({ data: docs });
    }
    const orderNos: string[] = [];
    for (let from = 0; from < ORDERS; from += BATCH) {
      const docs = [];
      for (let i = from; i < from + BATCH; i++) {
        const orderNo = `38${String(1_000_000_000_000 + i * 7919).padStart(17, '0')}`;
        orderNos.push(orderNo);
        const member = (i * 4) % MEMBERS;
        const paidAt = new Date(NOW - (i % 300) * 86_400_000);
        docs.push({
          _id: `taobao:${orderNo}`,
          platform: 'taobao',
          orderNo,
          amountFen: 12_800,
          paidAt,
          product: '明前龙井 250g',
          quantity: 1,
          statusText: '交易成功',
          phoneEnc: null,
          phoneHash: phoneHash('86', phones[member]),
          phoneMasked: maskPhone(phones[member]),
          last4Check: 'bench',
          fingerprint: 'bench',
          bindState: 'bound',
          boundTo: `bench-m-${String(member).padStart(6, '0')}`,
          boundAt: paidAt,
          points: 128,
          bindGuard: null,
          importJobId: 'imp_bench',
          importRow: i + 2,
          firstImportJobId: 'imp_bench',
          importedAt: paidAt,
          updatedAt: paidAt,
        });
      }
      await db.collection('orders').add({ data: docs });
    }
    const seedSeconds = (performance.now() - started) / 1000;

    // The admin timer as CloudBase fires it, until the new members are indexed and placed.
    const timerStarted = performance.now();
    let timerRuns = 0;
    for (;;) {
      const res = (await rt.fireTimer('admin', 'continueImports')) as ApiResult<{ upkeep: { newMembers: number; segments: { status: string } } }>;
      timerRuns += 1;
      const { upkeep } = data(res, 'admin timer');
      if (upkeep.newMembers === 0 && upkeep.segments.status !== 'running') break;
      if (timerRuns > 200) throw new Error('the admin timer never caught up');
    }
    const timerSeconds = (performance.now() - timerStarted) / 1000;

    let n = 0;
    const find = async (by: MemberSearchBy, q: string): Promise<{ ms: number; hits: number }> => {
      const t0 = performance.now();
      const res = (await rt.invoke('admin', { action: 'member.find', payload: { by, q }, requestId: `bench-find-${++n}` }, { OPENID: DEMO_OWNER_OPENID })) as ApiResult<MemberSearchResult>;
      const ms = performance.now() - t0;
      return { ms, hits: data(res, `member.find ${by} ${q}`).members.length };
    };
    const pick = seeded(11);
    const at = <T>(list: T[]): T => list[Math.floor(pick() * list.length)];
    const kinds: [string, MemberSearchBy, () => string][] = [
      ['phone suffix', 'phone', () => at(phones).slice(-4)],
      ['whole phone', 'phone', () => at(phones)],
      ['order number', 'orderNo', () => at(orderNos)],
      ['nickname start', 'nickname', () => at(nicknames).slice(0, 1 + Math.floor(pick() * 2))],
      ['latin, any case', 'nickname', () => at(LATIN).slice(0, 2 + Math.floor(pick() * 2)).toLowerCase()],
    ];
    for (const [, by, q] of kinds) await find(by, q()); // warm the bundle and SQLite's caches
    const all: number[] = [];
    const byKind: SearchFigures['byKind'] = {};
    for (const [label, by, q] of kinds) {
      const times: number[] = [];
      let hits = 0;
      for (let i = 0; i < SEARCHES_PER_KIND; i++) {
        const r = await find(by, q());
        times.push(r.ms);
        hits += r.hits;
      }
      times.sort((a, b) => a - b);
      byKind[label] = { p50: round(quantile(times, 0.5)), p99: round(quantile(times, 0.99)), hits: round(hits / SEARCHES_PER_KIND, 1) };
      all.push(...times);
    }
    all.sort((a, b) => a - b);
    return { seedSeconds, timerSeconds, timerRuns, p50: round(quantile(all, 0.5)), p99: round(quantile(all, 0.99)), byKind };
  } finally {
    rt.close();
  }
}

const TYPES: [string, number][] = [
  ['card_scan', 40],
  ['member_signup', 15],
  ['card_claim', 12],
  ['order_bind', 10],
  ['coupon_claim', 8],
  ['coupon_redeem', 6],
  ['invite_signup', 3],
  ['group_join', 3],
  ['community_open', 3],
];
const CHANNELS = ['taobao', 'jd', 'pdd', 'douyin', 'offline'];

async function dashboardPhase(dataDir: string, events: number): Promise<DashboardFigures> {
  const { LocalRuntime } = await import('../../local/runtime');
  const { DEMO_OWNER_OPENID, seedDemoStore } = await import('../../local/seed');
  const { getDb } = await import('../../server/runtime/db');
  const { toEventDoc } = await import('../../server/events/log');
  const { measure } = await import('../../local/context');
  const rt = new LocalRuntime({ dataDir, load: 'bundle' });
  try {
    // From the first minute of the 30-day range (Shanghai) to "now".
    const start = Date.parse('2026-02-09T00:00:00+08:00');
    const hours = Math.floor((NOW - start) / 3_600_000);
    rt.clock.set(new Date(start).toISOString());
    await seedDemoStore(rt);
    const db = getDb();
    const rand = seeded(events);
    const weights = TYPES.reduce((s, [, w]) => s + w, 0);
    const typeOf = (): string => {
      let r = rand() * weights;
      for (const [t, w] of TYPES) if ((r -= w) < 0) return t;
      return TYPES[0][0];
    };
    const started = performance.now();
    let written = 0;
    let scans = 0;
    for (let h = 0; h < hours; h++) {
      const count = Math.round(((h + 1) * events) / hours) - written;
      const docs = [];
      for (let i = 0; i < count; i++) {
        const type = typeOf();
        const card = type.startsWith('card_') || type === 'member_signup' || type === 'order_bind';
        const batch = Math.floor(rand() * 20);
        if (type === 'card_scan') scans += 1;
        const at = new Date(start + h * 3_600_000 + Math.floor(rand() * 3_600_000));
        docs.push(
          toEventDoc(
            {
              type: type as never,
              openid: `u${Math.floor(rand() * 200_000)}`,
              ...(card ? { batchId: `b${batch}`, channel: CHANNELS[batch % 5] } : {}),
              ...(rand() < 0.6 ? { staffId: `staff-${Math.floor(rand() * 6)}` } : {}),
              ...(type === 'order_bind' || type === 'coupon_redeem' ? { amountFen: 5_000 + Math.floor(rand() * 50_000) } : {}),
            },
            at,
          ),
        );
      }
      for (let k = 0; k < docs.length; k += BATCH) await db.collection('events').add({ data: docs.slice(k, k + BATCH) as unknown as Record<string, unknown>[] });
      written += count;
      // The member function's fold, two minutes after the hour: it folds closed minutes (older than
      // two minutes), so exactly this hour; the next hour's events are written after it.
      rt.clock.set(new Date(start + (h + 1) * 3_600_000 + 2 * 60_000).toISOString());
      data((await rt.fireTimer('member', 'foldEvents')) as ApiResult<unknown>, 'fold');
    }
    const seedSeconds = (performance.now() - started) / 1000;
    rt.clock.set(new Date(NOW + 2 * 60_000).toISOString());
    data((await rt.fireTimer('admin', 'continueImports')) as ApiResult<unknown>, 'admin timer');

    const t0 = performance.now();
    const { result, cost } = await measure(() => rt.invoke('admin', { action: 'dashboard.get', payload: { range: '30d' } }, { OPENID: DEMO_OWNER_OPENID }));
    const ms = performance.now() - t0;
    const dash = data(result as ApiResult<Dashboard>, 'dashboard.get');
    if (dash.funnel.scans !== scans) throw new Error(`dashboard counted ${dash.funnel.scans} scans, ${scans} were written`);
    return { events, seedSeconds, docsRead: dash.docsRead, readRequests: cost.reads, ms: round(ms, 1), scans };
  } finally {
    rt.close();
  }
}

async function generate(root: string): Promise<Generated> {
  process.env.PRIVDOM_LOG = 'silent';
  const search = await searchPhase(path.join(root, 'search'));
  const dashboards = [await dashboardPhase(path.join(root, 'events-10k'), 10_000), await dashboardPhase(path.join(root, 'events-1m'), 1_000_000)];
  return { search, dashboards };
}

const inChild = (dataDir: string): Promise<Generated> => runInChild<Generated>(__filename, RESULT, [dataDir]);

export const adminScenario: Scenario = async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'privdom-admin-bench-'));
  try {
    const g = await inChild(dataDir);
    const [small, large] = g.dashboards;
    const figures = {
      memberSearchP50Ms: g.search.p50,
      memberSearchP99Ms: g.search.p99,
      dashboardDocsAt10k: small.docsRead,
      dashboardDocsAt1M: large.docsRead,
    };
    say(
      `member search       ${MEMBERS.toLocaleString('en')} members, ${ORDERS.toLocaleString('en')} orders (seeded in ${g.search.seedSeconds.toFixed(1)} s; ` +
        `admin timer indexed and placed them in ${g.search.timerSeconds.toFixed(1)} s over ${g.search.timerRuns} runs): ` +
        `p50 ${figures.memberSearchP50Ms} ms, p99 ${figures.memberSearchP99Ms} ms over ${SEARCHES_PER_KIND * Object.keys(g.search.byKind).length} searches`,
    );
    for (const [kind, f] of Object.entries(g.search.byKind)) say(`  ${kind.padEnd(18)}p50 ${f.p50} ms, p99 ${f.p99} ms, ${f.hits} members found on average`);
    for (const d of g.dashboards) {
      say(
        `dashboard 30 days   ${d.events.toLocaleString('en')} events (written and folded hour by hour in ${d.seedSeconds.toFixed(1)} s): ` +
          `${d.docsRead} documents read in ${d.readRequests} read requests, ${d.ms} ms`,
      );
    }
    return figures;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
};

if (require.main === module && process.argv[2] === '--generate') {
  generate(process.argv[3])
    .then((g) => {
      process.stdout.write(`${RESULT}${JSON.stringify(g)}\n`);
      process.exit(0);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
} else if (require.main === module) {
  // `npx tsx bench/scenarios/admin.ts`: this scenario alone, on freshly built bundles.
  import('../../scripts/build-functions')
    .then(({ buildFunctions }) => buildFunctions())
    .then(() => adminScenario({ child: null as never, base: '' }, { emptyActionRps: 0 }))
    .then((figures) => process.stdout.write(JSON.stringify(figures) + '\n'))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
