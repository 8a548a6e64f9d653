/**
 * Coupons reserved for package cards: the card branch of the one issuing path (issue.ts).
 *
 * One card, one benefit, exactly once:
 * - When a batch with a benefit is made, each card gets its own slot in `coupons`, created in pages
 *   of a few hundred per write under an id derived from template, batch and serial
 *   (`<templateId>_k<batchId>_<serial>`). A reserved slot already carries the template's terms (and
 *   a fixed validity window), but no `templateId` (it waits in `reservedTemplateId`) and placeholder
 *   keys, so general claims (`{templateId, state: 'free'}`), stock counts and wallets never see it.
 * - Claiming the card is ONE conditional atomic write on that slot (`updateOneAndReturn`): it only
 *   matches while the slot is still `reserved` and the batch's last day has not passed, and it fills
 *   in templateId, holder, holderSeq / claimKey (the same unique indexes as every other issue, so
 *   the member's per-template limit still holds), a fresh redemption code, the validity (relative
 *   windows start at the claim), and source `{ type: 'package_card', ref: <cardId> }`. No read is
 *   needed: the card's scene names template and validity rule (cards/scene.ts).
 * - Two people claiming at once: one write matches, the other matches nothing. Nothing matched
 *   means "not reserved any more": the caller reads the slot to tell who has it.
 * - Revoking a batch flips its still-unclaimed slots to `revoked` in one update; pausing one flips
 *   them to `paused` and resuming back. A batch that opens later reserves its slots as `scheduled`
 *   with `claimFrom`: the claim's write does not match them, and the first claim after that moment
 *   opens the slot (one conditional write) and claims it, so the happy path of a batch already open
 *   stays one write.
 */
import { COLLECTIONS } from '../../database/collections';
import type { CardSummary } from '../../typings';
import { getById, getDb, isDuplicateKey } from '../runtime/db';
import { fail } from '../runtime/errors';
import { rawCommand, updateOneAndReturn } from './atomic';
import { newCode } from './codes';
import { claimKeyOf, couponsOfMember } from './issue';
import { type CouponDoc, type CouponTerms, sortKeyOf, type TemplateDoc, termsOf } from './model';
import { windowFor } from './validity';

/** Slots per insert request: a few hundred documents of about 1 KB each. */
export const RESERVE_PAGE = 250;

/** How many times a claim moves on to the member's next free n (or a fresh code) before giving up. */
const MAX_ATTEMPTS = 6;

export interface ReservedSlotDoc extends CouponTerms {
  _id: string;
  /** Becomes `templateId` when the card is claimed. */
  reservedTemplateId: string;
  state: UnclaimedState;
  /** `card:<cardId>` placeholders: unique indexes treat a missing field as null on CloudBase. */
  code: string;
  holderSeq: string;
  claimKey: string;
  perMemberLimit: number;
  /** The batch's last moment: a claim after it matches nothing. */
  claimUntil: Date;
  /** Set on a batch that opens later: before it the slot is `scheduled`. */
  claimFrom?: Date;
  /** Fixed windows are known at reservation; relative ones are written by the claim. */
  validFrom: Date | null;
  expiresAt: Date | null;
  /** The card this slot belongs to, as its landing page shows it; kept on the coupon. */
  card: CardSummary;
  createdAt: Date;
}

export type UnclaimedState = 'reserved' | 'revoked' | 'paused' | 'scheduled';
const UNCLAIMED: UnclaimedState[] = ['reserved', 'revoked', 'paused', 'scheduled'];

/** An issued card coupon: an ordinary coupon that remembers its card. */
export type CardCouponDoc = CouponDoc & { card: CardSummary };

export const reservedSlotId = (templateId: string, batchId: string, serial: number): string => `${templateId}_k${batchId}_${serial}`;

/** All slot ids of a batch sort between these two (`_` < digits < `~`). */
function batchRange(templateId: string, batchId: string): object {
  const prefix = `${templateId}_k${batchId}_`;
  const _ = getDb().command;
  return { _id: _.gte(prefix).and(_.lt(`${prefix}~`)) };
}

