/**
 * The one issuing path. Campaign pages, package cards, invites, group-buys, repurchase rules and
 * staff grants all call `issueCoupon`; it records where each coupon came from.
 *
 * Exactly once without a hot document or a transaction:
 * - Limited stock is a set of pre-created free slot documents. Issuing takes one with a single
 *   conditional atomic write (`where({templateId, state: 'free'}).updateAndReturn(...)`) that
 *   also writes the holder, the template's terms, the validity and the source. Nothing can take
 *   stock without making the coupon, or make a coupon without taking stock: it is one write, so a
 *   crash leaves either nothing or the finished coupon, and the retry (same requestKey) returns
 *   that coupon through the claimKey index below.
 * - Unlimited stock inserts the coupon document directly.
 * - The per-member limit is the unique index (templateId, holderSeq) with holderSeq `<openid>#<n>`,
 *   n = 1..limit; idempotency is the unique index (templateId, claimKey) with claimKey
 *   `<openid>:<requestKey>`. A duplicate-key error means "this member already holds n" or "this
 *   request already succeeded": one read of the member's coupons of the template tells which.
 *
 * Cost of a first claim: template read, member read (only for member audiences), one write. In a
 * claim storm a warm instance reads the template once a second; once the stock is gone it reads the
 * template's winners once, and a sold-out claim then costs no read or write at all (a winner's retry:
 * one read, of its coupon).
 */
import { randomBytes } from 'node:crypto';
import { COLLECTIONS } from '../../database/collections';
import type { CouponSourceType } from '../../typings';
import { getById, getDb, isDuplicateKey } from '../runtime/db';
import { AppError, fail } from '../runtime/errors';
import { isOver, notStarted, startsText } from '../runtime/schedule';
import { forget, recall, remember } from '../runtime/instance-memory';
import { shanghaiMinuteKey } from '../runtime/shanghai';
import { updateOneAndReturn } from './atomic';
import { newCode } from './codes';
import { checkAudience, type MemberDoc } from './audience';
import { type CouponDoc, sortKeyOf, type TemplateDoc, termsOf } from './model';
import { issuingEndsAt, windowFor } from './validity';

export interface IssueRequest {
  templateId: string;
  /** Who receives the coupon. */
  openid: string;
  source: { type: CouponSourceType; ref: string };
  /**
   * The caller's idempotency key for this issue (a request id, `card:<batch>:<serial>`, ...): the
   * same key for the same member always answers the same coupon.
   */
  requestKey: string;
  now: Date;
}

export interface IssueResult {
  coupon: CouponDoc;
  /** True when this requestKey had already issued the coupon (a retry or a double tap). */
  alreadyHad: boolean;
}

