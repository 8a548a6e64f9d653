/**
 * The daily repurchase run as operators rely on it: a rerun the same day issues nothing new, an
 * interrupted run resumes without issuing twice, reminders go only to members who asked for them,
 * and the run says what it did.
 */
import { COLLECTIONS } from '../../database/collections';
import { measure } from '../../local/context';
import { runGrowthTimer } from '../../server/growth/timer';
import { getDb } from '../../server/runtime/db';
import { allOf } from '../members/support';
import { ok, rid, useRuntime, type TestRuntime } from '../support/runtime';
import { makeOwner } from '../support/staff';
import { activeRule, boundOrder, holders, join, repurchaseCoupon, runDoc, runs, runToEnd, sh } from './support';

const t = useRuntime();

/** A store whose `n` buyers are all due for a trial coupon today. */
async function storeWithBuyers(t: TestRuntime, n: number, reminder: string | null = null) {
  t.rt.clock.set(sh('2026-06-01 10:00'));
  const owner = await makeOwner(t);
  const tpl = await repurchaseCoupon(t, owner, '新品试饮券');
  const buyers = Array.from({ length: n }, (_, i) => `buyer-${String(i).padStart(2, '0')}`);
  for (const openid of buyers) {
    await join(t, openid);
    await boundOrder(t, owner, openid, '2026-05-20 12:00');
  }
  const rule = await activeRule(t, owner, { name: '新品试饮', trigger: { kind: 'new_product_trial', segment: 'buyer', product: '凤凰单丛' }, templateId: tpl.id, reminder });
  t.rt.clock.set(sh('2026-06-02 09:30'));
  return { owner, tpl, rule, buyers };
}

const withEnv = async <T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> => {
  const before = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
};

describe('a rerun the same day', () => {
  it('issues nothing new, sends nothing again and leaves the report as it was', async () => {
    const { owner, tpl, buyers } = await storeWithBuyers(t, 5, '新品上市，送您一张试饮券');
    ok(await t.call('buyer-00', 'growth', 'repurchase.subscribe', { accepted: true }, rid('sub')));
    await runToEnd(t);
    expect(await holders(tpl.id)).toEqual(buyers);
    const [report] = await runs(t, owner);
    const outbox = await allOf(COLLECTIONS.outbox);

    t.rt.clock.set(sh('2026-06-02 15:00'));
    const again = await measure(async () => {
      for (let i = 0; i < 3; i++) expect(ok((await t.rt.fireTimer('growth')) as never)).toMatchObject({ repurchase: { state: 'idle', issued: 0 } });
    });
    expect(await holders(tpl.id)).toEqual(buyers);
    expect(await allOf(COLLECTIONS.outbox)).toEqual(outbox);
    expect((await runs(t, owner))[0]).toEqual(report);
    // A done day costs a read or two per timer, not a pass over the members.
    expect(again.cost.writes).toBe(0);
    expect(again.cost.reads).toBeLessThanOrEqual(3 * 3);
  });

  it('the next day, members who already have the trial coupon are skipped with one read per page', async () => {
    const { owner, tpl, buyers } = await storeWithBuyers(t, 4);
    await runToEnd(t);
    t.rt.clock.set(sh('2026-06-03 09:10'));
    await runToEnd(t);
    expect(await holders(tpl.id)).toEqual(buyers);
    expect((await runs(t, owner))[0]).toMatchObject({ day: '2026-06-03', evaluated: 4, issued: 0, skipped: { already: 4 } });
  });
});

