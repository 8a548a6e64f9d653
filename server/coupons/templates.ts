/**
 * Templates and their stock. Limited stock is made of free slot documents, one per unit, created
 * in batches under ids derived from the template and the request that made them, so a retried
 * create or top-up re-creates nothing and finishes what a crash left undone.
 */
import { createHash } from 'node:crypto';
import { COLLECTIONS } from '../../database/collections';
import type { CouponTemplateInput, CouponTemplateView } from '../../typings';
import { getById, getDb, isDuplicateKey } from '../runtime/db';
import { toDate } from '../runtime/schedule';
import { fail } from '../runtime/errors';
import { newCode } from './codes';
import { freePlaceholder, type SlotDoc, type StockCounts, type TemplateDoc, toTemplateView } from './model';

/** Slots per insert request. */
const SLOT_BATCH = 500;

/** A stable id for something a caller creates with a request id. */
export function derivedId(prefix: string, ...parts: string[]): string {
  return `${prefix}_${createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16)}`;
}

export function templateIdFor(creator: string, requestId: string): string {
  return derivedId('tpl', creator, requestId);
}

function slotDoc(templateId: string, id: string, at: Date): SlotDoc {
  return { _id: id, templateId, state: 'free', code: newCode(), holderSeq: freePlaceholder(id), claimKey: freePlaceholder(id), createdAt: at };
}

/**
 * Creates slots `<templateId>_<tag>_<i>` for i < count. A batch that meets a duplicate (a retry
 * after a crash, or a random code colliding) is redone one slot at a time: existing slots are kept,
 * a colliding code is drawn again.
 */
export async function createSlots(templateId: string, tag: string, count: number, at: Date): Promise<void> {
  const coupons = getDb().collection(COLLECTIONS.coupons);
  for (let start = 0; start < count; start += SLOT_BATCH) {
    const ids = Array.from({ length: Math.min(SLOT_BATCH, count - start) }, (_, k) => `${templateId}_${tag}_${start + k}`);
    try {
      await coupons.add({ data: ids.map((id) => ({ ...slotDoc(templateId, id, at) })) });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      for (const id of ids) await insertSlot(templateId, id, at);
    }
  }
}

async function insertSlot(templateId: string, id: string, at: Date): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await getDb().collection(COLLECTIONS.coupons).add({ data: { ...slotDoc(templateId, id, at) } });
      return;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      if (await getById(COLLECTIONS.coupons, id)) return;
    }
  }
  throw new Error(`could not create slot ${id}`);
}

/** Free, issued and redeemed counts per template, in one aggregation. */
export async function stockCounts(templateIds: string[]): Promise<Map<string, StockCounts>> {
  const out = new Map<string, StockCounts>(templateIds.map((id) => [id, { free: 0, issued: 0, redeemed: 0 }]));
  if (templateIds.length === 0) return out;
  const db = getDb();
  const _ = db.command;
  const res = await db
    .collection(COLLECTIONS.coupons)
    .aggregate()
    .match({ templateId: _.in(templateIds) })
    .group({ _id: { t: '$templateId', s: '$state' }, n: _.aggregate.sum(1) })
    .limit(templateIds.length * 4 + 10)
    .end();
  for (const row of res.list as { _id: { t: string; s: string }; n: number }[]) {
    const counts = out.get(row._id.t);
    if (!counts) continue;
    if (row._id.s === 'free') counts.free += row.n;
    else counts.issued += row.n;
    if (row._id.s === 'used') counts.redeemed += row.n;
  }
  return out;
}

export async function templateView(template: TemplateDoc): Promise<CouponTemplateView> {
  const counts = await stockCounts([template._id]);
  return toTemplateView(template, counts.get(template._id)!);
}

export async function loadTemplate(id: string): Promise<TemplateDoc> {
  const template = await getById<TemplateDoc>(COLLECTIONS.couponTemplates, id);
  if (!template) fail('NOT_FOUND', '优惠券不存在或已下架');
  return template;
}

export function newTemplateDoc(id: string, input: CouponTemplateInput, creator: string, at: Date): TemplateDoc {
  return {
    _id: id,
    title: input.title,
    rules: input.rules,
    kind: input.kind,
    amountOffFen: input.amountOffFen ?? null,
    thresholdFen: input.thresholdFen ?? null,
    payPercent: input.payPercent ?? null,
    maxDiscountFen: input.maxDiscountFen ?? null,
    giftName: input.giftName ?? null,
    validity: input.validity,
    totalStock: input.totalStock,
    perMemberLimit: input.perMemberLimit,
    audience: input.audience,
    stackable: input.stackable,
    publicClaim: input.publicClaim ?? true,
    status: 'active',
    startsAt: toDate(input.startsAt),
    endsAt: toDate(input.endsAt),
    createdAt: at,
    createdBy: creator,
    updatedAt: at,
    appliedTopUps: [],
  };
}

/** The slot tag of a top-up: derived from its request id so a retry re-creates the same slots. */
export function topUpTag(requestId: string): string {
  return `t${createHash('sha256').update(requestId).digest('hex').slice(0, 8)}`;
}
