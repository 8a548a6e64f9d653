/** How groups read in the contract: for the group page, 「我的拼团」 and staff. */
import type { AdminGroupView, Eligibility, GroupSummary, GroupView } from '../../typings';
import { campaignSummary } from './campaigns';
import { effectiveState, type GroupCampaignDoc, type GroupDoc, headlineOf, iso, isMemberOf, type JoinDoc } from './model';
import { resultTemplateId } from './settle';
import { sharePathOf, tokenFor } from './token';

const can = (): Eligibility => ({ can: true, reason: null, reasonCode: null });

function joinEligibility(group: GroupDoc, state: GroupView['state'], joined: boolean, isMember: boolean): Eligibility {
  if (joined) return { can: false, reason: '你已在这个团里，邀请好友一起拼吧', reasonCode: 'CONFLICT' };
  if (state === 'complete' || group.count >= group.size) return { can: false, reason: '来晚了，这个团已经满员', reasonCode: 'SOLD_OUT' };
  if (state === 'failed') return { can: false, reason: '这个团已经结束了，可以自己开一个新团', reasonCode: 'EXPIRED' };
  if (!isMember) return { can: false, reason: '加入会员后即可参与拼团', reasonCode: 'FORBIDDEN' };
  return can();
}

export function groupView(group: GroupDoc, campaign: GroupCampaignDoc, viewer: { openid: string; isMember: boolean }, now: Date): GroupView {
  const state = effectiveState(group, now);
  const token = tokenFor(group._id);
  const joined = isMemberOf(group, viewer.openid);
  const seatsLeft = state === 'open' ? group.size - group.count : 0;
  const members = [...group.members].sort((a, b) => a.seat - b.seat);
  return {
    token,
    sharePath: sharePathOf(token),
    campaign: campaignSummary(campaign),
    state,
    members: members.map((m) => ({
      seat: m.seat,
      nickname: m.nickname,
      avatar: m.avatar,
      isLeader: m.openid === group.leader,
      isMe: m.openid === viewer.openid,
      joinedAt: iso(m.joinedAt),
    })),
    groupSize: group.size,
    seatsLeft,
    headline: headlineOf(state, seatsLeft),
    openedAt: iso(group.openedAt),
    expiresAt: iso(group.expiresAt),
    closedAt: group.closedAt ? iso(group.closedAt) : state === 'failed' ? iso(group.expiresAt) : null,
    serverTime: now.toISOString(),
    viewer: {
      joined,
      isLeader: group.leader === viewer.openid,
      isMember: viewer.isMember || joined,
      join: joinEligibility(group, state, joined, viewer.isMember || joined),
      rewards: group.awards.filter((a) => a.openid === viewer.openid).map((a) => ({ kind: a.kind, couponId: a.couponId, text: a.text })),
      groupPriceFen: state === 'complete' && joined && group.terms.benefit.type === 'group_price' ? group.terms.benefit.groupPriceFen : null,
    },
    resultTemplateId: resultTemplateId(),
  };
}

export function groupSummary(group: GroupDoc, join: JoinDoc, now: Date): GroupSummary {
  const state = effectiveState(group, now);
  const token = tokenFor(group._id);
  const seatsLeft = state === 'open' ? group.size - group.count : 0;
  return {
    token,
    sharePath: sharePathOf(token),
    campaignId: group.campaignId,
    title: group.terms.title,
    productName: group.terms.productName,
    productImage: group.terms.productImage,
    benefitText: group.terms.texts.benefit,
    state,
    groupSize: group.size,
    memberCount: group.count,
    seatsLeft,
    headline: headlineOf(state, seatsLeft),
    isLeader: group.leader === join.openid,
    joinedAt: iso(join.at),
    expiresAt: iso(group.expiresAt),
    closedAt: group.closedAt ? iso(group.closedAt) : null,
  };
}

export function adminGroupView(group: GroupDoc, now: Date): AdminGroupView {
  return {
    groupId: group._id,
    token: tokenFor(group._id),
    state: effectiveState(group, now),
    groupSize: group.size,
    members: [...group.members].sort((a, b) => a.seat - b.seat).map((m) => ({ seat: m.seat, openid: m.openid, nickname: m.nickname, joinedAt: iso(m.joinedAt) })),
    openedAt: iso(group.openedAt),
    expiresAt: iso(group.expiresAt),
    closedAt: group.closedAt ? iso(group.closedAt) : null,
    benefitsIssued: group.benefitsIssued,
    refusals: group.refusals.map((r) => ({ ...r })),
  };
}
