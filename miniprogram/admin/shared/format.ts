/** Numbers as staff read them in the tab: money in 元, ratios in %, dates in Shanghai time. */
import type { Benchmark, Ratio } from '../../../typings';
import { shanghaiDate, shanghaiMinute, yuanText } from '../../components/coupon-card/text';

export { shanghaiDate, shanghaiMinute };

/** 12850 → `128.50`. */
export const yuan = (fen: number): string => yuanText(fen);

/** Large sums without the cents: 1234500 → `12,345`. */
export function wholeYuan(fen: number): string {
  return String(Math.round(fen / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 0.125 → `12.5%`; no denominator → `—`. */
export function percent(r: Ratio): string {
  return r.rate === null ? '—' : `${(Math.round(r.rate * 1000) / 10).toFixed(1)}%`;
}

export const BENCHMARK_LABELS: Record<Exclude<Benchmark, null>, string> = {
  below: '低于 5%',
  within: '5%–15% 常见水平',
  above: '高于 15%',
};

export function benchmarkLabel(b: Benchmark): string {
  return b ? BENCHMARK_LABELS[b] : '';
}

/** The first field problem when the input was refused, else the message. */
export function errorText(error: { message: string; fields?: { message: string }[] }): string {
  return error.fields && error.fields.length ? error.fields[0].message : error.message;
}

/** A finished CSV export, with how long its link and its file last (the cloud deletes the file then). */
export function exportDoneLine(job: { rows: number; fileName: string; fileExpiresAt: string | null }, who: string): string {
  const kept = job.fileExpiresAt ? `；文件保留至 ${shanghaiMinute(job.fileExpiresAt)}，之后自动删除` : '';
  return `已导出 ${job.rows} 位${who}（${job.fileName}），链接约 1 小时内有效${kept}`;
}
