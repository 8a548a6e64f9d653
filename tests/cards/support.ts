/** Shared steps of the card stories: a store with a benefit coupon, batches, their scenes. */
import { COLLECTIONS } from '../../database/collections';
import { benefitProfileOf, type CardBatchDoc } from '../../server/cards/model';
import { sceneFor } from '../../server/cards/scene';
import { getById } from '../../server/runtime/db';
import type { CardBatchInput, CardBatchView, CouponTemplateView } from '../../typings';
import { createTemplate } from '../coupons/support';
import { ok, rid, type TestRuntime } from '../support/runtime';
import { makeOwner } from '../support/staff';

export const LETTER = '亲爱的朋友：\n谢谢你选择山间茶舍。这罐明前龙井是我们在狮峰山下亲手炒的。\n—— 店主 老周';

/** Tomorrow and beyond, as YYYY-MM-DD (Shanghai), from the runtime's clock. */
export function dayAfter(t: TestRuntime, days: number): string {
  const at = new Date(t.rt.clock.now() + days * 86_400_000 + 8 * 3_600_000);
  return at.toISOString().slice(0, 10);
}

export function batchInput(t: TestRuntime, overrides: Partial<CardBatchInput> = {}): CardBatchInput {
  return { channel: 'taobao', product: '明前龙井 250g', quantity: 8, letter: LETTER, validUntil: dayAfter(t, 90), ...overrides };
}

/** An owner, a 满99减20 coupon (7 days from the claim, one per person) and a batch with it. */
export async function storeWithBatch(
  t: TestRuntime,
  overrides: Partial<CardBatchInput> = {},
  templateOverrides: Parameters<typeof createTemplate>[2] = {},
): Promise<{ owner: string; template: CouponTemplateView; batch: CardBatchView }> {
  const owner = await makeOwner(t);
  const template = await createTemplate(t, owner, { title: '老客回购券', totalStock: null, ...templateOverrides });
  const batch = ok(await t.call(owner, 'card', 'card.batch.create', batchInput(t, { templateId: template.id, ...overrides }), rid('batch')));
  return { owner, template, batch };
}

/** The scene printed on card `serial` (the export's manifest lists the same ones). */
export async function sceneOf(batchId: string, serial: number): Promise<string> {
  const batch = await getById<CardBatchDoc>(COLLECTIONS.cardBatches, batchId);
  if (!batch) throw new Error(`no batch ${batchId}`);
  return sceneFor({ batchId, serial, benefit: benefitProfileOf(batch) });
}
