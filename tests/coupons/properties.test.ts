/**
 * Generated checks: any valid template yields coupons that end at 23:59:59.999 Shanghai time of
 * the right day; no order amount ever gets a discount above itself; and no corrupted field of any
 * coupon action gets past the edge or writes anything.
 */
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import fc from 'fast-check';
import { measure } from '../../local/context';
import { couponActions } from '../../server/coupons/actions';
import { discountFor } from '../../server/coupons/discount';
import { endOfShanghaiDay, shanghaiHour } from '../../server/coupons/validity';
import type { CouponTemplateInput } from '../../typings';
import { errorOf, ok, rid, useRuntime } from '../support/runtime';
import { makeOwner } from '../support/staff';
import { addMember, createTemplate } from './support';

const t = useRuntime();

dayjs.extend(utc);
dayjs.extend(timezone);

const DAY = 86_400_000;
const SHANGHAI_OFFSET = 8 * 3_600_000; // China has had no daylight saving time since 1991

/** Independent of the code under test: plain +08:00 arithmetic. */
const shanghaiDayIndex = (ms: number): number => Math.floor((ms + SHANGHAI_OFFSET) / DAY);
const endOfShanghaiDayIndex = (day: number): number => (day + 1) * DAY - SHANGHAI_OFFSET - 1;
const dateOfDayIndex = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);

type Terms = Pick<CouponTemplateInput, 'kind' | 'amountOffFen' | 'thresholdFen' | 'payPercent' | 'maxDiscountFen' | 'giftName'>;

const terms: fc.Arbitrary<Terms> = fc.oneof(
  fc
    .integer({ min: 1, max: 1_000_000 })
    .chain((thresholdFen) => fc.integer({ min: 1, max: thresholdFen }).map((amountOffFen) => ({ kind: 'amount_off' as const, thresholdFen, amountOffFen }))),
  fc.record(
    {
      kind: fc.constant('percent_off' as const),
      payPercent: fc.integer({ min: 1, max: 99 }),
      maxDiscountFen: fc.integer({ min: 1, max: 1_000_000 }),
      thresholdFen: fc.integer({ min: 0, max: 1_000_000 }),
    },
    { requiredKeys: ['kind', 'payPercent', 'maxDiscountFen'] },
  ),
  fc.record(
    { kind: fc.constant('gift' as const), giftName: fc.constantFrom('小菜一份', '试饮装', '定制杯'), thresholdFen: fc.integer({ min: 0, max: 100_000 }) },
    { requiredKeys: ['kind', 'giftName'] },
  ),
  fc.record({ kind: fc.constant('cash' as const), amountOffFen: fc.integer({ min: 1, max: 1_000_000 }) }),
);

/** A claim moment in 2026 (any millisecond, so every hour of the Shanghai day is hit). */
const claimMoment = fc.integer({ min: Date.UTC(2025, 11, 31, 16), max: Date.UTC(2026, 11, 31) });

