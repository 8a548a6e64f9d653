/** The member's own data: edit the profile, accept a newer notice, export everything held about them. */
import { COLLECTIONS } from '../../database/collections';
import type { MemberCard, MemberExport, ProfileUpdate } from '../../typings';
import type { EventDoc } from '../events/log';
import { toCouponView, type CouponDoc } from '../coupons/model';
import { getDb } from '../runtime/db';
import { fail } from '../runtime/errors';
import { boundOrderView, type OrderDoc } from '../orders/model';
import { open } from './crypto';
import { memberCardOf, loadActiveMember } from './home';
import { levelOf, loadLevelRules } from './levels';
import { attributionView, displayName, iso, type MemberDoc, nicknameKey } from './model';
import { allEntries, entryView } from './points';
import { PRIVACY_VERSION } from './privacy';

export const EXPORT_EVENTS_LIMIT = 1000;

export async function updateProfile(openid: string, input: ProfileUpdate, now: Date): Promise<MemberCard> {
  const member = await loadActiveMember(openid);
  if (input.birthday !== undefined && member.birthday && member.birthday !== input.birthday) {
    fail('CONFLICT', '生日设置后不能修改，如需更正请联系客服');
  }
  const data: Record<string, unknown> = { updatedAt: now };
  if (input.nickname !== undefined) Object.assign(data, { nickname: input.nickname, nicknameKey: nicknameKey(input.nickname) });
  if (input.avatar !== undefined) data.avatar = input.avatar;
  if (input.birthday !== undefined) data.birthday = input.birthday;
  const _ = getDb().command;
  // Birthday is set once: the condition keeps two concurrent edits from both setting it.
  const where = input.birthday !== undefined && !member.birthday ? { _id: openid, status: 'active', birthday: _.in([null, input.birthday]) } : { _id: openid, status: 'active' };
  const res = await getDb().collection(COLLECTIONS.members).where(where).update({ data });
  if (res.stats.updated !== 1) fail('CONFLICT', '资料刚刚被修改过，请刷新后重试');
  return memberCardOf({ ...member, ...data } as MemberDoc, now);
}

export async function acceptPrivacy(openid: string, version: string, now: Date): Promise<{ version: string; acceptedAt: string }> {
  if (version !== PRIVACY_VERSION) fail('CONFLICT', '《会员隐私保护指引》已更新，请重新阅读并同意');
  const member = await loadActiveMember(openid);
  if (member.privacy.version === version) return { version, acceptedAt: iso(member.privacy.acceptedAt) };
  await getDb()
    .collection(COLLECTIONS.members)
    .doc(openid)
    .update({ data: { privacy: getDb().command.set({ version, acceptedAt: now }), updatedAt: now } });
  return { version, acceptedAt: iso(now) };
}

export async function pagesOf<T>(collection: string, where: object, order: string, cap = Infinity): Promise<T[]> {
  const out: T[] = [];
  while (out.length < cap) {
    const res = await getDb()
      .collection(collection)
      .where(where)
      .orderBy(order, 'desc')
      .skip(out.length)
      .limit(Math.min(1000, cap - out.length))
      .get();
    out.push(...(res.data as T[]));
    if (res.data.length < 1000) break;
  }
  return out;
}

export async function boundOrders(openid: string): Promise<OrderDoc[]> {
  return pagesOf<OrderDoc>(COLLECTIONS.orders, { boundTo: openid }, 'boundAt');
}

export async function exportMember(openid: string, now: Date): Promise<MemberExport> {
  const member = await loadActiveMember(openid);
  const [rules, orders, ledger, coupons, events] = await Promise.all([
    loadLevelRules(),
    boundOrders(openid),
    allEntries(openid),
    pagesOf<CouponDoc>(COLLECTIONS.coupons, { holder: openid }, 'sortKey'),
    pagesOf<EventDoc>(COLLECTIONS.events, { openid }, 'at', EXPORT_EVENTS_LIMIT),
  ]);
  return {
    exportedAt: iso(now),
    notice: '这是本店保存的与你有关的全部信息（手机号为完整号码，请妥善保管）。',
    profile: {
      openid: member._id,
      unionid: member.unionid,
      nickname: displayName(member),
      avatar: member.avatar,
      phone: open(member.phone.enc, member._id),
      countryCode: member.phone.countryCode,
      phoneIsDevelopment: member.phoneIsDevelopment,
      birthday: member.birthday,
      joinedAt: iso(member.joinedAt),
      privacy: { version: member.privacy.version, acceptedAt: iso(member.privacy.acceptedAt) },
      attribution: attributionView(member.attribution),
      points: member.points,
      orders: member.stats.orders,
      spentFen: member.stats.spentFen,
      level: levelOf(rules, member.stats).name,
      segments: member.segments,
      tags: member.tags,
    },
    orders: orders.map(boundOrderView),
    pointsLedger: ledger.map(entryView),
    coupons: coupons.map((c) => toCouponView(c, now)),
    events: events.map((e) => ({
      type: e.type,
      at: iso(e.at),
      channel: e.channel ?? null,
      batchId: e.batchId ?? null,
      amountFen: e.amountFen ?? null,
      ref: e.ref ?? null,
    })),
    eventsLimit: EXPORT_EVENTS_LIMIT,
  };
}
