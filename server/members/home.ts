/** The member card home and the staff's view of a member. Staff see the phone masked only. */
import { COLLECTIONS } from '../../database/collections';
import type { LevelRules, MemberCard, MemberHome, MemberStaffView } from '../../typings';
import { cardIdOf } from '../cards/scene';
import type { CardCouponDoc } from '../coupons/reserved';
import { toCouponView } from '../coupons/model';
import { getById, getDb } from '../runtime/db';
import { fail } from '../runtime/errors';
import { levelOf, loadLevelRules, nextLevelOf } from './levels';
import { attributionView, displayName, iso, type MemberDoc, SEGMENT_BUYER } from './model';
import { PRIVACY_VERSION } from './privacy';

export async function loadActiveMember(openid: string): Promise<MemberDoc> {
  const member = await getById<MemberDoc>(COLLECTIONS.members, openid);
  if (!member || member.status !== 'active') fail('NOT_FOUND', '你还不是会员，请先加入会员');
  return member;
}

async function availableCoupons(openid: string, now: Date): Promise<number> {
  const _ = getDb().command;
  return (await getDb().collection(COLLECTIONS.coupons).where({ holder: openid, state: 'available', expiresAt: _.gte(now) }).count()).total;
}

async function cardCoupon(member: MemberDoc): Promise<CardCouponDoc | null> {
  const { batchId, serial } = member.attribution;
  if (member.attribution.source !== 'card' || !batchId || !serial) return null;
  const res = await getDb()
    .collection(COLLECTIONS.coupons)
    .where({ holder: member._id, 'source.type': 'package_card', 'source.ref': cardIdOf(batchId, serial) })
    .limit(1)
    .get();
  return (res.data[0] as CardCouponDoc | undefined) ?? null;
}

export function memberCard(m: MemberDoc, rules: LevelRules, available: number, fromCard: CardCouponDoc | null, now: Date): MemberCard {
  const totals = { spentFen: m.stats.spentFen, orders: m.stats.orders };
  return {
    openid: m._id,
    nickname: displayName(m),
    avatar: m.avatar,
    phoneMasked: m.phoneMasked,
    phoneIsDevelopment: m.phoneIsDevelopment,
    birthday: m.birthday,
    joinedAt: iso(m.joinedAt),
    level: levelOf(rules, totals),
    nextLevel: nextLevelOf(rules, totals),
    points: m.points,
    orders: m.stats.orders,
    spentFen: m.stats.spentFen,
    isBuyer: m.segments.includes(SEGMENT_BUYER),
    availableCoupons: available,
    attribution: attributionView(m.attribution),
    cardBenefit:
      m.attribution.source === 'card'
        ? {
            channel: m.attribution.channel,
            batchId: m.attribution.batchId,
            card: fromCard?.card ?? null,
            coupon: fromCard ? toCouponView(fromCard, now) : null,
          }
        : null,
    community: null,
  };
}

/** The card of a member already read. */
export async function memberCardOf(member: MemberDoc, now: Date): Promise<MemberCard> {
  const [rules, available, fromCard] = await Promise.all([loadLevelRules(), availableCoupons(member._id, now), cardCoupon(member)]);
  return memberCard(member, rules, available, fromCard, now);
}

export async function memberHome(openid: string, now: Date): Promise<MemberHome> {
  const member = await getById<MemberDoc>(COLLECTIONS.members, openid);
  if (!member || member.status !== 'active') {
    return { member: null, privacy: { version: PRIVACY_VERSION, acceptedVersion: null, needsReaccept: false } };
  }
  return {
    member: await memberCardOf(member, now),
    privacy: { version: PRIVACY_VERSION, acceptedVersion: member.privacy.version, needsReaccept: member.privacy.version !== PRIVACY_VERSION },
  };
}

export function staffView(m: MemberDoc, rules: LevelRules): MemberStaffView {
  return {
    openid: m._id,
    nickname: displayName(m),
    avatar: m.avatar,
    phoneMasked: m.phoneMasked,
    phoneIsDevelopment: m.phoneIsDevelopment,
    joinedAt: iso(m.joinedAt),
    level: levelOf(rules, m.stats).name,
    points: m.points,
    orders: m.stats.orders,
    spentFen: m.stats.spentFen,
    attribution: attributionView(m.attribution),
    segments: m.segments,
    tags: m.tags,
  };
}
