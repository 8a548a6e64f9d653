/**
 * Repurchase rules at the edges of the Shanghai calendar, on a controllable clock: orders paid late
 * at night, birthdays at month ends and on 2月29日, win-back at exactly D days.
 * (Tests run with TZ=UTC, like the cloud functions: a day computed in UTC would show here.)
 */
import { COLLECTIONS } from '../../database/collections';
import { ok, useRuntime } from '../support/runtime';
import { makeOwner } from '../support/staff';
import { allOf } from '../members/support';
import { activeRule, boundOrder, holders, join, repurchaseCoupon, repurchaseCoupons, runs, runToEnd, sh } from './support';

const t = useRuntime();

describe('N days after an order (when the tea runs out)', () => {
  it('an order paid at 23:30 Shanghai time on 3月1日 is due on 3月31日 for a 30-day rule; one paid at 00:30 on 3月2日 a day later', async () => {
    t.rt.clock.set(sh('2026-03-01 10:00'));
    const owner = await makeOwner(t);
    const tpl = await repurchaseCoupon(t, owner);
    const rule = await activeRule(t, owner, {
      name: '龙井 30 天回购',
      trigger: { kind: 'after_order', days: 30, productKeywords: ['龙井'] },
      templateId: tpl.id,
      reminder: '茶快喝完了吧？送您一张回购券',
    });
    await join(t, 'alice');
    await join(t, 'bob');
    await join(t, 'carol');
    t.rt.clock.set(sh('2026-03-03 10:00'));
    await boundOrder(t, owner, 'alice', '2026-03-01 23:30');
    await boundOrder(t, owner, 'bob', '2026-03-02 00:30');
    await boundOrder(t, owner, 'carol', '2026-03-01 23:30', '白茶饼 357g');

    t.rt.clock.set(sh('2026-03-30 10:00'));
    await runToEnd(t);
    expect(await holders(tpl.id)).toEqual([]);

    t.rt.clock.set(sh('2026-03-31 09:10'));
    await runToEnd(t);
    const coupons = await repurchaseCoupons(tpl.id);
    expect(coupons).toEqual([
      expect.objectContaining({ holder: 'alice', requestKey: `rp:${rule.id}:2026-03-01`, source: { type: 'repurchase', ref: `${rule.id}@2026-03-31` } }),
    ]);

    t.rt.clock.set(sh('2026-04-01 09:10'));
    await runToEnd(t);
    expect(await holders(tpl.id)).toEqual(['alice', 'bob']);

    const [april1, march31] = await runs(t, owner);
    expect(march31).toMatchObject({ day: '2026-03-31', status: 'done', evaluated: 1, issued: 1, remaining: 0 });
    expect(april1).toMatchObject({ day: '2026-04-01', status: 'done', evaluated: 1, issued: 1 });
    expect(april1.rules).toEqual([expect.objectContaining({ ruleId: rule.id, name: '龙井 30 天回购', issued: 1 })]);
  });

  it('a member who bought again since the order is left alone; two orders of one day bring one coupon', async () => {
    t.rt.clock.set(sh('2026-03-01 10:00'));
    const owner = await makeOwner(t);
    const tpl = await repurchaseCoupon(t, owner);
    await activeRule(t, owner, { name: '30 天回购', trigger: { kind: 'after_order', days: 30, productKeywords: [] }, templateId: tpl.id, reminder: null });
    await join(t, 'dave');
    await join(t, 'erin');
    t.rt.clock.set(sh('2026-03-20 10:00'));
    await boundOrder(t, owner, 'dave', '2026-03-01 20:00');
    await boundOrder(t, owner, 'dave', '2026-03-19 20:00');
    await boundOrder(t, owner, 'erin', '2026-03-01 08:00');
    await boundOrder(t, owner, 'erin', '2026-03-01 21:00');

    t.rt.clock.set(sh('2026-03-31 10:00'));
    await runToEnd(t);
    expect(await holders(tpl.id)).toEqual(['erin']);
    const [run] = await runs(t, owner);
    expect(run).toMatchObject({ evaluated: 2, issued: 1, skipped: { ordered_again: 1 } });
  });

  it('days the timer missed are caught up (at most a week back), and no day is covered twice', async () => {
    t.rt.clock.set(sh('2026-03-01 10:00'));
    const owner = await makeOwner(t);
    const tpl = await repurchaseCoupon(t, owner);
    await activeRule(t, owner, { name: '10 天回购', trigger: { kind: 'after_order', days: 10, productKeywords: [] }, templateId: tpl.id, reminder: null });
    for (const name of ['p1', 'p2', 'p3']) await join(t, name);
    t.rt.clock.set(sh('2026-03-05 10:00'));
    await boundOrder(t, owner, 'p1', '2026-03-02 12:00');
    await boundOrder(t, owner, 'p2', '2026-03-03 12:00');
    await boundOrder(t, owner, 'p3', '2026-03-04 12:00');

    t.rt.clock.set(sh('2026-03-12 10:00'));
    await runToEnd(t);
    expect(await holders(tpl.id)).toEqual(['p1']);
    // The timer is down on 3月13日; 3月14日 covers both days.
    t.rt.clock.set(sh('2026-03-14 10:00'));
    await runToEnd(t);
    expect(await holders(tpl.id)).toEqual(['p1', 'p2', 'p3']);
    const [latest] = await runs(t, owner);
    expect(latest).toMatchObject({ day: '2026-03-14', evaluated: 2, issued: 2 });
  });
});

