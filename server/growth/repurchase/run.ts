/**
 * The daily repurchase run, driven by the `growth` timer (every 10 minutes, see config.json).
 *
 * - A run is one document per Shanghai day (`repurchaseRuns/<day>`). The first timer of the day at
 *   or after 09:00 creates it with its plan: the active rules, and for each the first due day it
 *   covers (the day after the last run, at most CATCH_UP_DAYS back, never before the rule was
 *   switched on), so a day the timer missed is caught up and no day is covered twice.
 * - Work is paged (up to 1,000 orders or members per page, one query each). After each page ONE
 *   conditional write moves the cursor and adds the page's counts, while the invocation holds the
 *   run's lease; a crash mid-page leaves the cursor before the page, and the retry of the page issues
 *   nothing twice (see grant.ts). An invocation stops starting pages at 80 % of its time budget and
 *   stores how much is left; the next timer continues. A run not finished by 21:00 continues the
 *   next morning before that day's run starts.
 * - A rerun on a day whose run is done does nothing: the run document says so.
 * - Customers are not disturbed at night: runs work between 09:00 and 21:00 Shanghai time only.
 */
import { COLLECTIONS } from '../../../database/collections';
import type { RepurchaseSkipReason } from '../../../typings';
import { issuingRefusal } from '../../coupons/issue';
import type { TemplateDoc } from '../../coupons/model';
import { appendEvents } from '../../events/log';
import { getDb, insertOrGet } from '../../runtime/db';
import { shanghaiDate, shanghaiHour } from '../../runtime/shanghai';
import { type Budget, pageSize } from '../budget';
import { RELEASED, takeLease, writeHolding } from '../lease';
import { type GrantContext, grantPage } from './grant';
import { type Counts, emptyCounts, type RuleDoc, ruleRunsAt, type RunDoc, type SourceKind, type StepPlan } from './model';
import { addDays, laterDay } from './periods';
import { reminderTemplateId } from './reminders';
import { countLeft, readPage, type StepRules } from './sources';

export const RUN_FROM_HOUR = 9;
export const RUN_UNTIL_HOUR = 21;
/** A run covers at most this many due days (today included) when earlier runs were missed. */
export const CATCH_UP_DAYS = 7;

export interface RepurchaseTimerReport {
  /** quiet: outside 09:00–21:00; busy: another invocation holds the run; worked: pages were done; idle: today's run was done already. */
  state: 'quiet' | 'busy' | 'worked' | 'idle';
  day: string | null;
  status: RunDoc['status'] | null;
  pages: number;
  issued: number;
  reminded: number;
  remaining: number;
}

export interface RunHooks {
  /** Runs after each coupon issued; a throw is a crash mid-page. */
  afterIssue?: () => void;
}

const runs = () => getDb().collection(COLLECTIONS.repurchaseRuns);

async function latestRun(): Promise<RunDoc | null> {
  const res = await runs().orderBy('_id', 'desc').limit(1).get();
  return (res.data[0] as RunDoc | undefined) ?? null;
}

/** The steps of a run over `rules`: one per date or segment rule, one for all birthday rules. */
export function planSteps(rules: RuleDoc[], day: string, previousDay: string | null): StepPlan[] {
  const earliest = laterDay(addDays(day, -(CATCH_UP_DAYS - 1)), previousDay ? addDays(previousDay, 1) : '0000-00-00');
  // Days before the rule was switched on, or before its scheduled start, are never caught up.
  const since = (rule: RuleDoc) => laterDay(shanghaiDate(new Date(rule.activeSince ?? day)), rule.startsAt ? shanghaiDate(new Date(rule.startsAt)) : '0000-00-00');
  const windowOf = (rule: RuleDoc) => ({ id: rule._id, fromDay: laterDay(earliest, since(rule)) });
  const steps: StepPlan[] = [];
  const sourceOf: Record<RuleDoc['trigger']['kind'], SourceKind> = {
    after_order: 'orders',
    win_back: 'win_back',
    new_product_trial: 'segment',
    birthday_month: 'birthday',
    birthday_day: 'birthday',
  };
  for (const rule of rules) if (sourceOf[rule.trigger.kind] !== 'birthday') steps.push({ source: sourceOf[rule.trigger.kind], rules: [windowOf(rule)] });
  const birthdays = rules.filter((r) => sourceOf[r.trigger.kind] === 'birthday');
  if (birthdays.length) steps.push({ source: 'birthday', rules: birthdays.map(windowOf) });
  return steps;
}