describe('an interrupted run', () => {
  it('cut into one page per timer (a tiny time budget), it carries on where it stopped and says what is left', async () => {
    const { owner, tpl, buyers } = await storeWithBuyers(t, 7);
    await withEnv({ PRIVDOM_GROWTH_BUDGET_MS: '0', PRIVDOM_GROWTH_PAGE_SIZE: '2' }, async () => {
      const first = ok((await t.rt.fireTimer('growth')) as never) as { repurchase: { status: string; remaining: number; issued: number } };
      expect(first.repurchase).toMatchObject({ status: 'running', issued: 2, remaining: 5 });
      expect((await runs(t, owner))[0]).toMatchObject({ status: 'running', issued: 2, remaining: 5 });
      expect(await runToEnd(t)).toBe(3);
    });
    expect(await holders(tpl.id)).toEqual(buyers);
    expect((await runs(t, owner))[0]).toMatchObject({ status: 'done', evaluated: 7, issued: 7, remaining: 0, invocations: 4 });
  });

  it('a crash in the middle of a page: the next timer (after the lease runs out) finishes it and nobody gets a second coupon', async () => {
    const { owner, tpl, buyers } = await storeWithBuyers(t, 12, '新品上市，送您一张试饮券');
    for (const b of buyers.slice(0, 6)) ok(await t.call(b, 'growth', 'repurchase.subscribe', { accepted: true }, rid('sub')));
    let issuedBeforeCrash = 0;
    await expect(
      runGrowthTimer(new Date(t.rt.clock.now()), {
        afterIssue: () => {
          if (++issuedBeforeCrash >= 3) throw new Error('instance killed');
        },
      }),
    ).rejects.toThrow('instance killed');
    const partial = await holders(tpl.id);
    expect(partial.length).toBeGreaterThanOrEqual(3);
    expect(partial.length).toBeLessThan(buyers.length);
    expect((await runDoc('2026-06-02'))!.cursor).toBe('');

    // Within the lease nobody else works on it.
    expect(ok((await t.rt.fireTimer('growth')) as never)).toMatchObject({ repurchase: { state: 'busy' } });
    t.rt.clock.advance(2 * 60_000);
    await runToEnd(t);
    expect(await holders(tpl.id)).toEqual(buyers);
    expect((await runs(t, owner))[0]).toMatchObject({ status: 'done', evaluated: 12, issued: 12, reminded: 6 });
    const messages = await allOf<{ toOpenid: string; dedupeKey: string }>(COLLECTIONS.outbox);
    expect(messages.map((m) => m.toOpenid).sort()).toEqual(buyers.slice(0, 6));
  });

  it('a run left unfinished at 21:00 finishes the next morning before that day\'s run, which finds those members served', async () => {
    t.rt.clock.set(sh('2027-01-20 10:00'));
    const owner = await makeOwner(t);
    const tpl = await repurchaseCoupon(t, owner, '生日券');
    for (const [openid, birthday] of [['f1', '1990-02-01'], ['f2', '1991-02-14'], ['f3', '1992-02-29']]) await join(t, openid, { birthday });
    await activeRule(t, owner, { name: '生日月礼', trigger: { kind: 'birthday_month' }, templateId: tpl.id, reminder: null });

    t.rt.clock.set(sh('2027-02-01 20:55'));
    await withEnv({ PRIVDOM_GROWTH_BUDGET_MS: '0', PRIVDOM_GROWTH_PAGE_SIZE: '1' }, () => t.rt.fireTimer('growth'));
    expect(await holders(tpl.id)).toEqual(['f1']);
    t.rt.clock.set(sh('2027-02-01 21:10'));
    expect(ok((await t.rt.fireTimer('growth')) as never)).toMatchObject({ repurchase: { state: 'quiet' } });

    // One invocation finishes yesterday's run and does today's (same clock reading for both).
    t.rt.clock.set(sh('2027-02-02 09:00'));
    const morning = await withEnv({ PRIVDOM_GROWTH_PAGE_SIZE: '1' }, () => t.rt.fireTimer('growth'));
    expect(ok(morning as never)).toMatchObject({ repurchase: { day: '2027-02-02', status: 'done', issued: 2 } });
    expect(await holders(tpl.id)).toEqual(['f1', 'f2', 'f3']);
    const [today, yesterday] = await runs(t, owner);
    expect(yesterday).toMatchObject({ day: '2027-02-01', status: 'done', issued: 3, invocations: 2 });
    expect(today).toMatchObject({ day: '2027-02-02', status: 'done', evaluated: 3, issued: 0, skipped: { already: 3 } });
  });
});

