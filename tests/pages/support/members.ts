/**
 * Membership steps that page stories arrange through the real cloud functions (no pages involved):
 * the store owner's card batch and order import, customers already members, raw documents to check.
 */
import { COLLECTIONS } from '../../../database/collections';
import { DEMO_OWNER_OPENID } from '../../../local/seed';
import type { MemberDoc } from '../../../server/members/model';
import { PRIVACY_VERSION } from '../../../server/members/privacy';
import { getById, getDb } from '../../../server/runtime/db';
import { platform as services } from '../../../server/runtime/platform';
import type {
  ActionName,
  ApiResult,
  CardBatchInput,
  CardBatchView,
  CouponTemplateView,
  FunctionName,
  JoinRequest,
  JoinResult,
  LevelRules,
  RequestOf,
  ResponseOf,
} from '../../../typings';
import { sceneOf } from '../../cards/support';
import { csvOf, type SampleOrder } from '../../orders/support';
import { ownerCreatesCoupon } from './coupons';
import { platform } from './wechat';

export { sceneOf };

let serial = 0;

/** Calls `fn`/`action` as `openid` with a fresh request id; fails the test on an error. */
export async function act<F extends FunctionName, A extends ActionName<F>>(openid: string, fn: F, action: A, payload: RequestOf<F, A>): Promise<ResponseOf<F, A>> {
  serial += 1;
  const requestId = `arrange-${serial}-${Math.random().toString(36).slice(2, 10)}`;
  const res = (await platform.runtime.invoke(fn, { action, payload, requestId }, { OPENID: openid })) as ApiResult<ResponseOf<F, A>>;
  if (!res.ok) throw new Error(`${action} as ${openid} failed: ${res.error.code} ${res.error.message} ${JSON.stringify(res.error.fields ?? [])}`);
  return res.data;
}

export const FOUNDER_LETTER = '亲爱的朋友：\n谢谢你选择山间茶舍。这罐明前龙井是我们在狮峰山下亲手炒的，愿它陪你度过好时光。\n—— 店主 老周';

/** YYYY-MM-DD (Shanghai), `days` after the story's clock. */
export function daysFromNow(days: number): string {
  return new Date(platform.runtime.clock.now() + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * The owner prints a batch of package cards for Taobao parcels of 明前龙井 with the founder's letter
 * and a 满99减20 「老客回购券」 (7 days from the claim) on every card; returns it once every card is ready.
 */
export async function ownerPrintsCards(
  overrides: Partial<CardBatchInput> = {},
): Promise<{ batch: CardBatchView; template: CouponTemplateView }> {
  const template = await ownerCreatesCoupon({ title: '老客回购券', totalStock: null });
  let batch = await act(DEMO_OWNER_OPENID, 'card', 'card.batch.create', {
    channel: 'taobao',
    product: '明前龙井 250g',
    quantity: 20,
    letter: FOUNDER_LETTER,
    templateId: template.id,
    validUntil: daysFromNow(60),
    ...overrides,
  });
  for (let i = 0; batch.status === 'preparing' && i < 20; i += 1) {
    batch = await act(DEMO_OWNER_OPENID, 'card', 'card.batch.prepare', { batchId: batch.id });
  }
  if (batch.status !== 'active') throw new Error(`the batch never became active: ${JSON.stringify(batch)}`);
  return { batch, template };
}

/** The owner uploads a Taobao export of `orders` (CSV, as downloaded) and imports it to the end. */
export async function ownerImportsOrders(orders: SampleOrder[]): Promise<void> {
  serial += 1;
  const { fileId } = await services().storeFile(`imports/pages-${serial}.csv`, Buffer.from(csvOf('taobao', orders), 'utf8'));
  let job = await act(DEMO_OWNER_OPENID, 'admin', 'order.import.start', { fileId, platform: 'taobao' });
  for (let i = 0; job.status === 'running' && i < 20; i += 1) job = await act(DEMO_OWNER_OPENID, 'admin', 'order.import.step', { jobId: job.id });
  if (job.status !== 'done' || job.errorCount > 0) throw new Error(`the import failed: ${JSON.stringify(job)}`);
}

export function ownerSetsLevels(rules: LevelRules): Promise<LevelRules> {
  return act(DEMO_OWNER_OPENID, 'admin', 'member.levels.set', rules);
}

/** A customer who joined earlier (straight through the function, with a development phone number). */
export function customerJoined(openid: string, overrides: Partial<JoinRequest> = {}): Promise<JoinResult> {
  return act(openid, 'member', 'member.join', { phoneCode: 'dev:13912345678', privacyAccepted: true, privacyVersion: PRIVACY_VERSION, ...overrides });
}

/** The member document of `openid`, straight from the database (null: not a member). */
export function memberDoc(openid: string): Promise<MemberDoc | null> {
  return getById<MemberDoc>(COLLECTIONS.members, openid);
}

export async function countOf(collection: string, where: object = {}): Promise<number> {
  return (await getDb().collection(collection).where(where).count()).total;
}
