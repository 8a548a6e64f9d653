/**
 * Where a run's candidates come from, one page at a time, each page ONE query narrowed by an index
 * where one exists:
 * - orders (after_order): bound orders by `bindState_boundAt` (bound no earlier than the first
 *   paid day looked at), filtered by paid time and, with keywords, a product regex; then ONE read
 *   of the page's members (still members? ordered again since?);
 * - win_back: members by `stats.lastOrderAt` (index `lastOrderAt`);
 * - segment: members of the segment;
 * - birthday: members whose birthday matches the month/days of every birthday rule at once (a
 *   regex no index can serve: the one scan of the day, shared by all birthday rules).
 * Pages go in cursor order, so a resumed step continues exactly where it stopped.
 */
import { COLLECTIONS } from '../../../database/collections';
import type { RepurchaseSkipReason, RepurchaseTrigger } from '../../../typings';
import type { MemberDoc } from '../../members/model';
import type { OrderDoc } from '../../orders/model';
import { getDb } from '../../runtime/db';
import { endOfShanghaiDate, shanghaiDate, startOfShanghaiDate } from '../../runtime/shanghai';
import { birthdayPatterns, birthdayPeriod, birthdayRegex, eventDays, TRIAL_PERIOD } from './periods';
import type { RuleSnapshot, SourceKind, StepPlan } from './model';

export interface Candidate {
  openid: string;
  ruleId: string;
  period: string;
}

export interface SourcePage {
  candidates: Candidate[];
  /** Reached, then left out before issuing. */
  refused: { ruleId: string; reason: RepurchaseSkipReason }[];
  lastId: string;
  exhausted: boolean;
}

/** A step's rules with what the run knows of them. */
export type StepRules = { id: string; fromDay: string; rule: RuleSnapshot }[];

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const collectionOf = (source: SourceKind): string => (source === 'orders' ? COLLECTIONS.orders : COLLECTIONS.members);

/** A Date field within Shanghai days `from`..`to`, inclusive. */
export const dayRange = (from: string, to: string) => getDb().command.gte(startOfShanghaiDate(from)).and(getDb().command.lte(endOfShanghaiDate(to)));

/** Bound orders paid on days `paid.from`..`paid.to` whose product matches the rule's keywords. */
export function dueOrdersWhere(trigger: Extract<RepurchaseTrigger, { kind: 'after_order' }>, paid: { from: string; to: string }): Record<string, unknown> {
  const db = getDb();
  const keywords = trigger.productKeywords.map((k) => escapeRegExp(k.normalize('NFKC')));
  return {
    bindState: 'bound',
    // Narrows by the index: an order is bound after it was paid.
    boundAt: db.command.gte(startOfShanghaiDate(paid.from)),
    paidAt: dayRange(paid.from, paid.to),
    ...(keywords.length ? { product: db.RegExp({ regexp: keywords.join('|'), options: 'i' }) } : {}),
  };
}

/** The step's query without its cursor. */
function whereOf(source: SourceKind, rules: StepRules, toDay: string): Record<string, unknown> {
  const db = getDb();
  const [first] = rules;
  switch (source) {
    case 'orders': {
      const trigger = first.rule.trigger;
      if (trigger.kind !== 'after_order') throw new Error('orders step without an after_order rule');
      return dueOrdersWhere(trigger, eventDays(trigger, first.fromDay, toDay)!);
    }
    case 'win_back': {
      const last = eventDays(first.rule.trigger, first.fromDay, toDay)!;
      return { status: 'active', 'stats.lastOrderAt': dayRange(last.from, last.to) };
    }
    case 'segment': {
      const trigger = first.rule.trigger;
      if (trigger.kind !== 'new_product_trial') throw new Error('segment step without a trial rule');
      return { status: 'active', segments: trigger.segment };
    }
    case 'birthday': {
      const patterns = [...new Set(rules.flatMap((r) => birthdayPatterns(r.rule.trigger, r.fromDay, toDay)))];
      return { status: 'active', birthday: db.RegExp({ regexp: birthdayRegex(patterns) }) };
    }
  }
}

const FIELDS: Record<SourceKind, Record<string, boolean>> = {
  orders: { boundTo: true, paidAt: true },
  win_back: { status: true, stats: true },
  segment: { status: true },
  birthday: { status: true, birthday: true },
};

