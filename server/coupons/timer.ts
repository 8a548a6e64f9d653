/**
 * The hourly timer: marks expired coupons, then sends expiry reminders to holders who accepted one.
 *
 * - Work goes in pages of 100 and stops once 80% of the time budget is spent; the report says what
 *   is left, and the next run carries on (at least one page always gets done).
 * - A reminder spends one credit (one accepted subscription) with a conditional write, is queued
 *   through the platform under the dedupe key `coupon-expiry:<couponId>` (a unique index in the
 *   outbox), and then marks the coupon reminded. A rerun after a crash at any step finds the credit
 *   already spent for this coupon and the message already queued, so nothing goes out twice and no
 *   second credit is spent.
 * - Reminders go out between 09:00 and 21:00 Shanghai time only: operators do not wake customers.
 */
import { performance } from 'node:perf_hooks';
import { COLLECTIONS } from '../../database/collections';
import { getDb } from '../runtime/db';
import { platform } from '../runtime/platform';
import { COUPON_DETAIL_PAGE, type CouponDoc } from './model';
import { loadSettings, reminderTemplateId } from './settings';
import { endOfShanghaiDay, shanghaiHour, shanghaiMinute } from './validity';

export const PAGE_SIZE = 100;
const QUIET_BEFORE_HOUR = 9;
const QUIET_FROM_HOUR = 21;
/** The function's timeout is 60 s (config.json); keep a margin for the platform. */
const DEFAULT_BUDGET_MS = 50_000;

export interface TimerReport {
  expired: number;
  reminded: number;
  /** Coupons still to expire or to look at for reminders when the budget ran out; 0 when done. */
  remaining: number;
}

export interface CreditDoc {
  _id: string;
  openid: string;
  templateId: string;
  state: 'unused' | 'used';
  createdAt: Date;
  couponId?: string;
  usedAt?: Date;
}

function budgetMs(): number {
  const configured = Number(process.env.PRIVDOM_COUPON_TIMER_BUDGET_MS);
  return Number.isFinite(configured) && configured >= 0 ? configured : DEFAULT_BUDGET_MS;
}

export async function runCouponTimer(now: Date): Promise<TimerReport> {
  const started = performance.now();
  const budget = budgetMs();
  const outOfTime = (): boolean => performance.now() - started >= budget * 0.8;

  const expiry = await expirePass(now, outOfTime);
  let reminders = { reminded: 0, remaining: 0 };
  const templateId = reminderTemplateId(platform().kind === 'local');
  const hour = shanghaiHour(now);
  if (templateId && hour >= QUIET_BEFORE_HOUR && hour < QUIET_FROM_HOUR) {
    reminders = await reminderPass(now, templateId, outOfTime, expiry.remaining > 0);
  }
  return { expired: expiry.expired, reminded: reminders.reminded, remaining: expiry.remaining + reminders.remaining };
}

async function expirePass(now: Date, outOfTime: () => boolean): Promise<{ expired: number; remaining: number }> {
  const db = getDb();
  const _ = db.command;
  const coupons = db.collection(COLLECTIONS.coupons);
  const due = { state: 'available', expiresAt: _.lt(now) };
  let expired = 0;
  for (;;) {
    const page = await coupons.where(due).field({ _id: true }).limit(PAGE_SIZE).get();
    const ids = (page.data as { _id: string }[]).map((d) => d._id);
    if (ids.length === 0) return { expired, remaining: 0 };
    const res = await coupons.where({ _id: _.in(ids), state: 'available', expiresAt: _.lt(now) }).update({ data: { state: 'expired', expiredAt: now } });
    expired += res.stats.updated;
    if (ids.length < PAGE_SIZE || res.stats.updated === 0) return { expired, remaining: 0 };
    if (outOfTime()) return { expired, remaining: (await coupons.where(due).count()).total };
  }
}