const cardRequestKey = (cardId: string): string => `card:${cardId}`;
const placeholder = (cardId: string): string => `card:${cardId}`;

export interface ReserveRequest {
  template: TemplateDoc;
  batchId: string;
  /** Serials `from`..`to`, inclusive. */
  from: number;
  to: number;
  claimUntil: Date;
  /** The batch's start when it is still ahead: slots are reserved `scheduled` until then. */
  claimFrom: Date | null;
  card: (serial: number) => CardSummary;
  at: Date;
}

function reservedSlot(req: ReserveRequest, serial: number): ReservedSlotDoc {
  const { template } = req;
  const card = req.card(serial);
  const fixed = template.validity.type === 'fixed' ? windowFor(template.validity, req.at) : null;
  return {
    _id: reservedSlotId(template._id, req.batchId, serial),
    reservedTemplateId: template._id,
    state: req.claimFrom && req.claimFrom.getTime() > req.at.getTime() ? 'scheduled' : 'reserved',
    ...(req.claimFrom ? { claimFrom: req.claimFrom } : {}),
    code: placeholder(card.cardId),
    holderSeq: placeholder(card.cardId),
    claimKey: placeholder(card.cardId),
    perMemberLimit: template.perMemberLimit,
    claimUntil: req.claimUntil,
    validFrom: fixed?.validFrom ?? null,
    expiresAt: fixed?.expiresAt ?? null,
    ...termsOf(template),
    card,
    createdAt: req.at,
  };
}

/**
 * Reserves the slots of serials `from`..`to` in pages of RESERVE_PAGE per write. A page that meets
 * a duplicate (a retry after a crash) is redone one slot at a time, keeping the slots that exist.
 */
export async function reserveCardSlots(req: ReserveRequest): Promise<void> {
  const coupons = getDb().collection(COLLECTIONS.coupons);
  for (let start = req.from; start <= req.to; start += RESERVE_PAGE) {
    const end = Math.min(req.to, start + RESERVE_PAGE - 1);
    const page = Array.from({ length: end - start + 1 }, (_, k) => reservedSlot(req, start + k));
    try {
      await coupons.add({ data: page as unknown as Record<string, unknown>[] });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      for (const slot of page) {
        try {
          await coupons.add({ data: { ...slot } });
        } catch (e) {
          if (!isDuplicateKey(e) || !(await getById(COLLECTIONS.coupons, slot._id))) throw e;
        }
      }
    }
  }
}

export interface ReservedClaimRequest {
  templateId: string;
  batchId: string;
  serial: number;
  cardId: string;
  /** Days of a relative validity (from the scene); null when the slot holds a fixed window. */
  relativeDays: number | null;
  openid: string;
  now: Date;
}

/**
 * Takes the card's reserved slot for `openid` in one conditional write. Null when the slot is not
 * reserved any more (claimed, revoked), past its batch's last day, or missing: the caller reads
 * the slot to tell which. Throws LIMIT_REACHED when the member already holds the template's
 * per-member limit (another card of the same batch, or the same coupon from a campaign).
 */
