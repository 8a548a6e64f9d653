/** A member's invite link, and what a friend who opens it sees. */
import { COLLECTIONS } from '../../../database/collections';
import type { InviteLanding, InviteLink } from '../../../typings';
import { appendEvents } from '../../events/log';
import { loadActiveMember } from '../../members/home';
import { displayName, type MemberDoc } from '../../members/model';
import { getById } from '../../runtime/db';
import { shanghaiDate } from '../../runtime/shanghai';
import { maskName } from '../people';
import { ensureCode } from './codes';
import { currentCampaign } from './campaigns';
import { type CampaignDoc, type CodeDoc, runsOn, summaryOf } from './model';
import { inviteToken, parseInviteToken, sharePathOf } from './token';

export interface LinkParts {
  member: MemberDoc;
  code: CodeDoc;
  campaign: CampaignDoc | null;
  token: string;
}

/** The member, their code, the current campaign and the token naming both. */
export async function linkParts(openid: string, now: Date): Promise<LinkParts> {
  const member = await loadActiveMember(openid);
  const [code, campaign] = await Promise.all([ensureCode(openid, now), currentCampaign(now)]);
  return { member, code, campaign, token: inviteToken(code._id, campaign?._id ?? null) };
}

export async function inviteLink(openid: string, now: Date): Promise<InviteLink> {
  const { member, campaign, token } = await linkParts(openid, now);
  return {
    token,
    sharePath: sharePathOf(token),
    shareTitle: campaign ? `${displayName(member)}邀你加入会员：${campaign.title}` : `${displayName(member)}邀你一起加入会员`,
    campaign: campaign ? summaryOf(campaign) : null,
  };
}

const INVALID: InviteLanding = { status: 'invalid', inviter: null, campaign: null };

export async function openInvite(openid: string, token: string, now: Date): Promise<InviteLanding> {
  const facts = parseInviteToken(token);
  if (!facts) return INVALID;
  const code = await getById<CodeDoc>(COLLECTIONS.inviteCodes, facts.code);
  if (!code) return INVALID;
  const [inviter, caller, campaign] = await Promise.all([
    getById<MemberDoc>(COLLECTIONS.members, code.openid),
    code.openid === openid ? null : getById<MemberDoc>(COLLECTIONS.members, openid),
    facts.campaignId ? getById<CampaignDoc>(COLLECTIONS.inviteCampaigns, facts.campaignId) : null,
  ]);
  if (!inviter || inviter.status !== 'active') return INVALID;
  const status = code.openid === openid ? 'self' : caller ? 'member' : 'ok';
  if (status === 'ok') await appendEvents([{ type: 'invite_open', openid, channel: 'invite', ref: code._id }], now);
  return {
    status,
    inviter: { nickname: maskName(inviter.nickname), avatar: inviter.avatar },
    campaign: campaign && runsOn(campaign, shanghaiDate(now)) ? summaryOf(campaign) : null,
  };
}
