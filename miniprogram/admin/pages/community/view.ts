/** What the 社群活码 staff pages render, mapped from the contract's types. */
import type { CommunityEntryPurpose, CommunityEntryView, CommunityGroupState, CommunityGroupView } from '../../../../typings';
import { formatDateTime } from '../../../utils/format';

export const PURPOSES: { value: CommunityEntryPurpose; label: string }[] = [
  { value: 'card_batch', label: '包裹卡' },
  { value: 'poster', label: '海报' },
  { value: 'counter', label: '门店柜台' },
  { value: 'other', label: '其他' },
];

const PURPOSE_LABELS = Object.fromEntries(PURPOSES.map((p) => [p.value, p.label])) as Record<CommunityEntryPurpose, string>;

const STATE_LABELS: Record<CommunityGroupState, string> = { open: '可入群', full: '已满员', expired: '二维码已过期', retired: '已停用' };

export interface EntryRow {
  id: string;
  name: string;
  tag: string;
  line: string;
  current: string;
}

export function toEntryRow(e: CommunityEntryView): EntryRow {
  const s = e.stats;
  return {
    id: e.id,
    name: e.name,
    tag: e.status === 'archived' ? '已归档' : PURPOSE_LABELS[e.purpose],
    line: `可用群 ${s.openGroups}/${s.groups} · 剩余名额 ${s.seatsLeft} · 已分配 ${s.assigned} · 已入群 ${s.joined} · 转店员 ${s.fallbacks}`,
    current: s.current ? `当前发放：${s.current.name}` : '没有可用的群，顾客将看到店员二维码',
  };
}

export interface EntryFigures {
  openGroups: number;
  seatsLeft: number;
  assigned: number;
  joined: number;
  fallbacks: number;
  openUntil: string;
}

export function toEntryFigures(e: CommunityEntryView): EntryFigures {
  const s = e.stats;
  return { openGroups: s.openGroups, seatsLeft: s.seatsLeft, assigned: s.assigned, joined: s.joined, fallbacks: s.fallbacks, openUntil: s.openUntil ? formatDateTime(s.openUntil) : '' };
}

export interface GroupRow {
  id: string;
  name: string;
  src: string;
  state: string;
  open: boolean;
  seats: string;
  line: string;
  expires: string;
  counted: string;
}

export function toGroupRow(g: CommunityGroupView): GroupRow {
  return {
    id: g.id,
    name: g.name,
    src: g.qr.src,
    state: STATE_LABELS[g.state],
    open: g.state === 'open',
    seats: `已占 ${g.taken}/${g.capacity}`,
    line: `在群名额 ${g.holders} · 已分配 ${g.assigned} · 已确认入群 ${g.joined}`,
    expires: `二维码 ${formatDateTime(g.expiresAt)} 到期`,
    counted: g.counted ? `上次核对 ${g.counted.count} 人（${formatDateTime(g.counted.at)}）` : '',
  };
}

/** A capacity typed by staff: empty = the default 200; otherwise 1–500. */
export function parseCapacity(s: string): number | null | undefined {
  const t = s.trim();
  if (!t) return undefined;
  return /^\d{1,3}$/.test(t) && Number(t) >= 1 && Number(t) <= 500 ? Number(t) : null;
}

export function parseCount(s: string): number | null {
  const t = s.trim();
  return /^\d{1,4}$/.test(t) ? Number(t) : null;
}
