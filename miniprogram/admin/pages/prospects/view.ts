/** What the 潜力买家 page shows, from the cloud's answers: rows, the filter form, status lines. */
import type { OrderPlatform, ProspectExportView, ProspectFilter, ProspectRow, ProspectSort, ProspectsView } from '../../../../typings';
import { exportDoneLine, shanghaiDate, shanghaiMinute, yuan } from '../../shared/format';

const PLATFORM_NAMES: Record<OrderPlatform, string> = { taobao: '淘宝', jd: '京东', pdd: '拼多多', douyin: '抖音', other: '其他' };

export const SORTS: { key: ProspectSort; label: string }[] = [
  { key: 'spent', label: '按消费' },
  { key: 'orders', label: '按订单数' },
  { key: 'recent', label: '按最近下单' },
];

export interface BuyerRow {
  key: string;
  rank: number;
  phone: string;
  figures: string;
  dates: string;
  order: string;
}

export function toBuyerRow(r: ProspectRow): BuyerRow {
  return {
    key: r.key,
    rank: r.rank,
    phone: r.phoneMasked,
    figures: `${r.orders} 单 · 累计 ¥${yuan(r.spentFen)}`,
    dates: `首单 ${shanghaiDate(r.firstOrderAt)} · 最近 ${shanghaiDate(r.lastOrderAt)}`,
    order: `${r.platforms.map((p) => PLATFORM_NAMES[p]).join('、')} 最近订单 ${r.lastOrderNo}`,
  };
}

/** What the form holds: text as typed (元 for money, blank days = 不限). */
export interface FilterForm {
  minSpent: string;
  minOrders: string;
  withinDays: string;
}

export function toForm(f: ProspectFilter): FilterForm {
  return { minSpent: String(f.minSpentFen / 100), minOrders: String(f.minOrders), withinDays: f.withinDays === null ? '' : String(f.withinDays) };
}

export function parseFilter(form: FilterForm, sort: ProspectSort): { ok: true; filter: ProspectFilter } | { ok: false; message: string } {
  const spent = form.minSpent.trim() === '' ? 0 : Number(form.minSpent);
  if (!Number.isFinite(spent) || spent < 0 || Math.round(spent * 100) !== spent * 100) return { ok: false, message: '最低消费请填写金额（元），最多两位小数' };
  const orders = Number(form.minOrders);
  if (!Number.isInteger(orders) || orders < 1) return { ok: false, message: '最少订单数请填写 1 或更大的整数' };
  const days = form.withinDays.trim() === '' ? null : Number(form.withinDays);
  if (days !== null && (!Number.isInteger(days) || days < 1)) return { ok: false, message: '最近下单天数请填写正整数，或留空表示不限' };
  return { ok: true, filter: { minSpentFen: Math.round(spent * 100), minOrders: orders, withinDays: days, sort } };
}

export function statusLine(v: ProspectsView): string {
  const r = v.refresh;
  if (!r.computedAt) return r.running ? '正在汇总订单，请稍候刷新' : '还没有汇总过订单，导入订单后点「重新汇总」';
  const since = `${shanghaiMinute(r.computedAt)} 汇总：${r.orders} 笔订单、${r.buyers} 位买家，其中 ${r.prospects} 位还不是会员`;
  const without = r.ordersWithoutPhone ? `；${r.ordersWithoutPhone} 笔订单没有完整手机号，未计入` : '';
  return `${since}${without}${r.running ? '（正在重新汇总）' : ''}`;
}

export function countLine(v: ProspectsView): string {
  const joined = v.joinedSince ? `（本页 ${v.joinedSince} 位已在汇总后入会，已隐去）` : '';
  return `符合条件 ${v.total} 位${joined}`;
}

export interface ExportRow {
  status: ProspectExportView['status'];
  line: string;
  percent: number;
  url: string;
}

export function toExportRow(e: ProspectExportView): ExportRow {
  const line = e.status === 'done' ? exportDoneLine(e, '买家') : e.status === 'failed' ? (e.failure ?? '导出失败') : `正在导出，已写入 ${e.rows} 位`;
  return { status: e.status, line, percent: e.percent, url: e.fileUrl ?? '' };
}
