/**
 * Order amounts as staff type them, in 元, read into integer fen without floating point:
 * `99.9` → 9990, `120` → 12000. More than two decimals, signs and anything else are refused.
 */
export type AmountResult = { ok: true; fen: number } | { ok: false; message: string };

/** The cloud's ceiling for an order amount: 1,000,000 元. */
const MAX_FEN = 100_000_000;

const YUAN = /^(\d*)(?:\.(\d*))?$/;

export function parseYuan(input: string): AmountResult {
  const text = input.trim().replace(/元$/, '').trim();
  if (!text) return { ok: false, message: '请输入订单金额' };
  if (/^[-−]/.test(text)) return { ok: false, message: '订单金额不能为负数' };
  const match = YUAN.exec(text);
  const whole = match?.[1] ?? '';
  const cents = match?.[2] ?? '';
  if (!match || (!whole && !cents)) return { ok: false, message: '请输入正确的金额，如 99.9' };
  if (cents.length > 2) return { ok: false, message: '金额最多精确到分（两位小数）' };
  // Leading zeros aside, more than 7 digits of 元 is above the ceiling anyway.
  if (whole.replace(/^0+/, '').length > 7) return { ok: false, message: `订单金额不能超过 ${MAX_FEN / 100} 元` };
  const fen = Number(whole || '0') * 100 + Number(cents.padEnd(2, '0'));
  if (fen === 0) return { ok: false, message: '订单金额须大于 0' };
  if (fen > MAX_FEN) return { ok: false, message: `订单金额不能超过 ${MAX_FEN / 100} 元` };
  return { ok: true, fen };
}