const KEY = /^[A-Za-z0-9_:.#-]{1,120}$/;
const OPENID = /^[A-Za-z0-9_-]{1,64}$/;

/** How many times a claim moves on to the next free n before giving up under extreme contention. */
const MAX_ATTEMPTS = 6;

export const claimKeyOf = (openid: string, requestKey: string): string => `${openid}:${requestKey}`;

/**
 * Per-instance shortcuts for a claim storm (see runtime/instance-memory.ts), both of them answers a
 * read or a write would give, kept for a moment:
 * - the template, for TEMPLATE_MEMORY_MS: a pause, an end or a top-up made by another instance is
 *   seen within that time; this instance's own template writes call `forgetTemplate` at once.
 * - "sold out": a write that matched no free slot. Later claims skip the write while the template's
 *   totalStock is still the one that sold out, so a top-up (which raises totalStock after creating
 *   its slots) reopens claiming as soon as the template is read again. Free slots never come back
 *   otherwise: a coupon never returns to `free`.
 * - with it, the winners: once stock is gone no campaign claim can issue another coupon of the
 *   template, so the claim keys of its coupons, read once (up to WINNER_PAGES pages), answer every
 *   later "is this a retry of a claim that succeeded?" without a read per claim. A template with
 *   more coupons than that keeps the per-claim lookup.
 */
const TEMPLATES = 'coupon.template';
const SOLD_OUT = 'coupon.soldOut';
const TEMPLATE_MEMORY_MS = 1000;
/** Long: a top-up is seen through the template (re-read every second), which changes totalStock. */
const SOLD_OUT_MEMORY_MS = 30_000;
const WINNER_PAGES = 5;
const PAGE = 1000;

/** A sold-out template's coupons by claim key (→ coupon id), or null when there are too many to keep. */
type Winners = Map<string, string> | null;

interface SoldOut {
  totalStock: number;
  winners: Promise<Winners>;
}

async function readWinners(templateId: string): Promise<Winners> {
  const db = getDb();
  const _ = db.command;
  const out = new Map<string, string>();
  let after = '';
  for (let page = 0; page < WINNER_PAGES; page++) {
    const res = await db
      .collection(COLLECTIONS.coupons)
      .where({ templateId, _id: _.gt(after) })
      .orderBy('_id', 'asc')
      .field({ claimKey: true })
      .limit(PAGE)
      .get();
    const rows = res.data as Pick<CouponDoc, '_id' | 'claimKey'>[];
    for (const c of rows) out.set(c.claimKey, c._id);
    if (rows.length < PAGE) return out;
    after = rows[rows.length - 1]._id;
  }
  return null;
}

/** Concurrent claims share one read (the promise is what is kept); a missing template is not kept. */
function issuingTemplate(templateId: string): Promise<TemplateDoc | null> {
  const kept = recall<Promise<TemplateDoc | null>>(TEMPLATES, templateId);
  if (kept) return kept;
  const reading = getById<TemplateDoc>(COLLECTIONS.couponTemplates, templateId).then(
    (template) => {
      if (!template) forget(TEMPLATES, templateId);
      return template;
    },
    (err: unknown) => {
      forget(TEMPLATES, templateId);
      throw err;
    },
  );
  remember(TEMPLATES, templateId, reading, TEMPLATE_MEMORY_MS);
  return reading;
}

/** Called by every write to a template in this instance, so its own changes apply at once. */
export function forgetTemplate(templateId: string): void {
  forget(TEMPLATES, templateId);
  forget(SOLD_OUT, templateId);
}

function knownSoldOut(template: TemplateDoc): SoldOut | undefined {
  const kept = template.totalStock === null ? undefined : recall<SoldOut>(SOLD_OUT, template._id);
  return kept && kept.totalStock === template.totalStock ? kept : undefined;
}

/** Claims that all found the stock gone at once share one memory, and one read of the winners. */
function rememberSoldOut(template: TemplateDoc): SoldOut | undefined {
  if (template.totalStock === null) return undefined;
  const kept = knownSoldOut(template);
  if (kept) return kept;
  const winners = readWinners(template._id).catch(() => null);
  const soldOut: SoldOut = { totalStock: template.totalStock, winners };
  remember(SOLD_OUT, template._id, soldOut, SOLD_OUT_MEMORY_MS);
  return soldOut;
}

/** The member's coupons of one template; at most perMemberLimit (≤ 20) of them exist. */
export async function couponsOfMember(templateId: string, openid: string): Promise<CouponDoc[]> {
  const res = await getDb().collection(COLLECTIONS.coupons).where({ holder: openid, templateId }).limit(100).get();
  return res.data as CouponDoc[];
}

/** Staff grants are a deliberate choice by staff, so they skip the audience; nothing else does. */
function skipsAudience(source: IssueRequest['source']): boolean {
  return source.type === 'staff_grant';
}

/** Why a template issues nothing right now (paused, ended, past its fixed window), or null. */
/** Coupons kept for cards, invites and the like cannot be taken from a campaign page. */
export function campaignRefusal(template: TemplateDoc, source: CouponSourceType): AppError | null {
  return source === 'campaign' && template.publicClaim === false ? new AppError('FORBIDDEN', '这张券仅通过包裹卡、邀请等活动发放') : null;
}

export function issuingRefusal(template: TemplateDoc, now: Date): AppError | null {
  if (template.status === 'paused') return new AppError('CONFLICT', '该券已暂停发放');
  if (template.status === 'ended') return new AppError('EXPIRED', '该券活动已结束');
  if (notStarted(template, now)) return new AppError('CONFLICT', `该券 ${startsText(template.startsAt!)}发放，敬请期待`);
  if (isOver(template, now)) return new AppError('EXPIRED', '该券已停止发放');
  const endsAt = issuingEndsAt(template.validity);
  if (endsAt && endsAt.getTime() < now.getTime()) return new AppError('EXPIRED', '该券已过有效期，不能再领取');
  return null;
}

/**
 * Issues one coupon of `templateId` to `openid`, or returns the one this requestKey already issued.
 * Refusals are AppErrors for people: NOT_FOUND, CONFLICT (paused), EXPIRED, FORBIDDEN (audience),
 * SOLD_OUT, LIMIT_REACHED.
 */
export async function issueCoupon(req: IssueRequest): Promise<IssueResult> {
  if (!KEY.test(req.requestKey) || !OPENID.test(req.openid) || !req.source.ref || req.source.ref.length > 128) {
    throw new Error('issueCoupon: invalid openid, requestKey or source');
  }
  const template = await issuingTemplate(req.templateId);
  if (!template) fail('NOT_FOUND', '优惠券不存在或已下架');
  const claimKey = claimKeyOf(req.openid, req.requestKey);

  /** Before refusing, a retry of an issue that already succeeded gets its coupon back. */
  const refuse = async (error: AppError): Promise<IssueResult> => {
    const earlier = (await couponsOfMember(template._id, req.openid)).find((c) => c.claimKey === claimKey);
    if (earlier) return { coupon: earlier, alreadyHad: true };
    throw error;
  };

  const blocked = issuingRefusal(template, req.now) ?? campaignRefusal(template, req.source.type);
  if (blocked) return refuse(blocked);
  if (!skipsAudience(req.source)) {
    const member = template.audience.type === 'everyone' ? null : await getById<MemberDoc>(COLLECTIONS.members, req.openid);
    const denied = checkAudience(template.audience, member, req.now);
    if (denied) return refuse(new AppError('FORBIDDEN', denied));
  }

  /** Sold out: a retry of a winning claim gets its coupon back, anyone else hears it is gone. */
  const soldOut = async (known: SoldOut | undefined): Promise<IssueResult> => {
    const error = new AppError('SOLD_OUT', '来晚了，券已经被领完了');
    const winners = known ? await known.winners : null;
    if (!winners) return refuse(error);
    const id = winners.get(claimKey);
    if (id === undefined) throw error;
    const coupon = await getById<CouponDoc>(COLLECTIONS.coupons, id);
    if (coupon?.claimKey === claimKey) return { coupon, alreadyHad: true };
    return refuse(error);
  };
  const known = knownSoldOut(template);
  if (known) return soldOut(known);
  let seq = 1;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      const coupon = await writeCoupon(template, req, claimKey, seq);
      if (!coupon) return soldOut(rememberSoldOut(template));
      return { coupon, alreadyHad: false };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const mine = await couponsOfMember(template._id, req.openid);
      const earlier = mine.find((c) => c.claimKey === claimKey);
      if (earlier) return { coupon: earlier, alreadyHad: true };
      if (mine.length >= template.perMemberLimit) {
        fail('LIMIT_REACHED', template.perMemberLimit === 1 ? '你已经领过这张券了' : `每人限领 ${template.perMemberLimit} 张，你已领满`);
      }
      // Another request of this member took `seq` meanwhile (or, for an insert, the random code
      // collided): try the lowest number not yet held.
      const held = new Set(mine.map((c) => Number(c.holderSeq.split('#').pop())));
      seq = 1;
      while (held.has(seq)) seq++;
    }
  }
  fail('CONFLICT', '领取的人太多了，请稍后再试');
}

