/**
 * Issuing one page of a run: every candidate (member × rule × period) gets the rule's coupon
 * through the one issuing path at most once, with the requestKey `rp:<ruleId>:<period>` and the
 * source `{ type: 'repurchase', ref: '<ruleId>@<run day>' }`.
 *
 * - Before issuing, ONE read per rule finds the page's members who already hold this period's
 *   coupon (the unique `templateId_claimKey` index), so a day of the birth month or a rerun after a
 *   crash costs a read per page, not a call per member. A coupon found there that this very run
 *   issued (its source names the run's day: an invocation that crashed mid-page) counts as issued
 *   and is still reminded; older ones count as `already`.
 * - The issuing path answers a retried key with the same coupon (`alreadyHad`), so even a member
 *   the lookup missed never gets a second one.
 * - Calls go out CONCURRENCY at a time. A rule whose coupon is sold out or can no longer be issued
 *   stops calling for the rest of the invocation.
 */
import { COLLECTIONS } from '../../../database/collections';
import type { RepurchaseSkipReason } from '../../../typings';
import { claimKeyOf, issueCoupon } from '../../coupons/issue';
import type { CouponDoc } from '../../coupons/model';
import type { EventInput } from '../../events/log';
import { getDb } from '../../runtime/db';
import { AppError } from '../../runtime/errors';
import { mapPool } from '../pool';
import { emptyCounts, type Counts, type RuleSnapshot } from './model';
import { type IssuedGrant, remind } from './reminders';
import type { Candidate, SourcePage } from './sources';

const CONCURRENCY = 8;

export const requestKeyOf = (c: Pick<Candidate, 'ruleId' | 'period'>): string => `rp:${c.ruleId}:${c.period}`;
export const sourceRefOf = (ruleId: string, runDay: string): string => `${ruleId}@${runDay}`;

export interface GrantContext {
  now: Date;
  /** The run's Shanghai day. */
  runDay: string;
  rules: Map<string, RuleSnapshot>;
  /** Rules that issue nothing more in this invocation, and why. Filled as refusals come in. */
  blocked: Map<string, RepurchaseSkipReason>;
  reminderTemplateId: string | null;
  /** Test hook: runs after each coupon issued (a throw here is a crash mid-page). */
  afterIssue?: () => void;
}

export interface PageResult {
  byRule: Map<string, Counts>;
  events: EventInput[];
}

function skipReasonOf(err: AppError): RepurchaseSkipReason {
  switch (err.code) {
    case 'SOLD_OUT':
      return 'sold_out';
    case 'LIMIT_REACHED':
      return 'limit_reached';
    case 'FORBIDDEN':
      return 'not_eligible';
    case 'NOT_FOUND':
    case 'EXPIRED':
      return 'template_unavailable';
    default:
      return 'failed';
  }
}

const BLOCKING: RepurchaseSkipReason[] = ['sold_out', 'template_unavailable'];

type Held = Pick<CouponDoc, '_id' | 'claimKey' | 'source' | 'title' | 'expiresAt'>;

/** This period's coupons of the rule the page's members hold already, by claimKey. */
async function heldAlready(templateId: string, candidates: Candidate[]): Promise<Map<string, Held>> {
  const _ = getDb().command;
  const keys = candidates.map((c) => claimKeyOf(c.openid, requestKeyOf(c)));
  const res = await getDb()
    .collection(COLLECTIONS.coupons)
    .where({ templateId, claimKey: _.in(keys) })
    .field({ claimKey: true, source: true, title: true, expiresAt: true })
    .limit(keys.length)
    .get();
  return new Map((res.data as Held[]).map((c) => [c.claimKey, c]));
}

export async function grantPage(page: SourcePage, ctx: GrantContext): Promise<PageResult> {
  const byRule = new Map<string, Counts>();
  const counts = (ruleId: string): Counts => byRule.get(ruleId) ?? byRule.set(ruleId, emptyCounts()).get(ruleId)!;
  const skip = (ruleId: string, reason: RepurchaseSkipReason, n = 1): void => {
    const c = counts(ruleId);
    c.skipped[reason] = (c.skipped[reason] ?? 0) + n;
  };
  for (const r of page.refused) {
    counts(r.ruleId).evaluated += 1;
    skip(r.ruleId, r.reason);
  }

  const events: EventInput[] = [];
  const issued: IssuedGrant[] = [];
  for (const [ruleId, candidates] of groupByRule(page.candidates)) {
    const rule = ctx.rules.get(ruleId)!;
    counts(ruleId).evaluated += candidates.length;
    const blockedAtStart = ctx.blocked.get(ruleId);
    if (blockedAtStart) {
      skip(ruleId, blockedAtStart, candidates.length);
      continue;
    }
    const held = await heldAlready(rule.templateId, candidates);
    const toIssue: Candidate[] = [];
    for (const c of candidates) {
      const coupon = held.get(claimKeyOf(c.openid, requestKeyOf(c)));
      if (!coupon) toIssue.push(c);
      else if (coupon.source.ref === sourceRefOf(ruleId, ctx.runDay)) issued.push({ ...c, line: rule.reminder ?? '', coupon });
      else skip(ruleId, 'already');
    }
    await mapPool(toIssue, CONCURRENCY, async (c) => {
      const blocked = ctx.blocked.get(ruleId);
      if (blocked) return skip(ruleId, blocked);
      try {
        const { coupon, alreadyHad } = await issueCoupon({
          templateId: rule.templateId,
          openid: c.openid,
          source: { type: 'repurchase', ref: sourceRefOf(ruleId, ctx.runDay) },
          requestKey: requestKeyOf(c),
          now: ctx.now,
        });
        if (alreadyHad && coupon.source.ref !== sourceRefOf(ruleId, ctx.runDay)) return skip(ruleId, 'already');
        issued.push({ ...c, line: rule.reminder ?? '', coupon });
        if (!alreadyHad) events.push({ type: 'repurchase_issue', openid: c.openid, ref: ruleId });
        ctx.afterIssue?.();
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const reason = skipReasonOf(err);
        if (BLOCKING.includes(reason)) ctx.blocked.set(ruleId, reason);
        skip(ruleId, reason);
      }
    });
  }

  for (const g of issued) counts(g.ruleId).issued += 1;
  const withReminder = issued.filter((g) => ctx.rules.get(g.ruleId)!.reminder);
  if (ctx.reminderTemplateId && withReminder.length) {
    for (const g of await remind(withReminder, ctx.reminderTemplateId, ctx.now)) {
      counts(g.ruleId).reminded += 1;
      events.push({ type: 'repurchase_remind', openid: g.openid, ref: g.ruleId });
    }
  }
  return { byRule, events };
}

function groupByRule(candidates: Candidate[]): Map<string, Candidate[]> {
  const out = new Map<string, Candidate[]>();
  for (const c of candidates) (out.get(c.ruleId) ?? out.set(c.ruleId, []).get(c.ruleId)!).push(c);
  return out;
}
