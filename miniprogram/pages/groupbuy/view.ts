/** What the group-buy pages render, mapped from the contract's GroupView / GroupSummary / campaign page. */
import type { GroupBuyCampaignPage, GroupBuyProduct, GroupState, GroupSummary, GroupView } from '../../../typings';
import { shanghaiMinute, yuanText } from '../../components/coupon-card/text';

export const GROUPBUY_PAGES = {
  campaign: '/pages/groupbuy/campaign/index',
  detail: '/pages/groupbuy/detail/index',
  mine: '/pages/groupbuy/mine/index',
} as const;

export function detailUrl(token: string): string {
  return `${GROUPBUY_PAGES.detail}?token=${encodeURIComponent(token)}`;
}

export function campaignUrl(campaignId: string): string {
  return `${GROUPBUY_PAGES.campaign}?id=${encodeURIComponent(campaignId)}`;
}

const STATE_LABELS: Record<GroupState, string> = { open: '拼团中', complete: '拼团成功', failed: '拼团失败' };

export interface ProductView {
  name: string;
  image: string;
  originalPrice: string;
}

function toProductView(product: GroupBuyProduct): ProductView {
  return {
    name: product.name,
    image: product.image ?? '',
    originalPrice: product.originalPriceFen === null ? '' : `¥${yuanText(product.originalPriceFen)}`,
  };
}

/** The page's one button for the viewer: join, join the store first, invite friends, or nothing. */
export type GroupAction = 'join' | 'member' | 'share' | 'none';

export interface SeatView {
  key: string;
  nickname: string;
  avatar: string;
  initial: string;
  tag: string;
  empty: boolean;
}

export interface GroupDetailView {
  state: GroupState;
  stateLabel: string;
  headline: string;
  title: string;
  benefitText: string;
  leaderBonusText: string;
  consolationText: string;
  rules: string;
  product: ProductView;
  seats: SeatView[];
  action: GroupAction;
  actionText: string;
  /** Why the viewer cannot join, for people ('' when they can or are in). */
  reason: string;
  rewards: string[];
  groupPrice: string;
  closedAt: string;
  campaignId: string;
}

function actionOf(group: GroupView): { action: GroupAction; actionText: string } {
  const { viewer, state } = group;
  if (state !== 'open') return { action: 'none', actionText: '' };
  if (viewer.joined) return { action: 'share', actionText: '邀请好友参团' };
  if (viewer.join.can) return { action: 'join', actionText: '立即参团' };
  if (viewer.join.reasonCode === 'FORBIDDEN') return { action: 'member', actionText: '加入会员后参团' };
  return { action: 'none', actionText: '' };
}

function seatsOf(group: GroupView): SeatView[] {
  const taken: SeatView[] = group.members.map((m) => {
    const nickname = m.nickname || '微信用户';
    return {
      key: `seat-${m.seat}`,
      nickname: m.isMe ? `${nickname}（我）` : nickname,
      avatar: m.avatar ?? '',
      initial: nickname.slice(0, 1),
      tag: m.isLeader ? '团长' : '',
      empty: false,
    };
  });
  const empty: SeatView[] = [];
  if (group.state === 'open') {
    for (let i = 0; i < group.seatsLeft; i += 1) {
      empty.push({ key: `empty-${i}`, nickname: '待加入', avatar: '', initial: '?', tag: '', empty: true });
    }
  }
  return taken.concat(empty);
}

export function toGroupDetailView(group: GroupView): GroupDetailView {
  const { campaign, viewer } = group;
  const { action, actionText } = actionOf(group);
  return {
    state: group.state,
    stateLabel: STATE_LABELS[group.state],
    headline: group.headline,
    title: campaign.title,
    benefitText: campaign.benefitText,
    leaderBonusText: campaign.leaderBonusText ?? '',
    consolationText: campaign.consolationText ?? '',
    rules: campaign.rules,
    product: toProductView(campaign.product),
    seats: seatsOf(group),
    action,
    actionText,
    reason: action === 'share' || action === 'join' ? '' : viewer.join.reason ?? '',
    rewards: viewer.rewards.map((r) => (r.kind === 'leader_bonus' ? `团长奖励：${r.text}` : r.kind === 'consolation' ? `安慰券：${r.text}` : r.text)),
    groupPrice: viewer.groupPriceFen === null ? '' : `¥${yuanText(viewer.groupPriceFen)}`,
    closedAt: group.closedAt ? shanghaiMinute(group.closedAt) : '',
    campaignId: campaign.id,
  };
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** 「剩余 23:59:59」 (hours may exceed 24: a group can run up to 168 hours); '' once it is over. */
export function countdownText(msLeft: number): string {
  if (msLeft <= 0) return '';
  const total = Math.ceil(msLeft / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  return `剩余 ${pad(hours)}:${pad(minutes)}:${pad(total % 60)}`;
}

export interface CampaignPageView {
  title: string;
  benefitText: string;
  leaderBonusText: string;
  consolationText: string;
  rules: string;
  product: ProductView;
  timeLimit: string;
  window: string;
  canOpen: boolean;
  /** FORBIDDEN: the caller must join the store first. */
  needsMembership: boolean;
  reason: string;
  buttonText: string;
  openGroups: GroupLineView[];
}

export function toCampaignPageView(page: GroupBuyCampaignPage): CampaignPageView {
  const { campaign, open } = page;
  const needsMembership = open.reasonCode === 'FORBIDDEN';
  return {
    title: campaign.title,
    benefitText: campaign.benefitText,
    leaderBonusText: campaign.leaderBonusText ?? '',
    consolationText: campaign.consolationText ?? '',
    rules: campaign.rules,
    product: toProductView(campaign.product),
    timeLimit: `开团后 ${campaign.timeLimitHours} 小时内凑满 ${campaign.groupSize} 人即成团`,
    window: `活动时间：${shanghaiMinute(campaign.startsAt)} 至 ${shanghaiMinute(campaign.endsAt)}`,
    canOpen: open.can,
    needsMembership,
    reason: open.can || needsMembership ? '' : open.reason ?? '',
    buttonText: open.can ? '发起拼团' : needsMembership ? '加入会员后开团' : '暂不能开团',
    openGroups: page.myOpenGroups.map(toGroupLineView),
  };
}

export interface GroupLineView {
  token: string;
  title: string;
  productName: string;
  productImage: string;
  benefitText: string;
  state: GroupState;
  stateLabel: string;
  headline: string;
  members: string;
  role: string;
  when: string;
}

export function toGroupLineView(g: GroupSummary): GroupLineView {
  return {
    token: g.token,
    title: g.title,
    productName: g.productName,
    productImage: g.productImage ?? '',
    benefitText: g.benefitText,
    state: g.state,
    stateLabel: STATE_LABELS[g.state],
    headline: g.headline,
    members: `${g.memberCount}/${g.groupSize} 人`,
    role: g.isLeader ? '我是团长' : '我参与的',
    when: g.state === 'open' ? `截止 ${shanghaiMinute(g.expiresAt)}` : g.closedAt ? `结束于 ${shanghaiMinute(g.closedAt)}` : '',
  };
}
