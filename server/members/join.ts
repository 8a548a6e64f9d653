/**
 * Joining in one tap, and claiming a card as a member.
 *
 * The sign-up is four billable operations with a card: the invocation, the card's claim (one
 * conditional write on its reserved slot), the member insert (its `_id` is the openid, so the
 * insert IS the uniqueness check: a double tap or a second device lands on the existing member),
 * and one batch write of the call's events. Nothing is read first: the privacy notice version is
 * in code and the scene is verified by its signature.
 *
 * The card is claimed before the member is written so the first-touch attribution can carry the
 * card's channel without reading the batch. A crash in between leaves a coupon without a member;
 * the retry finds the card `already_mine` and writes the member.
 *
 * Events are written after the state they describe, by the call that changed it: a retry of a
 * finished join adds none, and a crash between the two loses that call's events (the counters
 * under-count by it rather than double-count).
 *
 * An invite token (without a card: the card is the first touch) costs one read instead of the
 * card's claim, so an invited sign-up is also four: the invocation, the invite code's lookup (the
 * token's signature is checked first, so a forged one costs nothing), the member insert carrying
 * the inviter, and the event batch with an `invite_signup`. Rewards are the growth timer's job
 * (caps, loops and duplicate accounts need reads that would make joining dearer).
 */
import { COLLECTIONS } from '../../database/collections';
import type { CardClaimView, JoinRequest, JoinResult } from '../../typings';
import type { EventInput } from '../events/log';
import { appendEvents } from '../events/log';
import { getById, getDb, insertOrGet } from '../runtime/db';
import type { ActionContext } from '../runtime/define';
import { AppError, fail } from '../runtime/errors';
import { platform, type PhoneInfo } from '../runtime/platform';
import { type InviteAtJoin, inviterOfToken } from '../growth/invites/codes';
import { NO_CAMPAIGN } from '../growth/invites/token';
import { type CardClaimOutcome, claimFromScene } from './card-link';
import { maskPhone, phoneHash, seal } from './crypto';
import { DEFAULT_NICKNAME, iso, type MemberAttribution, type MemberDoc, nicknameKey } from './model';
import { PRIVACY_VERSION } from './privacy';

export const PRIVACY_REFUSAL = '请先阅读并同意《会员隐私保护指引》，再加入会员';

async function decodePhone(code: string): Promise<PhoneInfo> {
  let info: PhoneInfo;
  try {
    info = await platform().phoneNumber(code);
  } catch (err) {
    const errCode = (err as { errCode?: number }).errCode;
    if (errCode === -604101) throw new AppError('UNAVAILABLE', '暂时无法获取手机号，请稍后再试');
    throw new AppError('EXPIRED', '手机号授权已失效，请重新点击「授权手机号并加入」');
  }
  const national = String(info.phoneNumber).replace(/\D/g, '');
  const countryCode = String(info.countryCode || '86').replace(/\D/g, '') || '86';
  const valid = countryCode === '86' ? /^1\d{10}$/.test(national) : /^\d{4,15}$/.test(national);
  if (!valid) throw new AppError('UNAVAILABLE', '没有取得有效的手机号，请重试');
  return { phoneNumber: national, countryCode, isDevelopment: info.isDevelopment };
}

export const INVITE_CHANNEL = 'invite';

function attributionOf(outcome: CardClaimOutcome | null, invite: InviteAtJoin | null, now: Date): MemberAttribution {
  if (!outcome?.card && invite?.status === 'credited') {
    const attribution: MemberAttribution = { source: 'invite', channel: INVITE_CHANNEL, batchId: null, serial: null, inviter: invite.inviter, at: now };
    return invite.campaignId ? { ...attribution, campaign: invite.campaignId } : attribution;
  }
  if (!outcome?.card) return { source: 'direct', channel: null, batchId: null, serial: null, inviter: null, at: now };
  return {
    source: 'card',
    channel: outcome.summary?.channel ?? null,
    batchId: outcome.card.batchId,
    serial: outcome.card.serial,
    inviter: null,
    at: now,
  };
}

function newMember(ctx: ActionContext, input: JoinRequest, phone: PhoneInfo, outcome: CardClaimOutcome | null, invite: InviteAtJoin | null): MemberDoc {
  return {
    _id: ctx.openid,
    unionid: ctx.unionid,
    status: 'active',
    joinedAt: ctx.now,
    nickname: input.nickname ?? '',
    nicknameKey: nicknameKey(input.nickname ?? ''),
    avatar: input.avatar ?? null,
    birthday: input.birthday ?? null,
    phone: { enc: seal(phone.phoneNumber, ctx.openid), countryCode: phone.countryCode },
    phoneHash: phoneHash(phone.countryCode, phone.phoneNumber),
    phoneMasked: maskPhone(phone.phoneNumber),
    phoneIsDevelopment: phone.isDevelopment,
    privacy: { version: PRIVACY_VERSION, acceptedAt: ctx.now },
    attribution: attributionOf(outcome, invite, ctx.now),
    staffId: outcome?.summary?.ownerStaffId ?? null,
    joinRequestId: ctx.requestId,
    points: 0,
    stats: { orders: 0, spentFen: 0, lastOrderAt: null },
    segments: [],
    tags: [],
    bindGuard: null,
    updatedAt: ctx.now,
  };
}