async function openRun(day: string, previous: RunDoc | null, now: Date): Promise<RunDoc> {
  const res = await getDb().collection(COLLECTIONS.repurchaseRules).where({ status: 'active' }).orderBy('createdAt', 'asc').limit(100).get();
  const rules = (res.data as RuleDoc[]).filter((r) => ruleRunsAt(r, now));
  const run: RunDoc = {
    _id: day,
    status: rules.length ? 'running' : 'done',
    startedAt: now,
    finishedAt: rules.length ? null : now,
    updatedAt: now,
    rules: Object.fromEntries(rules.map((r) => [r._id, { name: r.name, trigger: r.trigger, templateId: r.templateId, reminder: r.reminder }])),
    steps: planSteps(rules, day, previous?._id ?? null),
    stepIndex: 0,
    cursor: '',
    invocations: 0,
    remaining: 0,
    totals: emptyCounts(),
    byRule: {},
    leaseUntil: RELEASED,
    leaseHolder: null,
  };
  return (await insertOrGet<RunDoc>(COLLECTIONS.repurchaseRuns, run)).doc;
}

/** The run to work on: an unfinished older one first, else today's (created when missing). */
async function currentRun(today: string, now: Date): Promise<RunDoc> {
  const latest = await latestRun();
  if (latest && (latest.status === 'running' || latest._id >= today)) return latest;
  return openRun(today, latest, now);
}

/** Which of the run's rules still run (a rule paused meanwhile stops), and which coupons cannot be issued now. */
async function ruleStates(run: RunDoc, now: Date): Promise<{ active: Set<string>; blocked: Map<string, RepurchaseSkipReason> }> {
  const _ = getDb().command;
  const ids = Object.keys(run.rules);
  const templateIds = [...new Set(Object.values(run.rules).map((r) => r.templateId))];
  const [rules, templates] = await Promise.all([
    getDb().collection(COLLECTIONS.repurchaseRules).where({ _id: _.in(ids) }).field({ status: true, startsAt: true, endsAt: true }).limit(ids.length).get(),
    getDb().collection(COLLECTIONS.couponTemplates).where({ _id: _.in(templateIds) }).limit(templateIds.length).get(),
  ]);
  const active = new Set((rules.data as RuleDoc[]).filter((r) => ruleRunsAt(r, now)).map((r) => r._id));
  const byId = new Map((templates.data as TemplateDoc[]).map((t) => [t._id, t]));
  const blocked = new Map<string, RepurchaseSkipReason>();
  for (const [id, rule] of Object.entries(run.rules)) {
    const template = byId.get(rule.templateId);
    if (!template || issuingRefusal(template, now)) blocked.set(id, 'template_unavailable');
  }
  return { active, blocked };
}

/** The `_.inc` update of a run's counters by one page's counts. */
function incrementsOf(byRule: Map<string, Counts>): Record<string, unknown> {
  const _ = getDb().command;
  const total = emptyCounts();
  const perRule: Record<string, unknown> = {};
  for (const [ruleId, c] of byRule) {
    total.evaluated += c.evaluated;
    total.issued += c.issued;
    total.reminded += c.reminded;
    for (const [reason, n] of Object.entries(c.skipped)) total.skipped[reason as RepurchaseSkipReason] = (total.skipped[reason as RepurchaseSkipReason] ?? 0) + n;
    perRule[ruleId] = counterUpdate(c);
  }
  function counterUpdate(c: Counts) {
    return {
      evaluated: _.inc(c.evaluated),
      issued: _.inc(c.issued),
      reminded: _.inc(c.reminded),
      skipped: Object.fromEntries(Object.entries(c.skipped).map(([reason, n]) => [reason, _.inc(n)])),
    };
  }
  return { totals: counterUpdate(total), ...(byRule.size ? { byRule: perRule } : {}) };
}

