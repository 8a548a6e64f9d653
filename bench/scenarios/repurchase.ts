/**
 * A daily repurchase run over 100,000 members, start to finish, the way the timer does it.
 *
 * Setup (not measured): a fresh local runtime in a child process of its own (in-memory SQLite,
 * the BUILT bundles, what CloudBase runs), the demo store, an unlimited coupon, 100,000 members
 * written straight to the database in batch adds of 1,000. 30 % of them are buyers (segment
 * `buyer`, a bound order in their stats; about the share of buyers in a store's private domain),
 * and every fifth buyer accepted the repurchase reminder. ONE active rule: a new-product trial
 * for the buyers, with a reminder. So the run reaches 30,000 members, issues 30,000 coupons
 * through the one issuing path and queues 6,000 reminders.
 *
 * Measured: the clock is set to 10:00 Shanghai time the next day and the growth timer is fired
 * again and again, as CloudBase's trigger would (each invocation works until 80 % of its 50 s
 * budget, then stores its cursor), until the day's run is done.
 * - `repurchaseRun100kSeconds`: wall time of all those invocations together.
 * - `repurchaseCallsPerMember`: CloudBase billable operations (invocations + database reads +
 *   writes, counted by `measure()` the way the local executor meters them: one per request,
 *   whatever it touches) of the whole run, divided by the 100,000 members. Per page of 1,000
 *   members the run makes 1 read of the page and 1 read of who already holds the coupon; per
 *   coupon 2 (the issuing path reads the template and writes the coupon); per reminder 2 (the
 *   credit spent, the message queued) plus 1 read of credits per 200 members issued; per page 1
 *   events batch and 1 progress write. About 0.3 × 2 + 0.06 × 2 ≈ 0.72 here; a run that reaches
 *   everyone would cost a little over 2, and one that reaches nobody about 0.002.
 *
 * The work runs in a child process so its time and memory are not mixed with the bench server's.
 */
import { performance } from 'node:perf_hooks';
import { measure } from '../../local/context';
import type { ApiResult, CouponTemplateView, RepurchaseRuleView, RepurchaseRunView } from '../../typings';
import { runInChild, say, type Scenario } from '../harness';

const MEMBERS = 100_000;
const BUYER_EVERY = 10; // 3 of every 10 members are buyers
const BUYERS_PER_TEN = 3;
const SUBSCRIBER_EVERY = 5; // every fifth buyer accepted the reminder
const RESULT = 'REPURCHASE-BENCH ';

interface Measured {
  seconds: number;
  invocations: number;
  reads: number;
  writes: number;
  seedSeconds: number;
  run: RepurchaseRunView;
}

function data<T>(result: ApiResult<T>, what: string): T {
  if (!result.ok) throw new Error(`${what} failed: ${result.error.code} ${result.error.message}`);
  return result.data;
}

const isBuyer = (i: number): boolean => i % BUYER_EVERY < BUYERS_PER_TEN;

