/**
 * The customer's side: what a template offers them, their wallet by state, one coupon's detail
 * with its QR, and their answer to the expiry-reminder subscription. Every read is scoped to the
 * caller: someone else's coupon reads as not found.
 */
import QRCode from 'qrcode';
import { COLLECTIONS } from '../../database/collections';
import type { ClaimableView, CouponDetail, CouponState, CouponView, ErrorCode } from '../../typings';
import { getById, getDb, insertOrGet } from '../runtime/db';
import { fail } from '../runtime/errors';
import { platform } from '../runtime/platform';
import { checkAudience, type MemberDoc } from './audience';
import { benefitText } from './discount';
import { campaignRefusal, couponsOfMember, issuingRefusal } from './issue';
import { type CouponDoc, termsOf, toCouponView } from './model';
import { reminderTemplateId } from './settings';
import { derivedId, loadTemplate } from './templates';
import type { CreditDoc } from './timer';

export const WALLET_PAGE_SIZE = 20;
/** Unused reminder credits kept per customer and template; more acceptances add nothing. */
export const MAX_REMINDER_CREDITS = 5;

const storeReminderTemplate = (): string | null => reminderTemplateId(platform().kind === 'local');

export async function claimable(openid: string, templateId: string, now: Date): Promise<ClaimableView> {
  const template = await loadTemplate(templateId);
  const db = getDb();
  const [member, mine, free] = await Promise.all([
    template.audience.type === 'everyone' ? null : getById<MemberDoc>(COLLECTIONS.members, openid),
    couponsOfMember(template._id, openid),
    template.totalStock === null ? null : db.collection(COLLECTIONS.coupons).where({ templateId: template._id, state: 'free' }).count(),
  ]);
  const remaining = free ? free.total : null;
  const refusal = issuingRefusal(template, now) ?? campaignRefusal(template, 'campaign');
  const audience = checkAudience(template.audience, member, now);
  const blocked: { code: ErrorCode; message: string } | null = refusal
    ? { code: refusal.code, message: refusal.message }
    : audience
      ? { code: 'FORBIDDEN', message: audience }
      : mine.length >= template.perMemberLimit
        ? { code: 'LIMIT_REACHED', message: template.perMemberLimit === 1 ? '你已经领过这张券了' : `每人限领 ${template.perMemberLimit} 张，你已领满` }
        : remaining === 0
          ? { code: 'SOLD_OUT', message: '来晚了，券已经被领完了' }
          : null;
  return {
    template: {
      id: template._id,
      title: template.title,
      rules: template.rules,
      kind: template.kind,
      ...(template.amountOffFen !== null ? { amountOffFen: template.amountOffFen } : {}),
      ...(template.thresholdFen !== null ? { thresholdFen: template.thresholdFen } : {}),
      ...(template.payPercent !== null ? { payPercent: template.payPercent } : {}),
      ...(template.maxDiscountFen !== null ? { maxDiscountFen: template.maxDiscountFen } : {}),
      ...(template.giftName !== null ? { giftName: template.giftName } : {}),
      validity: template.validity,
      status: template.status,
      remaining,
    },
    benefit: benefitText(termsOf(template)),
    canClaim: blocked === null,
    reason: blocked?.message ?? null,
    reasonCode: blocked?.code ?? null,
    claimedByMe: mine.length,
    reminderTemplateId: storeReminderTemplate(),
  };
}

/** The wallet's three tabs; an available coupon past its expiry belongs under 已过期 already. */
function stateFilter(openid: string, state: CouponState, now: Date): object[] {
  const _ = getDb().command;
  switch (state) {
    case 'available':
      return [{ holder: openid, state: 'available', expiresAt: _.gte(now) }];
    case 'used':
      return [{ holder: openid, state: 'used' }];
    case 'expired':
      return [{ holder: openid }, _.or([{ state: 'expired' }, { state: 'available', expiresAt: _.lt(now) }])];
  }
}

export async function mine(
  openid: string,
  state: CouponState,
  cursor: string | undefined,
  now: Date,
): Promise<{ coupons: CouponView[]; nextCursor: string | null; counts: Record<CouponState, number> }> {
  const db = getDb();
  const _ = db.command;
  const coupons = db.collection(COLLECTIONS.coupons);
  const page = _.and([...stateFilter(openid, state, now), ...(cursor ? [{ sortKey: _.lt(cursor) }] : [])]);
  const count = async (s: CouponState) => (await coupons.where(_.and(stateFilter(openid, s, now))).count()).total;
  const [found, available, used, expired] = await Promise.all([
    coupons.where(page).orderBy('sortKey', 'desc').limit(WALLET_PAGE_SIZE + 1).get(),
    count('available'),
    count('used'),
    count('expired'),
  ]);
  const docs = found.data as CouponDoc[];
  const shown = docs.slice(0, WALLET_PAGE_SIZE);
  return {
    coupons: shown.map((c) => toCouponView(c, now)),
    nextCursor: docs.length > WALLET_PAGE_SIZE ? shown[shown.length - 1].sortKey : null,
    counts: { available, used, expired },
  };
}

export async function detail(openid: string, couponId: string, now: Date): Promise<CouponDetail> {
  const coupon = await getById<CouponDoc | { state: 'free'; holder?: undefined }>(COLLECTIONS.coupons, couponId);
  // Someone else's coupon (or a free slot) is indistinguishable from a missing one.
  if (!coupon || coupon.state === 'free' || coupon.holder !== openid) fail('NOT_FOUND', '找不到这张券');
  // 480 px with a quiet zone: scans reliably off a phone screen held up to a staff phone.
  const qrDataUrl = await QRCode.toDataURL(coupon.code, { width: 480, margin: 2, errorCorrectionLevel: 'M' });
  return { ...toCouponView(coupon, now), qrDataUrl, reminderTemplateId: storeReminderTemplate() };
}

export async function subscribeReminder(openid: string, templateId: string, accepted: boolean, requestId: string, now: Date): Promise<{ credits: number }> {
  await loadTemplate(templateId);
  const credits = getDb().collection(COLLECTIONS.couponReminderCredits);
  const unused = (await credits.where({ openid, templateId, state: 'unused' }).count()).total;
  if (!accepted || unused >= MAX_REMINDER_CREDITS) return { credits: unused };
  // One document per acceptance, keyed by the request: a retried call adds nothing.
  const { created } = await insertOrGet<CreditDoc>(COLLECTIONS.couponReminderCredits, {
    _id: derivedId('rc', openid, requestId),
    openid,
    templateId,
    state: 'unused',
    createdAt: now,
  });
  return { credits: unused + (created ? 1 : 0) };
}