async function reminderPass(
  now: Date,
  templateId: string,
  outOfTime: () => boolean,
  skip: boolean,
): Promise<{ reminded: number; remaining: number }> {
  const db = getDb();
  const _ = db.command;
  const { reminderDaysBefore } = await loadSettings();
  const until = endOfShanghaiDay(now, reminderDaysBefore);
  const due = (after: string) => ({ state: 'available', reminded: false, expiresAt: _.gte(now).and(_.lte(until)), _id: _.gt(after) });
  if (skip) return { reminded: 0, remaining: (await db.collection(COLLECTIONS.coupons).where(due('')).count()).total };
  let reminded = 0;
  let cursor = '';
  for (;;) {
    const page = await db.collection(COLLECTIONS.coupons).where(due(cursor)).orderBy('_id', 'asc').limit(PAGE_SIZE).get();
    const coupons = page.data as CouponDoc[];
    if (coupons.length === 0) return { reminded, remaining: 0 };
    reminded += await remindPage(coupons, now, templateId);
    cursor = coupons[coupons.length - 1]._id;
    if (coupons.length < PAGE_SIZE) return { reminded, remaining: 0 };
    if (outOfTime()) return { reminded, remaining: (await db.collection(COLLECTIONS.coupons).where(due(cursor)).count()).total };
  }
}

/** Reminds the coupons of one page whose holders have a credit for that template. */
async function remindPage(coupons: CouponDoc[], now: Date, templateId: string): Promise<number> {
  const db = getDb();
  const _ = db.command;
  const credits = db.collection(COLLECTIONS.couponReminderCredits);
  const holders = [...new Set(coupons.map((c) => c.holder))];
  const found = await credits
    .where(_.or([{ openid: _.in(holders), state: 'unused' }, { couponId: _.in(coupons.map((c) => c._id)) }]))
    .limit(1000)
    .get();
  const all = found.data as CreditDoc[];
  const spentFor = new Map(all.filter((c) => c.couponId).map((c) => [c.couponId!, c]));
  const unused = all.filter((c) => c.state === 'unused');

  let reminded = 0;
  for (const coupon of coupons) {
    if (!spentFor.has(coupon._id)) {
      const index = unused.findIndex((c) => c.openid === coupon.holder && c.templateId === coupon.templateId);
      if (index < 0) continue; // never asked for a reminder: stay quiet
      const [credit] = unused.splice(index, 1);
      const spent = await credits
        .where({ _id: credit._id, state: 'unused' })
        .update({ data: { state: 'used', couponId: coupon._id, usedAt: now } });
      if (spent.stats.updated !== 1) continue;
    }
    const queued = await sendReminder(coupon, templateId);
    await db.collection(COLLECTIONS.coupons).doc(coupon._id).update({ data: { reminded: true, remindedAt: now } });
    if (queued) reminded++;
  }
  return reminded;
}

/** True when queued now; false when an earlier run already queued it (or WeChat refused it). */
async function sendReminder(coupon: CouponDoc, templateId: string): Promise<boolean> {
  try {
    return await platform().sendSubscribeMessage({
      toOpenid: coupon.holder,
      templateId,
      page: `${COUPON_DETAIL_PAGE}?id=${coupon._id}`,
      // Keys of the 优惠券到期提醒 template the store picks: 券名称 / 到期时间 / 温馨提示.
      data: {
        thing1: { value: coupon.title.slice(0, 20) },
        time2: { value: shanghaiMinute(new Date(coupon.expiresAt)) },
        thing3: { value: '您的优惠券即将到期，记得使用哦' },
      },
      dedupeKey: `coupon-expiry:${coupon._id}`,
    });
  } catch (err) {
    // A refused send (43101: no subscription left, ...) is not retried: the credit was spent.
    console.error(JSON.stringify({ level: 'error', fn: 'coupon', timer: 'reminder', coupon: coupon._id, error: String((err as { errMsg?: string }).errMsg ?? err) }));
    return false;
  }
}