interface Progress {
  pages: number;
  issued: number;
  reminded: number;
}

/** Works on one run until it is done, the budget is spent or the lease is lost. */
async function work(run: RunDoc, holder: string, now: Date, budget: Budget, hooks: RunHooks, progress: Progress): Promise<RunDoc> {
  const { active, blocked } = await ruleStates(run, now);
  const ctx: GrantContext = {
    now,
    runDay: run._id,
    rules: new Map(Object.entries(run.rules)),
    blocked,
    reminderTemplateId: reminderTemplateId(),
    afterIssue: hooks.afterIssue,
  };
  let { stepIndex, cursor } = run;
  while (stepIndex < run.steps.length) {
    const step = run.steps[stepIndex];
    const rules: StepRules = step.rules.filter((r) => active.has(r.id)).map((r) => ({ ...r, rule: run.rules[r.id] }));
    let next = { stepIndex: stepIndex + 1, cursor: '' };
    let data: Record<string, unknown> = {};
    if (rules.length) {
      const page = await readPage(step, rules, run._id, cursor, pageSize());
      const result = await grantPage(page, ctx);
      await appendEvents(result.events, now);
      if (!page.exhausted) next = { stepIndex, cursor: page.lastId };
      data = incrementsOf(result.byRule);
      progress.pages += 1;
      for (const c of result.byRule.values()) {
        progress.issued += c.issued;
        progress.reminded += c.reminded;
      }
    }
    const done = next.stepIndex >= run.steps.length;
    const finish = done ? { status: 'done', finishedAt: now, remaining: 0, leaseUntil: RELEASED, leaseHolder: null } : {};
    if (!(await writeHolding(COLLECTIONS.repurchaseRuns, run._id, holder, { ...data, ...next, ...finish, updatedAt: now }))) return run;
    ({ stepIndex, cursor } = next);
    if (done) return { ...run, status: 'done', stepIndex, cursor, remaining: 0 };
    if (budget.outOfTime()) break;
  }
  const remaining = await remainingOf(run, stepIndex, cursor, active);
  await writeHolding(COLLECTIONS.repurchaseRuns, run._id, holder, { remaining, leaseUntil: RELEASED, leaseHolder: null });
  return { ...run, stepIndex, cursor, remaining };
}

async function remainingOf(run: RunDoc, stepIndex: number, cursor: string, active: Set<string>): Promise<number> {
  let left = 0;
  for (let i = stepIndex; i < run.steps.length; i++) {
    const rules = run.steps[i].rules.filter((r) => active.has(r.id)).map((r) => ({ ...r, rule: run.rules[r.id] }));
    if (rules.length) left += await countLeft(run.steps[i], rules, run._id, i === stepIndex ? cursor : '');
  }
  return left;
}

/** One timer's share of the repurchase work. */
export async function continueRepurchase(now: Date, budget: Budget, hooks: RunHooks = {}): Promise<RepurchaseTimerReport> {
  const progress: Progress = { pages: 0, issued: 0, reminded: 0 };
  const hour = shanghaiHour(now);
  if (hour < RUN_FROM_HOUR || hour >= RUN_UNTIL_HOUR) return { state: 'quiet', day: null, status: null, ...progress, remaining: 0 };
  const today = shanghaiDate(now);
  let state: RepurchaseTimerReport['state'] = 'idle';
  let run = await currentRun(today, now);
  // An older run finished within this invocation hands over to today's.
  for (let round = 0; round < 2 && run.status === 'running'; round++) {
    const holder = await takeLease(COLLECTIONS.repurchaseRuns, run._id, now, { where: { status: 'running' }, data: { invocations: getDb().command.inc(1) } });
    if (!holder) return { state: 'busy', day: run._id, status: run.status, ...progress, remaining: run.remaining };
    state = 'worked';
    run = await work(run, holder, now, budget, hooks, progress);
    if (run.status !== 'done' || run._id >= today || budget.outOfTime()) break;
    run = await currentRun(today, now);
  }
  return { state, day: run._id, status: run.status, ...progress, remaining: run.remaining };
}
