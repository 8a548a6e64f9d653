/** What the 店铺管理 page renders, mapped from the contract's types. */
import type { AdminArea, AdminHome, ApiError, StaffInvite, StaffMember, StaffRole } from '../../../../typings';
import { roleLabel } from '../../../services/viewer';
import { formatDate, formatDateTime } from '../../../utils/format';
import { wholeYuan } from '../../shared/format';

export type InviteRole = Exclude<StaffRole, 'owner'>;

export interface MemberRow {
  openid: string;
  name: string;
  roleLabel: string;
  joinedOn: string;
}

export interface InviteView {
  code: string;
  path: string;
  name: string;
  roleLabel: string;
  expiresAt: string;
}

export interface RoleOption {
  value: InviteRole;
  label: string;
}

/** Owners invite admins and clerks; admins invite clerks (the cloud function enforces the same). */
export function invitableRoles(role: StaffRole): RoleOption[] {
  const roles: InviteRole[] = role === 'owner' ? ['clerk', 'admin'] : ['clerk'];
  return roles.map((value) => ({ value, label: roleLabel(value) }));
}

export function toMemberRow({ openid, name, role, joinedAt }: StaffMember): MemberRow {
  return { openid, name, roleLabel: roleLabel(role), joinedOn: formatDate(joinedAt) };
}

export function toInviteView({ code, path, name, role, expiresAt }: StaffInvite): InviteView {
  return { code, path, name, roleLabel: roleLabel(role), expiresAt: formatDateTime(expiresAt) };
}

/** The sentence to show: the first field problem when the input was refused, else the message. */
export function errorText(error: ApiError): string {
  return error.fields && error.fields.length ? error.fields[0].message : error.message;
}

export interface Entry {
  key: AdminArea;
  title: string;
  hint: string;
  url: string;
}

/** The tab's areas as entries on the home page; `team` is the section below them. */
const ENTRIES: Record<Exclude<AdminArea, 'team'>, Omit<Entry, 'key'>> = {
  verify: { title: '核销优惠券', hint: '扫描顾客出示的券码二维码，或输入券码', url: '/admin/pages/verify/index' },
  members: { title: '会员查询', hint: '按手机尾号、订单号或昵称找到会员', url: '/admin/pages/members/index' },
  dashboard: { title: '数据看板', hint: '扫码、入会、转化、复购和私域有效率', url: '/admin/pages/dashboard/index' },
  campaigns: { title: '活动', hint: '优惠券、包裹卡、复购、拼团、邀请和社群，一处查看与管理', url: '/admin/pages/campaigns/index' },
  cards: { title: '包裹卡批次', hint: '生成一批包裹卡，导出印刷文件', url: '/admin/pages/cards/index' },
  imports: { title: '导入订单', hint: '上传淘宝、京东、拼多多、抖音的订单表格', url: '/admin/pages/imports/index' },
  segments: { title: '会员分层', hint: '重度、购买、潜在、关注用户的规则与人数', url: '/admin/pages/segments/index' },
  prospects: { title: '潜力买家', hint: '订单里消费高、还不是会员的买家，可导出做定向优惠', url: '/admin/pages/prospects/index' },
  audit: { title: '操作记录', hint: '谁在什么时候改了什么，改前改后一目了然', url: '/admin/pages/audit/index' },
  community: { title: '社群活码', hint: '群满或过期自动换群，顾客扫码总能入群', url: '/admin/pages/community/index' },
  handover: { title: '离职继承', hint: '员工离职时，把名下会员交给其他同事', url: '/admin/pages/handover/index' },
};

export function entriesOf(areas: AdminArea[]): Entry[] {
  return areas.filter((a): a is Exclude<AdminArea, 'team'> => a !== 'team').map((key) => ({ key, ...ENTRIES[key] }));
}

export interface TodayView {
  scans: number;
  signups: number;
  orders: number;
  money: string;
}

export function toTodayView(t: AdminHome['today']): TodayView {
  return { scans: t.scans, signups: t.signups, orders: t.orders, money: wholeYuan(t.orderFen) };
}