export function joinView(m: MemberDoc): JoinResult['member'] {
  return {
    openid: m._id,
    nickname: m.nickname || DEFAULT_NICKNAME,
    avatar: m.avatar,
    phoneMasked: m.phoneMasked,
    phoneIsDevelopment: m.phoneIsDevelopment,
    joinedAt: iso(m.joinedAt),
  };
}

export async function join(ctx: ActionContext, input: JoinRequest): Promise<JoinResult> {
  if (!input.privacyAccepted) fail('INVALID_INPUT', PRIVACY_REFUSAL, [{ path: 'payload.privacyAccepted', message: '需要同意《会员隐私保护指引》' }]);
  if (input.privacyVersion !== PRIVACY_VERSION) fail('CONFLICT', '《会员隐私保护指引》已更新，请重新阅读并同意');
  let phone: PhoneInfo;
  try {
    phone = await decodePhone(input.phoneCode);
  } catch (err) {
    // A phone code works once: the retry of a join that succeeded (its answer lost) finds the member.
    const existing = await getById<MemberDoc>(COLLECTIONS.members, ctx.openid);
    if (!existing) throw err;
    return settle(ctx, existing, false, input.scene ? await claimFromScene(input.scene, ctx.openid, ctx.now) : null, null, input.invite);
  }
  const outcome = input.scene ? await claimFromScene(input.scene, ctx.openid, ctx.now) : null;
  const invite = await inviteOf(input, outcome, ctx.openid);
  const { doc: member, created } = await insertOrGet<MemberDoc>(COLLECTIONS.members, newMember(ctx, input, phone, outcome, invite));
  return settle(ctx, member, created, outcome, invite, input.invite);
}

/** The invite the customer came with, unless a card (a signed one) is their first touch. */
async function inviteOf(input: JoinRequest, outcome: CardClaimOutcome | null, openid: string): Promise<InviteAtJoin | null> {
  if (!input.invite) return null;
  if (outcome?.card) return { status: 'card_first' };
  return inviterOfToken(input.invite, openid);
}

/** What the answer says about the invite: a retry of the join that used it still says credited. */
function inviteStatus(member: MemberDoc, created: boolean, invite: InviteAtJoin | null, requestId: string): NonNullable<JoinResult['invite']> {
  if (created && invite) return { status: invite.status };
  const sameJoin = member.joinRequestId === requestId && member.attribution.source === 'invite';
  return { status: sameJoin ? 'credited' : 'already_member' };
}

/** The events of the join, the unionid of a returning member, and the answer. */
async function settle(
  ctx: ActionContext,
  member: MemberDoc,
  created: boolean,
  outcome: CardClaimOutcome | null,
  invite: InviteAtJoin | null,
  token: string | undefined,
): Promise<JoinResult> {
  if (!created && member.status !== 'active') fail('CONFLICT', '账号正在注销中，请稍后再试');

  const events: EventInput[] = [];
  if (created) {
    events.push({
      type: 'member_signup',
      openid: ctx.openid,
      batchId: member.attribution.batchId ?? undefined,
      channel: member.attribution.channel ?? undefined,
      staffId: member.staffId ?? undefined,
    });
  }
  if (created && member.attribution.source === 'invite' && member.attribution.inviter) {
    const ref = `${member.attribution.campaign ?? NO_CAMPAIGN}:${member.attribution.inviter}`;
    events.push({ type: 'invite_signup', openid: ctx.openid, channel: INVITE_CHANNEL, ref });
  }
  events.push(...(outcome?.events ?? []));
  await appendEvents(events, ctx.now);

  // A member who joined before WeChat gave a unionid keeps it from now on.
  if (!created && ctx.unionid && !member.unionid) {
    await getDb().collection(COLLECTIONS.members).doc(ctx.openid).update({ data: { unionid: ctx.unionid, updatedAt: ctx.now } });
  }
  const result: JoinResult = { created, member: joinView(member), card: outcome?.view ?? null };
  if (token) result.invite = inviteStatus(member, created, invite, ctx.requestId);
  return result;
}

/** A member arriving from another card: its benefit, if still there; first touch stays as it was. */
export async function claimCard(ctx: ActionContext, scene: string): Promise<CardClaimView> {
  const member = await getById<MemberDoc>(COLLECTIONS.members, ctx.openid);
  if (!member || member.status !== 'active') fail('NOT_FOUND', '请先加入会员');
  const outcome = await claimFromScene(scene, ctx.openid, ctx.now);
  await appendEvents(outcome.events, ctx.now);
  return outcome.view;
}
