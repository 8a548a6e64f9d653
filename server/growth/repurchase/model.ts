/** Repurchase rules and daily runs as stored, and how staff read them. */
import type {
  RepurchaseCounts,
  RepurchaseRuleStatus,
  RepurchaseRuleView,
  RepurchaseRunView,
  RepurchaseSkipReason,
  RepurchaseTrigger,
} from '../../../typings';
import { iso } from '../../members/model';
import { isoOrNull } from '../../runtime/schedule';
import { SEGMENT_BUYER } from '../../members/model';
import { isOver, notStarted } from '../../runtime/schedule';
import type { LeaseFields } from '../lease';

/** Whether the daily run serves the rule at `now`: switched on and within its schedule. */
export const ruleRunsAt = (rule: Pick<RuleDoc, 'status' | 'startsAt' | 'endsAt'>, now: Date): boolean =>
  rule.status === 'active' && !notStarted(rule, now) && !isOver(rule, now);

export interface RuleDoc {
  _id: string;
  name: string;
  trigger: RepurchaseTrigger;
  templateId: string;
  reminder: string | null;
  status: RepurchaseRuleStatus;
  /** When it was last switched on; null while paused. */
  activeSince: Date | null;
  /** The schedule: the run skips the rule before `startsAt` and after `endsAt`. Absent on older rules. */
  startsAt?: Date | null;
  endsAt?: Date | null;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
}

/** What a run keeps of each rule it started with: later edits do not change a run under way. */
export type RuleSnapshot = Pick<RuleDoc, 'name' | 'trigger' | 'templateId' | 'reminder'>;

/**
 * Where a step's candidates come from: bound orders (after_order), members by last order
 * (win_back) or by segment (new_product_trial), or members by birthday (every birthday rule of the
 * run together, so the birthday pages are read once a day).
 */
export type SourceKind = 'orders' | 'win_back' | 'segment' | 'birthday';

export interface StepPlan {
  source: SourceKind;
  /** The rules served and, for each, the first due day the run covers (the last is the run's day). */
  rules: { id: string; fromDay: string }[];
}

export interface Counts {
  evaluated: number;
  issued: number;
  reminded: number;
  skipped: Partial<Record<RepurchaseSkipReason, number>>;
}

export interface RunDoc extends LeaseFields {
  /** The Shanghai day. */
  _id: string;
  status: 'running' | 'done';
  startedAt: Date;
  finishedAt: Date | null;
  updatedAt: Date;
  rules: Record<string, RuleSnapshot>;
  steps: StepPlan[];
  /** The step under way and the last id its source returned ('' at a step's start). */
  stepIndex: number;
  cursor: string;
  invocations: number;
  remaining: number;
  totals: Counts;
  byRule: Record<string, Counts>;
}

export const emptyCounts = (): Counts => ({ evaluated: 0, issued: 0, reminded: 0, skipped: {} });

const SEGMENT_LABELS: Record<string, string> = { [SEGMENT_BUYER]: '购买用户' };

export function triggerSummary(trigger: RepurchaseTrigger): string {
  switch (trigger.kind) {
    case 'after_order':
      return `订单付款后第 ${trigger.days} 天${trigger.productKeywords.length ? `（商品含：${trigger.productKeywords.join('、')}）` : ''}`;
    case 'birthday_month':
      return '生日当月';
    case 'birthday_day':
      return trigger.daysBefore === 0 ? '生日当天' : `生日前 ${trigger.daysBefore} 天`;
    case 'win_back':
      return `最后一次下单后 ${trigger.days} 天未再下单`;
    case 'new_product_trial':
      return `「${SEGMENT_LABELS[trigger.segment] ?? trigger.segment}」会员试用新品「${trigger.product}」`;
  }
}

export function toRuleView(rule: RuleDoc, templateTitle: string): RepurchaseRuleView {
  return {
    id: rule._id,
    name: rule.name,
    trigger: rule.trigger,
    templateId: rule.templateId,
    reminder: rule.reminder,
    startsAt: isoOrNull(rule.startsAt),
    endsAt: isoOrNull(rule.endsAt),
    status: rule.status,
    templateTitle,
    activeSince: rule.activeSince ? iso(rule.activeSince) : null,
    summary: triggerSummary(rule.trigger),
    createdAt: iso(rule.createdAt),
    updatedAt: iso(rule.updatedAt),
  };
}

const countsView = (c: Counts | undefined): RepurchaseCounts => ({
  evaluated: c?.evaluated ?? 0,
  issued: c?.issued ?? 0,
  reminded: c?.reminded ?? 0,
  skipped: { ...(c?.skipped ?? {}) },
});

export function toRunView(run: RunDoc): RepurchaseRunView {
  return {
    day: run._id,
    status: run.status,
    startedAt: iso(run.startedAt),
    finishedAt: run.finishedAt ? iso(run.finishedAt) : null,
    invocations: run.invocations,
    remaining: run.remaining,
    ...countsView(run.totals),
    rules: Object.entries(run.rules).map(([ruleId, r]) => ({ ruleId, name: r.name, ...countsView(run.byRule?.[ruleId]) })),
  };
}