describe('birthdays', () => {
  const people: Record<string, string> = { jan31: '1990-01-31', leap: '1992-02-29', feb28: '1991-02-28', mar1: '1985-03-01' };

  async function store() {
    t.rt.clock.set(sh('2027-01-02 10:00'));
    const owner = await makeOwner(t);
    const tpl = await repurchaseCoupon(t, owner, '生日券');
    for (const [openid, birthday] of Object.entries(people)) await join(t, openid, { birthday });
    return { owner, tpl };
  }

  it('birth month: the last evening of January is January, 09:00 on 2月1日 (still January in UTC) is February; once a year', async () => {
    const { owner, tpl } = await store();
    const rule = await activeRule(t, owner, { name: '生日月礼', trigger: { kind: 'birthday_month' }, templateId: tpl.id, reminder: '生日快乐！送您一张生日券' });

    t.rt.clock.set(sh('2027-01-31 20:50'));
    await runToEnd(t);
    expect(await holders(tpl.id)).toEqual(['jan31']);

    t.rt.clock.set(sh('2027-02-01 09:00'));
    await runToEnd(t);
    expect(await holders(tpl.id)).toEqual(['feb28', 'jan31', 'leap']);

    t.rt.clock.set(sh('2027-02-02 09:00'));
    await runToEnd(t);
    expect(await holders(tpl.id)).toEqual(['feb28', 'jan31', 'leap']);
    const [feb2] = await runs(t, owner);
    expect(feb2).toMatchObject({ day: '2027-02-02', evaluated: 2, issued: 0, skipped: { already: 2 } });

    const keys = (await repurchaseCoupons(tpl.id)).map((c) => c.requestKey);
    expect(new Set(keys)).toEqual(new Set([`rp:${rule.id}:2027`]));
  });

  it('on the day: a 2月29日 birthday is celebrated on 2月28日 in 2027, on 2月29日 in 2028', async () => {
    const { owner, tpl } = await store();
    const rule = await activeRule(t, owner, { name: '生日当天', trigger: { kind: 'birthday_day', daysBefore: 0 }, templateId: tpl.id, reminder: null });
    const day = async (local: string) => {
      t.rt.clock.set(sh(`${local} 10:00`));
      await runToEnd(t);
      return holders(tpl.id);
    };
    expect(await day('2027-02-27')).toEqual([]);
    expect(await day('2027-02-28')).toEqual(['feb28', 'leap']);
    expect(await day('2027-03-01')).toEqual(['feb28', 'leap', 'mar1']);

    t.rt.clock.set(sh('2028-02-20 10:00'));
    await runToEnd(t);
    expect(await day('2028-02-28')).toEqual(['feb28', 'feb28', 'leap', 'mar1']);
    expect(await day('2028-02-29')).toEqual(['feb28', 'feb28', 'leap', 'leap', 'mar1']);
    const leapKeys = (await repurchaseCoupons(tpl.id)).filter((c) => c.holder === 'leap').map((c) => c.requestKey);
    expect(leapKeys.sort()).toEqual([`rp:${rule.id}:2027`, `rp:${rule.id}:2028`]);
  });

  it('three days before: a 3月1日 birthday is greeted on 2月26日 in 2027, on 2月27日 in 2028', async () => {
    const { owner, tpl } = await store();
    await activeRule(t, owner, { name: '生日前三天', trigger: { kind: 'birthday_day', daysBefore: 3 }, templateId: tpl.id, reminder: null });
    const fire = async (local: string) => {
      t.rt.clock.set(sh(`${local} 10:00`));
      await runToEnd(t);
      return (await holders(tpl.id)).filter((h) => h === 'mar1').length;
    };
    expect(await fire('2027-02-25')).toBe(0);
    expect(await fire('2027-02-26')).toBe(1);
    t.rt.clock.set(sh('2028-02-20 10:00'));
    await runToEnd(t);
    expect(await fire('2028-02-26')).toBe(1);
    expect(await fire('2028-02-27')).toBe(2);
  });
});

