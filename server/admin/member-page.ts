/**
 * A member's page for staff: where they came from, who serves them, their orders, coupons, points,
 * tags and segments, and the first page of their timeline. About eight reads, all by key or index.
 */
import { COLLECTIONS } from '../../database/collections';
import type { CardChannel, MemberCouponRow, MemberPage } from '../../typings';
import { CHANNEL_NAMES, printedSerial, type CardBatchDoc } from '../cards/model';
import { benefitText } from '../coupons/discount';
import type { CouponDoc } from '../coupons/model';
import { loadLevelRules } from '../members/levels';
import { attributionView, iso, type MemberDoc } from '../members/model';
import { ledgerPage } from '../members/points';
import { boundOrderView, type OrderDoc } from '../orders/model';
import { getById, getDb } from '../runtime/db';
import { fail } from '../runtime/errors';
import type { StaffDoc } from '../runtime/staff-guard';
import { memberRow, sourceLabel } from './member-view';
import { readSnapshot } from './state';
import { timelinePage } from './timeline';

const ORDERS_SHOWN = 20;
const COUPONS_SHOWN = 20;
const POINTS_SHOWN = 5;

export async function activeMember(openid: string): Promise<MemberDoc> {
  const member = await getById<MemberDoc>(COLLECTIONS.members, openid);
  if (!member || member.status !== 'active') fail('NOT_FOUND', '找不到这位会员，可能已注销');
  return member;
}

async function sourceOf(m: MemberDoc): Promise<MemberPage['source']> {
  const a = m.attribution;
  const label = sourceLabel(a);
  if (a.source === 'card' && a.batchId) {
    const batch = await getById<CardBatchDoc>(COLLECTIONS.cardBatches, a.batchId);
    const card = a.serial ? printedSerial(a.serial) : null;
    const product = batch ? `${batch.product}（${CHANNEL_NAMES[batch.channel as CardChannel] ?? batch.channel}）` : `批次 ${a.batchId}`;
    return { label, detail: [product, card].filter(Boolean).join(' ') };
  }
  if (a.source === 'invite' && a.inviter) {
    const inviter = await getById<MemberDoc>(COLLECTIONS.members, a.inviter);
    return { label, detail: inviter ? `邀请人：${inviter.nickname || '微信用户'}（${inviter.phoneMasked}）` : '邀请人已注销' };
  }
  return { label, detail: null };
}

function couponRow(c: CouponDoc): MemberCouponRow {
  return {
    id: c._id,
    title: c.title,
    benefit: benefitText(c),
    state: c.state,
    claimedAt: iso(c.claimedAt),
    expiresAt: iso(c.expiresAt),
    redeemedAt: c.redemption?.at ? iso(c.redemption.at) : null,
  };
}

export async function memberPage(openid: string): Promise<MemberPage> {
  const m = await activeMember(openid);
  const db = getDb();
  const [rules, source, staff, orders, coupons, points, timeline, snapshot] = await Promise.all([
    loadLevelRules(),
    sourceOf(m),
    m.staffId ? getById<StaffDoc>(COLLECTIONS.staff, m.staffId) : Promise.resolve(null),
    db.collection(COLLECTIONS.orders).where({ boundTo: openid }).orderBy('boundAt', 'desc').limit(ORDERS_SHOWN).get(),
    db.collection(COLLECTIONS.coupons).where({ holder: openid }).orderBy('sortKey', 'desc').limit(COUPONS_SHOWN).get(),
    ledgerPage(openid, undefined),
    timelinePage(openid, null),
    readSnapshot(),
  ]);
  const row = memberRow(m, rules);
  return {
    member: {
      ...row,
      points: m.points,
      lastOrderAt: m.stats.lastOrderAt ? iso(m.stats.lastOrderAt) : null,
      phoneIsDevelopment: m.phoneIsDevelopment,
      attribution: attributionView(m.attribution, 'staff'),
    },
    source,
    staff: m.staffId ? { openid: m.staffId, name: staff?.name ?? '已离职员工' } : null,
    knownTags: (snapshot?.members?.tags ?? []).map((t) => t.name),
    orders: (orders.data as OrderDoc[]).map(boundOrderView),
    coupons: (coupons.data as CouponDoc[]).map(couponRow),
    points: { balance: m.points, recent: points.entries.slice(0, POINTS_SHOWN) },
    timeline: timeline.timeline,
    nextBefore: timeline.nextBefore,
  };
}