describe('generated templates', () => {
  it('every coupon ends at 23:59:59.999 Shanghai time of the right day, and its discount never exceeds the order', async () => {
    const owner = await makeOwner(t);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        claimMoment,
        terms,
        fc.oneof(
          fc.record({ type: fc.constant('relative' as const), days: fc.integer({ min: 1, max: 365 }) }),
          fc.record({ type: fc.constant('fixed' as const), startIn: fc.integer({ min: -30, max: 30 }), length: fc.integer({ min: 0, max: 90 }) }),
        ),
        fc.integer({ min: 0, max: 2_000_000 }),
        async (claimAt, kind, rule, orderAmountFen) => {
          const today = shanghaiDayIndex(claimAt);
          let validity: CouponTemplateInput['validity'];
          let expectedEnd: number;
          if (rule.type === 'relative') {
            validity = rule;
            expectedEnd = endOfShanghaiDayIndex(today + rule.days - 1);
          } else {
            const start = today + rule.startIn;
            const end = Math.max(start + rule.length, today); // a window that is still open
            validity = { type: 'fixed', startDate: dateOfDayIndex(start), endDate: dateOfDayIndex(end) };
            expectedEnd = endOfShanghaiDayIndex(end);
          }
          t.rt.clock.set(claimAt);
          const tpl = await createTemplate(t, owner, { amountOffFen: undefined, thresholdFen: undefined, ...kind, validity, totalStock: 2 });
          const holder = `gen-${n++}`;
          const { coupon } = ok(await t.call(holder, 'coupon', 'coupon.claim', { templateId: tpl.id }, rid()));
          expect(new Date(coupon.expiresAt).getTime()).toBe(expectedEnd);
          expect(new Date(coupon.expiresAt).toISOString().slice(11)).toBe('15:59:59.999Z');

          // Staff check it against a generated order amount on a day it is usable.
          t.rt.clock.set(Math.max(claimAt, new Date(coupon.validFrom).getTime()));
          const seen = ok(await t.call(owner, 'coupon', 'coupon.verify', { code: coupon.code, orderAmountFen }));
          expect(seen.discountFen).toBeGreaterThanOrEqual(0);
          expect(seen.discountFen).toBeLessThanOrEqual(orderAmountFen);
          expect(seen.canRedeem).toBe(orderAmountFen >= (kind.thresholdFen ?? 0));
          if (seen.canRedeem) {
            const done = ok(await t.call(owner, 'coupon', 'coupon.redeem', { code: coupon.code, orderAmountFen, orderRef: 'gen' }, rid()));
            expect(done.discountFen).toBe(seen.discountFen);
            expect(orderAmountFen - done.discountFen).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it('the discount of any coupon on any order is between 0 and the order amount, and follows its kind', () => {
    fc.assert(
      fc.property(terms, fc.integer({ min: 0, max: 100_000_000 }), (kind, amount) => {
        const full = { amountOffFen: null, thresholdFen: null, payPercent: null, maxDiscountFen: null, giftName: null, ...kind };
        const off = discountFor(full, amount);
        expect(Number.isInteger(off)).toBe(true);
        expect(off).toBeGreaterThanOrEqual(0);
        expect(off).toBeLessThanOrEqual(amount);
        const meets = amount >= (full.thresholdFen ?? 0);
        if (!meets || full.kind === 'gift') expect(off).toBe(0);
        if (meets && (full.kind === 'amount_off' || full.kind === 'cash')) expect(off).toBe(Math.min(full.amountOffFen!, amount));
        if (full.kind === 'percent_off') expect(off).toBeLessThanOrEqual(full.maxDiscountFen!);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('Shanghai days', () => {
  it('agree with the Asia/Shanghai time zone database for every hour of 2026', () => {
    for (let ms = Date.UTC(2025, 11, 31, 16); ms < Date.UTC(2027, 0, 1); ms += 3_600_000 + 1234) {
      const at = new Date(ms);
      const zoned = dayjs(at).tz('Asia/Shanghai');
      expect(endOfShanghaiDay(at, 2).getTime()).toBe(zoned.add(2, 'day').endOf('day').valueOf());
      expect(shanghaiHour(at)).toBe(zoned.hour());
    }
  });
});

describe('corrupted payloads', () => {
  /** A valid payload for every action, against real data. */
  async function validPayloads(owner: string): Promise<Record<string, Record<string, unknown>>> {
    const tpl = await createTemplate(t, owner, { totalStock: 5 });
    await addMember('victim');
    const { coupon } = ok(await t.call('victim', 'coupon', 'coupon.claim', { templateId: tpl.id }, rid()));
    return {
      'coupon.claimable': { templateId: tpl.id },
      'coupon.claim': { templateId: tpl.id },
      'coupon.mine': { state: 'available', cursor: `${'0'.repeat(15)}:${tpl.id}#1` },
      'coupon.detail': { couponId: coupon.id },
      'coupon.subscribeReminder': { templateId: tpl.id, accepted: true },
      'coupon.template.create': { ...createInput(), thresholdFen: 9900 },
      'coupon.template.list': { status: 'active' },
      'coupon.template.setStatus': { templateId: tpl.id, status: 'paused' },
      'coupon.template.topUp': { templateId: tpl.id, quantity: 3 },
      'coupon.template.update': { templateId: tpl.id, title: '春茶券', perMemberLimit: 2, startsAt: null, endsAt: '2030-01-01T00:00:00+08:00' },
      'coupon.grant': { templateId: tpl.id, openid: 'victim', note: '补偿' },
      'coupon.verify': { code: coupon.code, orderAmountFen: 10000 },
      'coupon.redeem': { code: coupon.code, orderAmountFen: 10000, orderRef: 'R1' },
      'coupon.reverse': { couponId: coupon.id, reason: '退单' },
      'coupon.settings.get': {},
      'coupon.settings.set': { reversalWindowHours: 24, reminderDaysBefore: 3 },
    };
  }

  function createInput(): Record<string, unknown> {
    return {
      title: '满99减20',
      rules: '全店通用',
      kind: 'amount_off',
      amountOffFen: 2000,
      validity: { type: 'relative', days: 7 },
      totalStock: 10,
      perMemberLimit: 1,
      audience: { type: 'everyone' },
      stackable: false,
    };
  }

  const roundTrip = (v: unknown): unknown => (JSON.parse(JSON.stringify({ v })) as { v?: unknown }).v;

  /** Values that try to smuggle query operators or prototype keys into a field. */
  const hostile = fc.constantFrom<unknown>(
    { $gt: '' },
    { $ne: null },
    { $where: 'sleep(1000)' },
    { $regex: '.*' },
    JSON.parse('{"__proto__": {"role": "owner"}}'),
    { constructor: { prototype: { admin: true } } },
    ['tpl_0000000000000000'],
  );

  const actions = Object.keys(couponActions) as (keyof typeof couponActions)[];

  it.each(actions.filter((a) => a !== 'coupon.settings.get'))('%s refuses a corrupted field with INVALID_INPUT naming it, and writes nothing', async (action) => {
    const owner = await makeOwner(t);
    const valid = (await validPayloads(owner))[action];
    const schema = couponActions[action].input;
    const fields = Object.keys(valid);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...fields),
        fc.oneof(hostile, fc.anything().map(roundTrip), fc.double().map(roundTrip), fc.integer({ min: -1e12, max: 1e12 }), fc.string({ maxLength: 300 })),
        async (field, value) => {
          const payload = { ...valid, [field]: value };
          if (value === undefined || schema.safeParse(roundTrip(payload)).success) return; // happens to be valid
          const { result, cost } = await measure(() => t.raw(owner, 'coupon', { action, payload, requestId: rid() }));
          const error = errorOf(result);
          expect(error.code).toBe('INVALID_INPUT');
          expect(error.fields?.length).toBeGreaterThan(0);
          expect(error.fields?.every((f) => f.path.startsWith('payload'))).toBe(true);
          // A value of the wrong type is blamed on its own field (a wrong number may break a
          // cross-field rule instead, e.g. a threshold below the amount off).
          if (typeof roundTrip(value) !== typeof valid[field]) {
            expect(error.fields?.some((f) => f.path === `payload.${field}` || f.path.startsWith(`payload.${field}.`))).toBe(true);
          }
          expect(cost.writes).toBe(0);
        },
      ),
      { numRuns: 80 },
    );
  }, 60_000);

  it.each(actions)('%s refuses unknown extra fields', async (action) => {
    const owner = await makeOwner(t);
    const valid = (await validPayloads(owner))[action];
    const { result, cost } = await measure(() => t.raw(owner, 'coupon', { action, payload: { ...valid, $where: '1', isAdmin: true }, requestId: rid() }));
    expect(errorOf(result).code).toBe('INVALID_INPUT');
    expect(cost.writes).toBe(0);
  });
});
