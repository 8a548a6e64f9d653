/**
 * The timer (every minute, config.json): closes open groups past their deadline, settles closed
 * groups whose settling call died, and ends campaigns past their last day.
 *
 * - Work goes in pages of 100 and stops once 80% of the time budget is spent; the report says what
 *   is left and the next run carries on (at least one page always gets done).
 * - Every write is conditional or idempotent (closing matches `state: 'open', expiresAt <= now`;
 *   settling issues through deterministic request keys and dedupe keys), so a rerun, or a run
 *   racing a customer's read, changes nothing that is already done.
 */
import { performance } from 'node:perf_hooks';
import { COLLECTIONS } from '../../database/collections';
import { appendEvents } from '../events/log';
import { getDb } from '../runtime/db';
import { closeIfExpired, failEvent } from './groups';
import { CAMPAIGN_KIND, type GroupDoc } from './model';
import { settleGroup } from './settle';

export const PAGE_SIZE = 100;
/** The function's timeout is 60 s (config.json); keep a margin for the platform. */
const DEFAULT_BUDGET_MS = 50_000;
/** A group closed this recently may still be being settled by the call that closed it. */
const SETTLE_GRACE_MS = 60_000;

export interface GroupTimerReport {
  /** Groups this run closed as failed. */
  closed: number;
  /** Closed groups whose coupons and messages this run finished (those it closed included). */
  settled: number;
  campaignsEnded: number;
  /** Groups still to close or settle when the budget ran out; 0 when done. */
  remaining: number;
}

function budgetMs(): number {
  const configured = Number(process.env.PRIVDOM_GROUPBUY_TIMER_BUDGET_MS);
  return Number.isFinite(configured) && configured >= 0 ? configured : DEFAULT_BUDGET_MS;
}

export async function runGroupbuyTimer(now: Date): Promise<GroupTimerReport> {
  const started = performance.now();
  const budget = budgetMs();
  const outOfTime = (): boolean => performance.now() - started >= budget * 0.8;

  const closing = await closePass(now, outOfTime);
  const repair = closing.remaining > 0 ? { settled: 0, remaining: await unsettledCount(now) } : await settlePass(now, outOfTime);
  const campaignsEnded = await endCampaigns(now);
  return {
    closed: closing.closed,
    settled: closing.settled + repair.settled,
    campaignsEnded,
    remaining: closing.remaining + repair.remaining,
  };
}

const groups = () => getDb().collection(COLLECTIONS.groupBuys);

function expiredOpen(now: Date) {
  return { state: 'open', expiresAt: getDb().command.lte(now) };
}

async function closePass(now: Date, outOfTime: () => boolean): Promise<{ closed: number; settled: number; remaining: number }> {
  let closed = 0;
  let settled = 0;
  for (;;) {
    const page = (await groups().where(expiredOpen(now)).orderBy('expiresAt', 'asc').limit(PAGE_SIZE).get()).data as GroupDoc[];
    if (page.length === 0) return { closed, settled, remaining: 0 };
    const results = await Promise.all(page.map((g) => closeIfExpired(g, now)));
    const mine = results.filter((r) => r.closed);
    await appendEvents(mine.map((r) => failEvent(r.group)), now);
    closed += mine.length;
    settled += mine.filter((r) => r.group.benefitsIssued).length;
    if (page.length < PAGE_SIZE || mine.length === 0) return { closed, settled, remaining: 0 };
    if (outOfTime()) return { closed, settled, remaining: (await groups().where(expiredOpen(now)).count()).total };
  }
}

function unsettled(now: Date, after: string) {
  const _ = getDb().command;
  return { benefitsIssued: false, closedAt: _.lte(new Date(now.getTime() - SETTLE_GRACE_MS)), state: _.in(['complete', 'failed']), _id: _.gt(after) };
}

async function unsettledCount(now: Date): Promise<number> {
  return (await groups().where(unsettled(now, '')).count()).total;
}

async function settlePass(now: Date, outOfTime: () => boolean): Promise<{ settled: number; remaining: number }> {
  let settled = 0;
  let cursor = '';
  for (;;) {
    const page = (await groups().where(unsettled(now, cursor)).orderBy('_id', 'asc').limit(PAGE_SIZE).get()).data as GroupDoc[];
    if (page.length === 0) return { settled, remaining: 0 };
    const done = await Promise.all(page.map((g) => settleOrLog(g, now)));
    settled += done.filter(Boolean).length;
    cursor = page[page.length - 1]._id;
    if (page.length < PAGE_SIZE) return { settled, remaining: 0 };
    if (outOfTime()) return { settled, remaining: (await groups().where(unsettled(now, cursor)).count()).total };
  }
}

/** One group's failure (the database, WeChat) must not stop the others; the next run tries it again. */
async function settleOrLog(group: GroupDoc, now: Date): Promise<boolean> {
  try {
    await settleGroup(group, now);
    return true;
  } catch (err) {
    console.error(JSON.stringify({ level: 'error', fn: 'groupbuy', timer: 'settle', group: group._id, error: err instanceof Error ? err.stack : String(err) }));
    return false;
  }
}

/** Campaigns past their last day read as ended everywhere, the home page included. */
async function endCampaigns(now: Date): Promise<number> {
  const db = getDb();
  const _ = db.command;
  const due = { kind: CAMPAIGN_KIND, status: _.in(['active', 'paused']), endsAt: _.lte(now) };
  const found = (await db.collection(COLLECTIONS.campaigns).where(due).field({ _id: true }).limit(PAGE_SIZE).get()).data as { _id: string }[];
  if (found.length === 0) return 0;
  const res = await db
    .collection(COLLECTIONS.campaigns)
    .where({ ...due, _id: _.in(found.map((c) => c._id)) })
    .update({ data: { status: 'ended', updatedAt: now } });
  return res.stats.updated;
}
