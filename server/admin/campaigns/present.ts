/** Labels and abilities: how a kind's row reads for the caller. */
import type { CampaignAbilities, CampaignRow, CampaignStatus, CampaignType, StaffRole } from '../../../typings';
import { shanghaiMinute } from '../../runtime/shanghai';
import { roleAtLeast } from '../../runtime/staff-guard';
import { ABILITY_ROLES } from '../access';
import type { Listed } from './kind';

export const TYPE_LABELS: Record<CampaignType, string> = {
  coupon: '优惠券',
  card: '包裹卡',
  repurchase: '复购规则',
  groupbuy: '拼团',
  invite: '邀请有礼',
  community: '社群入口',
};

export const STATUS_LABELS: Record<CampaignStatus, string> = { scheduled: '未开始', active: '进行中', paused: '已暂停', ended: '已结束' };

function scheduleText(startsAt: string | null, endsAt: string | null): string {
  if (!startsAt && !endsAt) return '长期有效';
  return [startsAt && `${shanghaiMinute(new Date(startsAt))} 起`, endsAt && `${shanghaiMinute(new Date(endsAt))} 止`].filter(Boolean).join(' · ');
}

function abilities(listed: Listed, role: StaffRole): CampaignAbilities {
  const { status } = listed.row;
  const may = roleAtLeast(role, ABILITY_ROLES.manageCampaigns);
  const can: CampaignAbilities = {
    edit: may && status !== 'ended',
    pause: may && (status === 'active' || status === 'scheduled'),
    resume: may && status === 'paused',
    end: may && status !== 'ended',
    topUp: may && listed.stock && status !== 'ended',
  };
  for (const key of listed.withheld ?? []) can[key] = false;
  return can;
}

export function present(listed: Listed, role: StaffRole): CampaignRow {
  const { row } = listed;
  return {
    ...row,
    typeLabel: TYPE_LABELS[row.type],
    statusLabel: STATUS_LABELS[row.status],
    scheduleText: scheduleText(row.startsAt, row.endsAt),
    can: abilities(listed, role),
  };
}
