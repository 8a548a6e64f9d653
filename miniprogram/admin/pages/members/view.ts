/** What the member search renders, mapped from the contract's rows. */
import type { MemberRow, MemberSearchBy } from '../../../../typings';
import { shanghaiDate, yuan } from '../../shared/format';

export interface ModeOption {
  value: MemberSearchBy;
  label: string;
  placeholder: string;
  inputType: 'number' | 'text';
}

export const MODES: ModeOption[] = [
  { value: 'phone', label: '手机号', placeholder: '手机号后 4 位或完整号码', inputType: 'number' },
  { value: 'orderNo', label: '订单号', placeholder: '淘宝、京东、拼多多、抖音订单号', inputType: 'text' },
  { value: 'nickname', label: '昵称', placeholder: '昵称开头的几个字', inputType: 'text' },
];

export interface ResultRow {
  openid: string;
  nickname: string;
  phone: string;
  level: string;
  segments: string;
  tags: string;
  source: string;
  spent: string;
  joinedOn: string;
}

export function toResultRow(m: MemberRow): ResultRow {
  return {
    openid: m.openid,
    nickname: m.nickname,
    phone: m.phoneMasked,
    level: m.level,
    segments: m.segments.map((s) => s.label).join(' '),
    tags: m.tags.join('、'),
    source: m.source,
    spent: `${m.orders} 单 · ${yuan(m.spentFen)} 元`,
    joinedOn: shanghaiDate(m.joinedAt),
  };
}

/** A guess at what was typed: digits of 4 or 11 are a phone, other long digit runs an order number. */
export function guessMode(q: string, current: MemberSearchBy): MemberSearchBy {
  const s = q.trim();
  if (/^(\d{4}|1\d{10})$/.test(s)) return 'phone';
  if (/^\d{12,}$/.test(s)) return 'orderNo';
  return current;
}