describe('reminders', () => {
  it('go only to members who accepted the reminder, spend one acceptance each, and open the coupon', async () => {
    const { owner, tpl, rule } = await storeWithBuyers(t, 3, '新品上市，送您一张试饮券');
    expect(ok(await t.call('buyer-01', 'growth', 'repurchase.subscription', {}))).toEqual({ templateId: 'local-repurchase-reminder', credits: 0 });
    ok(await t.call('buyer-01', 'growth', 'repurchase.subscribe', { accepted: true }, rid('sub')));
    ok(await t.call('buyer-01', 'growth', 'repurchase.subscribe', { accepted: true }, rid('sub')));
    expect(ok(await t.call('buyer-02', 'growth', 'repurchase.subscribe', { accepted: false }, rid('sub')))).toEqual({ credits: 0 });
    await runToEnd(t);

    const [message] = await allOf<{ toOpenid: string; templateId: string; page: string; data: Record<string, { value: string }>; dedupeKey: string }>(COLLECTIONS.outbox);
    const [coupon] = (await getDb().collection(COLLECTIONS.coupons).where({ holder: 'buyer-01', templateId: tpl.id }).get()).data as { _id: string }[];
    expect(message).toMatchObject({
      toOpenid: 'buyer-01',
      templateId: 'local-repurchase-reminder',
      page: `pages/coupon/detail/index?id=${coupon._id}`,
      data: { thing1: { value: '新品试饮券' }, thing2: { value: '新品上市，送您一张试饮券' } },
      dedupeKey: `rp:${rule.id}:once:buyer-01`,
    });
    expect(await allOf(COLLECTIONS.outbox)).toHaveLength(1);
    expect(ok(await t.call('buyer-01', 'growth', 'repurchase.subscription', {}))).toMatchObject({ credits: 1 });
    expect((await runs(t, owner))[0]).toMatchObject({ issued: 3, reminded: 1 });
  });
});

describe('coupons that cannot be issued', () => {
  it('a sold-out coupon stops the rule for the day, and the report says why the others got nothing', async () => {
    t.rt.clock.set(sh('2026-06-01 10:00'));
    const owner = await makeOwner(t);
    const { createTemplate } = await import('../coupons/support');
    const tpl = await createTemplate(t, owner, { title: '限量试饮券', totalStock: 2, perMemberLimit: 1 });
    for (const b of ['s1', 's2', 's3', 's4']) {
      await join(t, b);
      await boundOrder(t, owner, b, '2026-05-20 12:00');
    }
    await activeRule(t, owner, { name: '限量试饮', trigger: { kind: 'new_product_trial', segment: 'buyer', product: '老枞水仙' }, templateId: tpl.id, reminder: null });
    t.rt.clock.set(sh('2026-06-02 10:00'));
    await runToEnd(t);
    expect((await holders(tpl.id)).length).toBe(2);
    expect((await runs(t, owner))[0]).toMatchObject({ evaluated: 4, issued: 2, skipped: { sold_out: 2 } });
  });

  it('a paused coupon issues nothing and is reported as unavailable; members who left are not reached', async () => {
    const { owner, tpl } = await storeWithBuyers(t, 3);
    ok(await t.call('buyer-02', 'member', 'member.delete', { confirm: true }, rid('del')));
    ok(await t.call(owner, 'coupon', 'coupon.template.setStatus', { templateId: tpl.id, status: 'paused' }, rid('pause')));
    await runToEnd(t);
    expect(await holders(tpl.id)).toEqual([]);
    expect((await runs(t, owner))[0]).toMatchObject({ evaluated: 2, issued: 0, skipped: { template_unavailable: 2 } });
  });

  it('outside 09:00–21:00 Shanghai time the run waits: customers are not disturbed at night', async () => {
    const { tpl } = await storeWithBuyers(t, 2);
    t.rt.clock.set(sh('2026-06-02 21:05'));
    expect(ok((await t.rt.fireTimer('growth')) as never)).toMatchObject({ repurchase: { state: 'quiet' } });
    t.rt.clock.set(sh('2026-06-03 08:55'));
    expect(ok((await t.rt.fireTimer('growth')) as never)).toMatchObject({ repurchase: { state: 'quiet' } });
    expect(await holders(tpl.id)).toEqual([]);
  });
});

it('what a run costs: a few reads to start, one read per page, one template read, and one write per coupon', async () => {
  await storeWithBuyers(t, 10);
  const { cost } = await measure(() => runToEnd(t));
  // Invites (no campaign): 2 reads. Run: latest run, active rules, run insert, lease, rule states
  // (2 reads), the segment page, the held-coupon lookup, one template read shared by the page's
  // issues (coupons/issue.ts keeps it for a second), 10 inserts, the page's events, the progress
  // write that finishes the run.
  expect(cost).toEqual({ invocations: 1, reads: 2 + 6 + 1, writes: 4 + 10 });
});