/** The issued coupon's fields; for a slot they are written over the free placeholders. */
function couponFields(template: TemplateDoc, req: IssueRequest, claimKey: string, seq: number) {
  const { validFrom, expiresAt } = windowFor(template.validity, req.now);
  return {
    ...termsOf(template),
    state: 'available' as const,
    holder: req.openid,
    holderSeq: `${req.openid}#${seq}`,
    claimKey,
    requestKey: req.requestKey,
    source: { type: req.source.type, ref: req.source.ref },
    claimedAt: req.now,
    claimMinute: shanghaiMinuteKey(req.now),
    validFrom,
    expiresAt,
    sortKey: sortKeyOf(req.now, template._id, seq),
    reminded: false,
  };
}

/** One write: fills a free slot, or inserts the coupon when stock is unlimited. Null = sold out. */
async function writeCoupon(template: TemplateDoc, req: IssueRequest, claimKey: string, seq: number): Promise<CouponDoc | null> {
  const fields = couponFields(template, req, claimKey, seq);
  if (template.totalStock !== null) {
    return updateOneAndReturn<CouponDoc>(COLLECTIONS.coupons, { templateId: template._id, state: 'free' }, fields);
  }
  const coupon: CouponDoc = { _id: `${template._id}_u${randomBytes(8).toString('hex')}`, templateId: template._id, code: newCode(), ...fields };
  await getDb().collection(COLLECTIONS.coupons).add({ data: { ...coupon } });
  return coupon;
}