/**
 * Orders are paged by member (`boundTo`, the cursor) and a full page leaves out its last member, who
 * starts the next page: each member's orders are seen on ONE page, so a member with two orders of
 * one paid day is one candidate, and a coupon this run already holds can only come from a crashed
 * attempt at the same page. Members are paged by `_id`.
 */
const CURSOR_FIELD: Record<SourceKind, string> = { orders: 'boundTo', win_back: '_id', segment: '_id', birthday: '_id' };

function afterCursor(step: StepPlan, rules: StepRules, toDay: string, cursor: string): Record<string, unknown> {
  return { ...whereOf(step.source, rules, toDay), [CURSOR_FIELD[step.source]]: getDb().command.gt(cursor) };
}

export async function readPage(step: StepPlan, rules: StepRules, toDay: string, cursor: string, size: number): Promise<SourcePage> {
  const field = CURSOR_FIELD[step.source];
  const res = await getDb()
    .collection(collectionOf(step.source))
    .where(afterCursor(step, rules, toDay, cursor))
    .orderBy(field, 'asc')
    .limit(size)
    .field(FIELDS[step.source])
    .get();
  const exhausted = res.data.length < size;
  if (step.source !== 'orders') {
    const docs = res.data as MemberDoc[];
    const lastId = docs.length ? docs[docs.length - 1]._id : cursor;
    return { lastId, exhausted, refused: [], candidates: fromMembers(step.source, docs, rules, toDay) };
  }
  let orders = res.data as OrderDoc[];
  const last = orders.length ? orders[orders.length - 1].boundTo! : cursor;
  if (!exhausted && orders[0].boundTo !== last) orders = orders.filter((o) => o.boundTo !== last);
  const lastId = orders.length ? orders[orders.length - 1].boundTo! : cursor;
  return { lastId, exhausted, ...(await fromOrders(orders, rules[0].id)) };
}

/** Orders or members still to look at after `cursor`, for the report of a run that stopped early. */
export async function countLeft(step: StepPlan, rules: StepRules, toDay: string, cursor: string): Promise<number> {
  const res = await getDb().collection(collectionOf(step.source)).where(afterCursor(step, rules, toDay, cursor)).count();
  return res.total;
}

const dayOf = (at: Date | string | null | undefined): string | null => (at ? shanghaiDate(new Date(at)) : null);

async function fromOrders(orders: OrderDoc[], ruleId: string): Promise<Pick<SourcePage, 'candidates' | 'refused'>> {
  // One coupon per member and paid day, however many orders of that day match.
  const due = new Map<string, Candidate>();
  for (const o of orders) {
    if (!o.boundTo) continue;
    const period = shanghaiDate(new Date(o.paidAt));
    due.set(`${o.boundTo}|${period}`, { openid: o.boundTo, ruleId, period });
  }
  if (due.size === 0) return { candidates: [], refused: [] };
  const _ = getDb().command;
  const openids = [...new Set([...due.values()].map((c) => c.openid))];
  const res = await getDb().collection(COLLECTIONS.members).where({ _id: _.in(openids) }).field({ status: true, stats: true }).limit(openids.length).get();
  const members = new Map((res.data as MemberDoc[]).map((m) => [m._id, m]));

  const candidates: Candidate[] = [];
  const refused: SourcePage['refused'] = [];
  for (const c of due.values()) {
    const member = members.get(c.openid);
    const lastOrderDay = dayOf(member?.stats?.lastOrderAt);
    if (!member || member.status !== 'active') refused.push({ ruleId, reason: 'not_member' });
    else if (lastOrderDay && lastOrderDay > c.period) refused.push({ ruleId, reason: 'ordered_again' });
    else candidates.push(c);
  }
  return { candidates, refused };
}

function fromMembers(source: Exclude<SourceKind, 'orders'>, members: MemberDoc[], rules: StepRules, toDay: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of members) {
    for (const { id, fromDay, rule } of rules) {
      const period =
        source === 'win_back' ? dayOf(m.stats?.lastOrderAt) : source === 'segment' ? TRIAL_PERIOD : m.birthday ? birthdayPeriod(rule.trigger, m.birthday, fromDay, toDay) : null;
      if (period) out.push({ openid: m._id, ruleId: id, period });
    }
  }
  return out;
}