describe('win-back', () => {
  it('a member quiet for exactly 60 days since an order paid at 23:30 hears from the store on day 60, not day 59 or 61', async () => {
    t.rt.clock.set(sh('2026-01-01 10:00'));
    const owner = await makeOwner(t);
    const tpl = await repurchaseCoupon(t, owner, '老友回归券');
    await activeRule(t, owner, { name: '沉睡 60 天召回', trigger: { kind: 'win_back', days: 60 }, templateId: tpl.id, reminder: null });
    await join(t, 'quiet');
    await join(t, 'busy');
    await join(t, 'never');
    t.rt.clock.set(sh('2026-01-12 10:00'));
    await boundOrder(t, owner, 'quiet', '2026-01-10 23:30');
    await boundOrder(t, owner, 'busy', '2026-01-10 10:00');
    t.rt.clock.set(sh('2026-02-01 10:00'));
    await boundOrder(t, owner, 'busy', '2026-02-01 09:00');

    for (const [local, expected] of [
      ['2026-03-10', []],
      ['2026-03-11', ['quiet']],
      ['2026-03-12', ['quiet']],
    ] as const) {
      t.rt.clock.set(sh(`${local} 10:00`));
      await runToEnd(t);
      expect(await holders(tpl.id)).toEqual(expected);
    }
    // The busy member's own 60 days end on 4月2日.
    t.rt.clock.set(sh('2026-04-02 10:00'));
    await runToEnd(t);
    expect(await holders(tpl.id)).toEqual(['busy', 'quiet']);
    expect((await allOf<{ type: string }>(COLLECTIONS.events, { type: 'repurchase_issue' })).length).toBe(2);
  });
});

it('a new product trial reaches the members of the segment once, however many days it stays on', async () => {
  t.rt.clock.set(sh('2026-05-01 10:00'));
  const owner = await makeOwner(t);
  const tpl = await repurchaseCoupon(t, owner, '白茶新品试饮券');
  await join(t, 'buyer1');
  await join(t, 'buyer2');
  await join(t, 'looker');
  await boundOrder(t, owner, 'buyer1', '2026-04-20 12:00');
  await boundOrder(t, owner, 'buyer2', '2026-04-21 12:00');
  await activeRule(t, owner, { name: '白茶试饮', trigger: { kind: 'new_product_trial', segment: 'buyer', product: '白茶饼' }, templateId: tpl.id, reminder: null });
  for (const local of ['2026-05-01 15:00', '2026-05-02 10:00', '2026-05-03 10:00']) {
    t.rt.clock.set(sh(local));
    await runToEnd(t);
  }
  expect(await holders(tpl.id)).toEqual(['buyer1', 'buyer2']);
  const [last] = await runs(t, owner);
  expect(last).toMatchObject({ evaluated: 2, issued: 0, skipped: { already: 2 } });
  expect(ok(await t.call(owner, 'growth', 'repurchase.rule.list', {})).rules[0]).toMatchObject({ status: 'active', summary: '「购买用户」会员试用新品「白茶饼」' });
});
