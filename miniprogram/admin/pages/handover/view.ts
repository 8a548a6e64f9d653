/** What the 离职继承 page renders, mapped from `ownership.summary` and the handover view. */
import type { OwnershipHandoverView, OwnershipStaffLoad } from '../../../../typings';
import { roleLabel } from '../../../services/viewer';

export interface StaffChip {
  openid: string;
  label: string;
  members: number;
  revoked: boolean;
}

export function toStaffChip(s: OwnershipStaffLoad): StaffChip {
  const state = s.status === 'revoked' ? '已离职' : roleLabel(s.role);
  return { openid: s.openid, label: `${s.name}（${state} · ${s.members} 位会员）`, members: s.members, revoked: s.status === 'revoked' };
}

/** Who can leave members behind: anyone who has some (departed staff first). */
export function sources(staff: OwnershipStaffLoad[]): StaffChip[] {
  return staff
    .filter((s) => s.members > 0)
    .sort((a, b) => Number(b.status === 'revoked') - Number(a.status === 'revoked'))
    .map(toStaffChip);
}

/** Who can take members over: active staff other than the departing one. */
export function targets(staff: OwnershipStaffLoad[], fromId: string): StaffChip[] {
  return staff.filter((s) => s.status === 'active' && s.openid !== fromId).map(toStaffChip);
}

export interface HandoverProgress {
  status: string;
  done: boolean;
  line: string;
  targets: string[];
  failure: string;
}

const STATUS_LABELS: Record<OwnershipHandoverView['status'], string> = { running: '交接中', done: '已完成', failed: '未完成' };

export function toProgress(h: OwnershipHandoverView): HandoverProgress {
  return {
    status: STATUS_LABELS[h.status],
    done: h.status !== 'running',
    line: h.status === 'done' ? `已将 ${h.from.name} 的 ${h.moved} 位会员交接完毕` : `已交接 ${h.moved} / ${h.total} 位会员，剩余 ${h.remaining} 位`,
    targets: h.targets.map((t) => `${t.name}：${t.moved} 位`),
    failure: h.failure ?? '',
  };
}
