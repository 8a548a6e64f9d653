/** What the card batch list and the new-batch form render. */
import type { CardBatchStatus, CardBatchView, CardChannel, CouponTemplateView, StaffMember } from '../../../../typings';
import { shanghaiDate } from '../../shared/format';

export const CHANNELS: { value: CardChannel; label: string }[] = [
  { value: 'taobao', label: '淘宝' },
  { value: 'jd', label: '京东' },
  { value: 'pdd', label: '拼多多' },
  { value: 'douyin', label: '抖音' },
  { value: 'offline', label: '线下' },
  { value: 'other', label: '其他' },
];

const STATUS_LABELS: Record<CardBatchStatus, string> = { preparing: '准备中', active: '可用', paused: '已暂停', revoked: '已作废' };

export interface BatchRow {
  id: string;
  title: string;
  status: string;
  line: string;
}

export function toBatchRow(b: CardBatchView): BatchRow {
  return {
    id: b.id,
    title: `${b.product} · ${b.channelName}`,
    status: b.expired && b.status === 'active' ? '已过期' : STATUS_LABELS[b.status],
    line: `${b.quantity} 张 · 已领取 ${b.claimed} · 已核销 ${b.redeemed} · ${shanghaiDate(b.createdAt)} 创建 · ${b.validUntil} 截止`,
  };
}

export interface Option {
  value: string;
  label: string;
}

/** The benefit picker: no benefit first, then active coupon templates. */
export function benefitOptions(templates: CouponTemplateView[]): Option[] {
  return [{ value: '', label: '不附带福利（仅感谢信）' }, ...templates.filter((t) => t.status === 'active').map((t) => ({ value: t.id, label: t.title }))];
}

/** The staff picker: nobody first (the batch's customers are not assigned), then active staff. */
export function staffOptions(staff: StaffMember[]): Option[] {
  return [{ value: '', label: '不指定' }, ...staff.filter((s) => s.status === 'active').map((s) => ({ value: s.openid, label: s.name }))];
}

export interface BatchForm {
  channel: CardChannel;
  product: string;
  quantity: string;
  validUntil: string;
  letter: string;
  benefitIndex: number;
  staffIndex: number;
}

export function parseQuantity(s: string): number | null {
  return /^\d{1,5}$/.test(s.trim()) ? Number(s.trim()) : null;
}
