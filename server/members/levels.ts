/**
 * Member levels and points, as the merchant sets them: each level asks for a total spend AND a
 * number of bound orders (set one to 0 to ignore it); a member holds the highest level whose both
 * thresholds they meet. Levels are computed when read, from the member's totals, so changing the
 * rules applies to everyone at once without rewriting members.
 */
import { z } from 'zod';
import { COLLECTIONS } from '../../database/collections';
import type { LevelRules, LevelView, NextLevel } from '../../typings';
import { getById } from '../runtime/db';

export const LEVEL_SETTINGS_ID = 'memberLevels';

export const DEFAULT_LEVEL_RULES: LevelRules = {
  levels: [
    { name: '普通会员', minSpentFen: 0, minOrders: 0 },
    { name: '银卡会员', minSpentFen: 30_000, minOrders: 2 },
    { name: '金卡会员', minSpentFen: 100_000, minOrders: 5 },
  ],
  pointsPerYuan: 1,
};

export interface LevelSettingsDoc extends LevelRules {
  _id: typeof LEVEL_SETTINGS_ID;
  updatedAt: Date;
  updatedBy: string;
}

const MAX_FEN = 100_000_000_00; // 1 亿元

const level = z.strictObject({
  name: z.string({ error: '请填写等级名称' }).trim().min(1, '请填写等级名称').max(10, '等级名称最多 10 个字'),
  minSpentFen: z.number({ error: '请填写消费门槛' }).int('金额须为整数（分）').min(0, '门槛不能为负').max(MAX_FEN, '门槛过大'),
  minOrders: z.number({ error: '请填写订单数门槛' }).int('订单数须为整数').min(0, '订单数不能为负').max(100_000, '订单数过大'),
});

export const levelRulesInput = z
  .strictObject({
    levels: z.array(level, { error: '请填写会员等级' }).min(1, '至少需要一个等级').max(8, '最多 8 个等级'),
    pointsPerYuan: z.number({ error: '请填写积分规则' }).int('每元积分须为整数').min(0, '不能为负').max(100, '每元最多 100 积分'),
  })
  .superRefine((rules, ctx) => {
    const [first] = rules.levels;
    if (first && (first.minSpentFen !== 0 || first.minOrders !== 0)) {
      ctx.addIssue({ code: 'custom', path: ['levels', 0], message: '第一个等级是入会即得的等级，门槛须为 0' });
    }
    const names = new Set<string>();
    rules.levels.forEach((l, i) => {
      if (names.has(l.name)) ctx.addIssue({ code: 'custom', path: ['levels', i, 'name'], message: '等级名称不能重复' });
      names.add(l.name);
      const prev = rules.levels[i - 1];
      if (prev && (l.minSpentFen < prev.minSpentFen || l.minOrders < prev.minOrders || (l.minSpentFen === prev.minSpentFen && l.minOrders === prev.minOrders))) {
        ctx.addIssue({ code: 'custom', path: ['levels', i], message: '每个等级的门槛须高于上一个等级' });
      }
    });
  });

export async function loadLevelRules(): Promise<LevelRules> {
  const doc = await getById<LevelSettingsDoc>(COLLECTIONS.settings, LEVEL_SETTINGS_ID);
  return doc ? { levels: doc.levels, pointsPerYuan: doc.pointsPerYuan } : DEFAULT_LEVEL_RULES;
}

export interface Totals {
  spentFen: number;
  orders: number;
}

export function levelOf(rules: LevelRules, totals: Totals): LevelView {
  let rank = 0;
  rules.levels.forEach((l, i) => {
    if (totals.spentFen >= l.minSpentFen && totals.orders >= l.minOrders) rank = i;
  });
  return { rank, ...rules.levels[rank] };
}

export function nextLevelOf(rules: LevelRules, totals: Totals): NextLevel | null {
  const next = rules.levels[levelOf(rules, totals).rank + 1];
  if (!next) return null;
  return {
    name: next.name,
    needSpentFen: Math.max(0, next.minSpentFen - totals.spentFen),
    needOrders: Math.max(0, next.minOrders - totals.orders),
  };
}

/** Whole yuan paid times the rate: 128.50 元 at 1 point per yuan earns 128. */
export const pointsFor = (rules: LevelRules, amountFen: number): number => Math.floor(amountFen / 100) * rules.pointsPerYuan;