export async function claimReservedSlot(req: ReservedClaimRequest): Promise<CardCouponDoc | null> {
  const _ = rawCommand();
  const slotId = reservedSlotId(req.templateId, req.batchId, req.serial);
  const requestKey = cardRequestKey(req.cardId);
  const window = req.relativeDays === null ? {} : windowFor({ type: 'relative', days: req.relativeDays }, req.now);
  let seq = 1;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const patch = {
      templateId: req.templateId,
      state: 'available',
      code: newCode(),
      holder: req.openid,
      holderSeq: `${req.openid}#${seq}`,
      claimKey: claimKeyOf(req.openid, requestKey),
      requestKey,
      source: { type: 'package_card', ref: req.cardId },
      claimedAt: req.now,
      sortKey: sortKeyOf(req.now, req.templateId, seq),
      reminded: false,
      ...window,
    };
    try {
      const doc = await updateOneAndReturn<CardCouponDoc & Partial<Pick<ReservedSlotDoc, 'reservedTemplateId' | 'perMemberLimit' | 'claimUntil'>>>(
        COLLECTIONS.coupons,
        { _id: slotId, state: 'reserved', claimUntil: _.gte(req.now) },
        patch,
        { reservedTemplateId: _.remove(), perMemberLimit: _.remove(), claimUntil: _.remove() },
      );
      if (!doc) return null;
      const { reservedTemplateId: _t, perMemberLimit: _l, claimUntil: _c, ...coupon } = doc;
      return coupon as CardCouponDoc;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // The member already holds `seq` of this template (or, rarely, the fresh code collided).
      const slot = await getById<ReservedSlotDoc>(COLLECTIONS.coupons, slotId);
      const limit = slot?.perMemberLimit ?? 1;
      const mine = await couponsOfMember(req.templateId, req.openid);
      if (mine.length >= limit) {
        fail('LIMIT_REACHED', limit === 1 ? '你已经领过这张券了，这张卡的福利可以留给家人朋友' : `这张券每人限领 ${limit} 张，你已领满`);
      }
      const held = new Set(mine.map((c) => Number(c.holderSeq.split('#').pop())));
      seq = 1;
      while (held.has(seq)) seq++;
    }
  }
  fail('CONFLICT', '领取的人太多了，请稍后再试');
}

/** The card's slot as it is now (reserved, revoked, or the coupon it became), or null. */
export async function readCardSlot(templateId: string, batchId: string, serial: number): Promise<ReservedSlotDoc | CardCouponDoc | null> {
  return getById<ReservedSlotDoc | CardCouponDoc>(COLLECTIONS.coupons, reservedSlotId(templateId, batchId, serial));
}

export function isReserved(slot: ReservedSlotDoc | CardCouponDoc): slot is ReservedSlotDoc {
  return (UNCLAIMED as string[]).includes(slot.state);
}

/** Moves the batch's slots in `from` states to `to` (and `data`) in one update; claimed coupons stay their holders'. */
export async function moveCardSlots(templateId: string, batchId: string, from: UnclaimedState[], data: Record<string, unknown>): Promise<number> {
  const _ = getDb().command;
  const res = await getDb()
    .collection(COLLECTIONS.coupons)
    .where({ ...batchRange(templateId, batchId), state: from.length === 1 ? from[0] : _.in(from) })
    .update({ data });
  return res.stats.updated;
}

/** Revokes the batch's unclaimed slots in one update; claimed coupons stay their holders'. */
export async function revokeCardSlots(templateId: string, batchId: string): Promise<number> {
  return moveCardSlots(templateId, batchId, ['reserved', 'paused', 'scheduled'], { state: 'revoked' });
}

/** Opens a scheduled slot whose moment came (one conditional write); the caller claims it next. */
export async function openScheduledSlot(templateId: string, batchId: string, serial: number, now: Date): Promise<void> {
  await getDb()
    .collection(COLLECTIONS.coupons)
    .where({ _id: reservedSlotId(templateId, batchId, serial), state: 'scheduled', claimFrom: getDb().command.lte(now) })
    .update({ data: { state: 'reserved' } });
}

export interface CardSlotCounts {
  reserved: number;
  revoked: number;
  claimed: number;
  redeemed: number;
}

/** How a batch's slots stand, in one aggregation over its id range. */
export async function cardSlotCounts(templateId: string, batchId: string): Promise<CardSlotCounts> {
  const db = getDb();
  const res = await db
    .collection(COLLECTIONS.coupons)
    .aggregate()
    .match(batchRange(templateId, batchId))
    .group({ _id: '$state', n: db.command.aggregate.sum(1) })
    .limit(10)
    .end();
  const counts: CardSlotCounts = { reserved: 0, revoked: 0, claimed: 0, redeemed: 0 };
  for (const row of res.list as { _id: string; n: number }[]) {
    if (row._id === 'reserved' || row._id === 'paused' || row._id === 'scheduled') counts.reserved += row.n;
    else if (row._id === 'revoked') counts.revoked += row.n;
    else counts.claimed += row.n;
    if (row._id === 'used') counts.redeemed += row.n;
  }
  return counts;
}
