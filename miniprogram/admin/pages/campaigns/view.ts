/** What the campaign list renders: the kind tabs and one card per campaign with what may be done to it. */
import type { CampaignCommand, CampaignRow, CampaignType } from '../../../../typings';

export const TABS: { value: CampaignType | ''; label: string }[] = [
  { value: '', label: '全部' },
  { value: 'coupon', label: '优惠券' },
  { value: 'card', label: '包裹卡' },
  { value: 'repurchase', label: '复购规则' },
  { value: 'groupbuy', label: '拼团' },
  { value: 'invite', label: '邀请有礼' },
  { value: 'community', label: '社群入口' },
];

export interface RowView {
  key: string;
  type: CampaignType;
  id: string;
  title: string;
  kind: string;
  status: string;
  statusClass: string;
  subtitle: string;
  schedule: string;
  figures: string;
  actions: { command: CampaignCommand | 'topUp'; label: string }[];
}

export function toRowView(r: CampaignRow): RowView {
  const actions: RowView['actions'] = [];
  if (r.can.pause) actions.push({ command: 'pause', label: '暂停' });
  if (r.can.resume) actions.push({ command: 'resume', label: r.type === 'repurchase' || r.type === 'invite' ? '开启' : '恢复' });
  if (r.can.topUp) actions.push({ command: 'topUp', label: '补充库存' });
  if (r.can.end) actions.push({ command: 'end', label: '结束' });
  return {
    key: `${r.type}:${r.id}`,
    type: r.type,
    id: r.id,
    title: r.title,
    kind: r.typeLabel,
    status: r.statusLabel,
    statusClass: `status--${r.status}`,
    subtitle: r.subtitle,
    schedule: r.scheduleText,
    figures: r.figures.map((f) => `${f.label} ${f.value}`).join(' · '),
    actions,
  };
}

/** The confirmation a person answers before a campaign changes. */
export const CONFIRM: Record<CampaignCommand, (title: string) => { title: string; content: string; confirmText: string }> = {
  pause: (t) => ({ title: '暂停活动', content: `暂停后顾客暂时不能参与「${t}」，可以随时恢复。`, confirmText: '暂停' }),
  resume: (t) => ({ title: '恢复活动', content: `「${t}」将重新对顾客开放（未到开始时间的仍会等到开始）。`, confirmText: '恢复' }),
  end: (t) => ({ title: '结束活动', content: `结束后「${t}」不能再恢复，顾客已领到的权益不受影响。`, confirmText: '结束' }),
};

export function campaignUrl(type: CampaignType, id: string | null): string {
  return id ? `/admin/pages/campaign/index?type=${type}&id=${id}` : `/admin/pages/campaign/index?type=${type}`;
}
