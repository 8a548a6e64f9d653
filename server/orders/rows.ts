/**
 * One CSV row to one order, or the reason it cannot be one, in words a store owner can act on.
 *
 * What exports really contain: order numbers guarded against Excel as `="123…"`, `'123…` or with
 * a tab; numbers Excel already ruined (1.23457E+18); amounts as ¥1,280.50; phones as +86 138 0013
 * 8000, 138-0013-8000 or masked (138****8000, the last four digits are all binding needs); times as
 * 2026-03-01 12:34:56 or 2026/3/1 12:34 in Beijing time; unpaid, closed and refunded orders.
 */
import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import type { OrderField, RowError } from '../../typings';
import { SHANGHAI_OFFSET_MINUTES } from '../runtime/shanghai';

dayjs.extend(customParseFormat);

export interface ParsedRow {
  row: number;
  orderNo: string;
  /** Full national number when the export has it, else null (masked). */
  phone: string | null;
  last4: string;
  amountFen: number;
  paidAt: Date;
  product: string;
  quantity: number | null;
  statusText: string | null;
}

export type RowResult = { ok: true; order: ParsedRow } | { ok: false; error: RowError } | { ok: 'blank' };

const MAX_AMOUNT_FEN = 10_000_000_00; // 1,000 万元 for one order is surely a wrong column

/** Strips what spreadsheets and exports wrap values in. */
export function cleanCell(raw: string | undefined): string {
  let v = (raw ?? '').normalize('NFKC').trim();
  const formula = /^="(.*)"$/.exec(v);
  if (formula) v = formula[1];
  return v.replace(/^['\t]+/, '').trim();
}

export function parseOrderNo(raw: string): string | RowError['reason'] {
  const v = cleanCell(raw).replace(/\s+/g, '');
  if (!v) return '缺少订单编号';
  if (/^\d+(\.\d+)?E\+\d+$/i.test(v)) return '订单编号被表格软件改成了科学计数法，请直接使用平台导出的原始文件';
  if (!/^[0-9A-Za-z_-]{4,40}$/.test(v)) return '订单编号只能包含数字、字母和连字符';
  return v;
}

/** Mainland mobile numbers, full or masked with the last four digits kept. */
export function parsePhone(raw: string): { phone: string | null; last4: string } | string {
  const v = cleanCell(raw).replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
  if (!v) return '缺少买家手机号';
  if (/^1[3-9]\d{9}$/.test(v)) return { phone: v, last4: v.slice(-4) };
  const masked = /^(?:1\d{0,2})?\*{3,8}(\d{4})$/.exec(v);
  if (masked) return { phone: null, last4: masked[1] };
  return '买家手机号格式不正确（需要 11 位手机号，或至少保留后四位）';
}

/** Exact integer fen from a decimal string: no floating point on money. */
export function parseAmountFen(raw: string, unit: 'yuan' | 'fen'): number | string {
  const v = cleanCell(raw).replace(/[¥￥,，\s]|元$/g, '');
  if (!v) return '缺少实付金额';
  if (unit === 'fen') {
    if (!/^\d+$/.test(v)) return '金额应为整数（分）';
    const fen = Number(v);
    return fen <= MAX_AMOUNT_FEN ? fen : '金额过大，请检查是否选错了列';
  }
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(v);
  if (!m) return /^-/.test(v) ? '金额不能为负数' : '金额格式不正确（例如 128.50）';
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return fen <= MAX_AMOUNT_FEN ? fen : '金额过大，请检查是否选错了列';
}

const TIME_FORMATS = ['YYYY-MM-DD HH:mm:ss', 'YYYY-MM-DD HH:mm', 'YYYY/M/D HH:mm:ss', 'YYYY/M/D H:mm:ss', 'YYYY/M/D HH:mm', 'YYYY/M/D H:mm', 'YYYY-MM-DDTHH:mm:ss', 'YYYY-MM-DD'];

/** Export times are Beijing time without a zone. */
export function parsePaidAt(raw: string): Date | string | null {
  const v = cleanCell(raw);
  if (!v || v === '-' || v === '--') return null;
  const local = dayjs(v, TIME_FORMATS, true);
  if (!local.isValid()) return '付款时间格式不正确（例如 2026-03-01 12:34:56）';
  // Read the wall-clock fields as Shanghai time, whatever zone this process runs in.
  const utcMs = Date.UTC(local.year(), local.month(), local.date(), local.hour(), local.minute(), local.second());
  return new Date(utcMs - SHANGHAI_OFFSET_MINUTES * 60_000);
}

const CLOSED = /关闭|取消|退款成功|已退款|交易失败|未付款|待付款|等待买家付款/;

export interface RowOptions {
  index: Partial<Record<OrderField, number>>;
  amountUnit: 'yuan' | 'fen';
}

export function parseRow(cells: string[], row: number, options: RowOptions): RowResult {
  if (cells.every((c) => !c.trim())) return { ok: 'blank' };
  const cell = (field: OrderField): string => {
    const i = options.index[field];
    return i === undefined ? '' : (cells[i] ?? '');
  };
  const bad = (field: OrderField, reason: string): RowResult => ({ ok: false, error: { row, field, reason } });

  const orderNo = parseOrderNo(cell('orderNo'));
  if (!/^[0-9A-Za-z_-]+$/.test(orderNo)) return bad('orderNo', orderNo);
  const statusText = cleanCell(cell('status')) || null;
  if (statusText && CLOSED.test(statusText)) return bad('status', `订单状态为「${statusText}」，未导入`);
  const paidAt = parsePaidAt(cell('paidAt'));
  if (paidAt === null) return bad('paidAt', '订单未付款（没有付款时间），未导入');
  if (typeof paidAt === 'string') return bad('paidAt', paidAt);
  const amountFen = parseAmountFen(cell('amount'), options.amountUnit);
  if (typeof amountFen === 'string') return bad('amount', amountFen);
  const phone = parsePhone(cell('phone'));
  if (typeof phone === 'string') return bad('phone', phone);
  const qty = cleanCell(cell('quantity'));
  const quantity = /^\d{1,6}$/.test(qty) ? Number(qty) : null;
  const product = cleanCell(cell('product')).slice(0, 100);
  return { ok: true, order: { row, orderNo, ...phone, amountFen, paidAt, product, quantity, statusText } };
}