function memberDoc(i: number, joinedAt: Date): Record<string, unknown> {
  const buyer = isBuyer(i);
  const lastOrderAt = buyer ? new Date(joinedAt.getTime() + (i % 60) * 86_400_000) : null;
  return {
    _id: `bench-member-${String(i).padStart(6, '0')}`,
    unionid: null,
    status: 'active',
    joinedAt,
    nickname: `会员${i}`,
    avatar: null,
    birthday: i % 3 === 0 ? null : `19${70 + (i % 30)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    phoneHash: `bench-phone-${i}`,
    phoneMasked: '138****0000',
    phoneIsDevelopment: true,
    attribution: { source: 'direct', channel: null, batchId: null, serial: null, inviter: null, at: joinedAt },
    staffId: null,
    points: buyer ? 128 : 0,
    stats: { orders: buyer ? 1 : 0, spentFen: buyer ? 12_800 : 0, lastOrderAt },
    segments: buyer ? ['buyer'] : [],
    tags: [],
    bindGuard: null,
    updatedAt: joinedAt,
  };
}

/** Runs in the child: seeds, runs the timer to the end of the day's run, reports. */
async function generate(): Promise<Measured> {
  process.env.PRIVDOM_LOG = 'silent';
  const { LocalRuntime } = await import('../../local/runtime');
  const { DEMO_OWNER_OPENID, seedDemoStore } = await import('../../local/seed');
  const { getDb } = await import('../../server/runtime/db');
  const { COLLECTIONS } = await import('../../database/collections');
  const rt = new LocalRuntime({ load: 'bundle' });
  try {
    rt.clock.set('2026-06-01T02:00:00Z'); // 10:00 Shanghai
    await seedDemoStore(rt);
    let n = 0;
    const invoke = <T>(fn: string, action: string, payload: object) =>
      rt.invoke(fn, { action, payload, requestId: `bench-repurchase-${++n}` }, { OPENID: DEMO_OWNER_OPENID }) as Promise<ApiResult<T>>;

    const seedStarted = performance.now();
    const template = data(
      await invoke<CouponTemplateView>('coupon', 'coupon.template.create', {
        title: '新品试饮券',
        rules: '压测用券',
        kind: 'amount_off',
        amountOffFen: 2000,
        thresholdFen: 9900,
        validity: { type: 'relative', days: 14 },
        totalStock: null,
        perMemberLimit: 5,
        audience: { type: 'everyone' },
        stackable: false,
      }),
      'template',
    );
    const joinedAt = new Date('2026-01-01T02:00:00Z');
    const members = getDb().collection(COLLECTIONS.members);
    const credits = getDb().collection(COLLECTIONS.repurchaseReminderCredits);
    for (let start = 0; start < MEMBERS; start += 1000) {
      const batch = Array.from({ length: 1000 }, (_, k) => memberDoc(start + k, joinedAt));
      await members.add({ data: batch });
      const subscribers = batch.filter((_m, k) => isBuyer(start + k) && (start + k) % (BUYER_EVERY * SUBSCRIBER_EVERY) < BUYERS_PER_TEN);
      if (subscribers.length) {
        await credits.add({ data: subscribers.map((m) => ({ _id: `bench-credit-${String(m._id)}`, openid: m._id, state: 'unused', createdAt: joinedAt })) });
      }
    }
    const rule = data(
      await invoke<RepurchaseRuleView>('growth', 'repurchase.rule.create', {
        name: '新品试饮（购买用户）',
        trigger: { kind: 'new_product_trial', segment: 'buyer', product: '凤凰单丛' },
        templateId: template.id,
        reminder: '新品上市，送您一张试饮券',
      }),
      'rule',
    );
    data(await invoke('growth', 'repurchase.rule.setStatus', { ruleId: rule.id, status: 'active' }), 'activate');
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    rt.clock.set('2026-06-02T02:00:00Z'); // the next day, 10:00 Shanghai
    const started = performance.now();
    const { cost } = await measure(async () => {
      for (let fired = 0; fired < 1000; fired++) {
        const report = data((await rt.fireTimer('growth')) as ApiResult<{ repurchase: { status: string | null } }>, 'timer');
        if (report.repurchase.status === 'done') return;
      }
      throw new Error('the run did not finish in 1,000 timer invocations');
    });
    const seconds = (performance.now() - started) / 1000;
    const [run] = data(await invoke<{ runs: RepurchaseRunView[] }>('growth', 'repurchase.run.list', {}), 'runs').runs;
    const expectedIssued = Array.from({ length: MEMBERS }, (_, i) => i).filter(isBuyer).length;
    if (run.issued !== expectedIssued) throw new Error(`the run issued ${run.issued}, expected ${expectedIssued}`);
    const issued = (await getDb().collection(COLLECTIONS.coupons).where({ templateId: template.id }).count()).total;
    if (issued !== expectedIssued) throw new Error(`${issued} coupons exist, expected ${expectedIssued}`);
    return { seconds, invocations: cost.invocations, reads: cost.reads, writes: cost.writes, seedSeconds, run };
  } finally {
    rt.close();
  }
}

const inChild = (): Promise<Measured> => runInChild<Measured>(__filename, RESULT);

export const repurchaseScenario: Scenario = async () => {
  const m = await inChild();
  const ops = m.invocations + m.reads + m.writes;
  const figures = {
    repurchaseRun100kSeconds: Number(m.seconds.toFixed(1)),
    repurchaseCallsPerMember: Number((ops / MEMBERS).toFixed(3)),
  };
  say(
    `repurchase run 100k ${figures.repurchaseRun100kSeconds} s in ${m.invocations} timer invocations: ${m.run.issued} coupons, ` +
      `${m.run.reminded} reminders; ${ops} billable ops (${m.reads} reads, ${m.writes} writes) = ` +
      `${figures.repurchaseCallsPerMember} per member (seeding took ${m.seedSeconds.toFixed(1)} s, not counted)`,
  );
  return figures;
};

if (require.main === module && process.argv[2] === '--generate') {
  generate()
    .then((m) => {
      process.stdout.write(`${RESULT}${JSON.stringify(m)}\n`);
      process.exit(0);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
