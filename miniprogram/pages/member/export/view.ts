/** What 导出我的数据 renders: the profile held, and how many records of each kind, from MemberExport. */
import type { MemberExport } from '../../../../typings';
import { yuan } from '../../../components/member-card/view';
import { formatDateTime } from '../../../utils/format';

export interface ExportRow {
  label: string;
  value: string;
}

export interface ExportView {
  notice: string;
  exportedAt: string;
  profile: ExportRow[];
  records: ExportRow[];
}

const CHANNEL_NAMES: Record<string, string> = { taobao: '淘宝', jd: '京东', pdd: '拼多多', douyin: '抖音', offline: '线下', other: '其他' };

function sourceOf(data: MemberExport): string {
  const { attribution } = data.profile;
  if (attribution.source !== 'card') return '直接加入';
  const channel = attribution.channel ? CHANNEL_NAMES[attribution.channel] ?? attribution.channel : '';
  return `${channel}包裹卡${attribution.serial ? ` No.${attribution.serial}` : ''}`;
}

export function toExportView(data: MemberExport): ExportView {
  const p = data.profile;
  const profile: ExportRow[] = [
    { label: '昵称', value: p.nickname },
    { label: '头像', value: p.avatar ? '已设置' : '未设置' },
    { label: '手机号', value: `+${p.countryCode} ${p.phone}${p.phoneIsDevelopment ? '（开发测试号码）' : ''}` },
    { label: '生日', value: p.birthday ?? '未设置' },
    { label: '入会时间', value: formatDateTime(p.joinedAt) },
    { label: '来源', value: sourceOf(data) },
    { label: '隐私指引', value: `版本 ${p.privacy.version}，${formatDateTime(p.privacy.acceptedAt)} 同意` },
    { label: '会员等级', value: p.level },
    { label: '积分', value: String(p.points) },
    { label: '订单与消费', value: `${p.orders} 笔，共 ${yuan(p.spentFen)} 元` },
    { label: '分组与标签', value: [...p.segments, ...p.tags].join('、') || '无' },
  ];
  const records: ExportRow[] = [
    { label: '绑定的订单', value: `${data.orders.length} 笔` },
    { label: '积分记录', value: `${data.pointsLedger.length} 条` },
    { label: '优惠券', value: `${data.coupons.length} 张` },
    { label: '活动记录', value: `${data.events.length} 条${data.events.length >= data.eventsLimit ? `（最近 ${data.eventsLimit} 条）` : ''}` },
  ];
  return { notice: data.notice, exportedAt: formatDateTime(data.exportedAt), profile, records };
}
