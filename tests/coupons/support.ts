/** Shared steps of the coupon stories: a store with an owner, templates, members, counting coupons. */
import { COLLECTIONS } from '../../database/collections';
import { getDb } from '../../server/runtime/db';
import type { CouponTemplateInput, CouponTemplateView } from '../../typings';
import { ok, rid, type TestRuntime } from '../support/runtime';

/** 满 99 减 20, 100 in stock, one each, 7 days from the claim. */
export function template(overrides: Partial<CouponTemplateInput> = {}): CouponTemplateInput {
  return {
    title: '满99减20',
    rules: '全店通用，每单限用一张',
    kind: 'amount_off',
    amountOffFen: 2000,
    thresholdFen: 9900,
    validity: { type: 'relative', days: 7 },
    totalStock: 100,
    perMemberLimit: 1,
    audience: { type: 'everyone' },
    stackable: false,
    ...overrides,
  };
}

export async function createTemplate(t: TestRuntime, admin: string, overrides: Partial<CouponTemplateInput> = {}): Promise<CouponTemplateView> {
  return ok(await t.call(admin, 'coupon', 'coupon.template.create', template(overrides), rid('tpl')));
}

/** Members are written by the membership area; here they are put in place directly. */
export async function addMember(
  openid: string,
  fields: { joinedAt?: Date; nickname?: string; phoneMasked?: string | null; segments?: string[] } = {},
): Promise<void> {
  await getDb()
    .collection(COLLECTIONS.members)
    .add({
      data: {
        _id: openid,
        joinedAt: fields.joinedAt ?? new Date('2026-01-01T00:00:00Z'),
        nickname: fields.nickname ?? `会员${openid}`,
        phoneMasked: fields.phoneMasked ?? '138****8000',
        segments: fields.segments ?? [],
        tags: [],
      },
    });
}

/** Issued coupons of a template, straight from the database (free slots left out). */
export async function issuedOf(templateId: string): Promise<{ _id: string; holder: string; code: string; state: string }[]> {
  const _ = getDb().command;
  const out: { _id: string; holder: string; code: string; state: string }[] = [];
  for (;;) {
    const res = await getDb()
      .collection(COLLECTIONS.coupons)
      .where({ templateId, state: _.neq('free') })
      .orderBy('_id', 'asc')
      .skip(out.length)
      .limit(1000)
      .get();
    out.push(...(res.data as typeof out));
    if (res.data.length < 1000) return out;
  }
}

export async function freeSlotsOf(templateId: string): Promise<number> {
  return (await getDb().collection(COLLECTIONS.coupons).where({ templateId, state: 'free' }).count()).total;
}
