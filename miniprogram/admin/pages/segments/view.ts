/** What the segments page renders: counts as bars, the rules as a form in 元 and days, an export's progress. */
import type { SegmentExportView, SegmentRules, SegmentsView } from '../../../../typings';
import { exportDoneLine, shanghaiMinute } from '../../shared/format';

export interface CountRow {
  key: string;
  label: string;
  count: number;
  share: string;
  /** Bar width, 0–100. */
  width: number;
  rule: string;
}

export function toCountRows(v: SegmentsView): CountRow[] {
  return v.counts.map((c) => {
    const share = v.members > 0 ? c.count / v.members : 0;
    return { key: c.key, label: c.label, count: c.count, share: `${(Math.round(share * 1000) / 10).toFixed(1)}%`, width: Math.round(share * 100), rule: c.rule };
  });
}

export function statusLine(v: SegmentsView): string {
  if (v.recompute.running) return `正在按规则重新计算，已处理 ${v.recompute.processed} 位会员`;
  if (!v.computedAt) return '还没有计算过，定时任务会在几分钟内完成第一次计算';
  const pending = v.recompute.rulesPending ? '；新规则将在下一次计算后生效' : '';
  return `共 ${v.members} 位会员，统计于 ${shanghaiMinute(v.computedAt)}${pending}`;
}

/** The rules as the form edits them: text fields, money in 元, an empty day field meaning 不限. */
export interface RulesForm {
  heavyOrders: string;
  heavySpent: string;
  heavyDays: string;
  buyerOrders: string;
  buyerSpent: string;
  buyerDays: string;
  potentialDays: string;
  activeDays: string;
}

const days = (d: number | null): string => (d === null ? '' : String(d));
const yuanOf = (fen: number): string => (fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2));

export function toForm(r: SegmentRules): RulesForm {
  return {
    heavyOrders: String(r.heavy.minOrders),
    heavySpent: yuanOf(r.heavy.minSpentFen),
    heavyDays: days(r.heavy.withinDays),
    buyerOrders: String(r.buyer.minOrders),
    buyerSpent: yuanOf(r.buyer.minSpentFen),
    buyerDays: days(r.buyer.withinDays),
    potentialDays: String(r.potential.withinDays),
    activeDays: String(r.activeDays),
  };
}

export type Parsed = { ok: true; rules: SegmentRules } | { ok: false; message: string };

const INT = /^\d{1,6}$/;
const MONEY = /^\d{1,9}(\.\d{1,2})?$/;

export function parseForm(f: RulesForm): Parsed {
  const whole = (s: string, what: string): number | string => (INT.test(s.trim()) ? Number(s.trim()) : `请填写${what}（整数）`);
  const fen = (s: string, what: string): number | string => (MONEY.test(s.trim() || '0') ? Math.round(Number(s.trim() || '0') * 100) : `${what}请填写金额，如 500 或 99.5`);
  const window = (s: string, what: string): number | null | string => (s.trim() === '' ? null : whole(s, what));
  const values = {
    heavyOrders: whole(f.heavyOrders, '重度用户的订单数'),
    heavySpent: fen(f.heavySpent, '重度用户的消费'),
    heavyDays: window(f.heavyDays, '重度用户的天数'),
    buyerOrders: whole(f.buyerOrders, '购买用户的订单数'),
    buyerSpent: fen(f.buyerSpent, '购买用户的消费'),
    buyerDays: window(f.buyerDays, '购买用户的天数'),
    potentialDays: whole(f.potentialDays, '潜在用户的天数'),
    activeDays: whole(f.activeDays, '活跃会员的天数'),
  };
  const problem = Object.values(values).find((v): v is string => typeof v === 'string');
  if (problem) return { ok: false, message: problem };
  const n = values as unknown as Record<keyof RulesForm, number | null>;
  return {
    ok: true,
    rules: {
      heavy: { minOrders: n.heavyOrders as number, minSpentFen: n.heavySpent as number, withinDays: n.heavyDays },
      buyer: { minOrders: n.buyerOrders as number, minSpentFen: n.buyerSpent as number, withinDays: n.buyerDays },
      potential: { withinDays: n.potentialDays as number },
      activeDays: n.activeDays as number,
    },
  };
}

export interface ExportRow {
  label: string;
  status: SegmentExportView['status'];
  line: string;
  percent: number;
  url: string;
}

export function toExportRow(e: SegmentExportView): ExportRow {
  const line = e.status === 'done' ? exportDoneLine(e, '会员') : e.status === 'failed' ? (e.failure ?? '导出失败') : `正在导出，已写入 ${e.rows} 位`;
  return { label: e.segmentLabel, status: e.status, line, percent: e.percent, url: e.fileUrl ?? '' };
}
