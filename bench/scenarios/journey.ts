/**
 * The front door's cost: CloudBase billable operations (function invocations + database reads +
 * writes) of one customer's journey from a package card to a member holding the card's benefit:
 *
 *   1. `card.scan`   the landing page asks what the card is (records the scan);
 *   2. `member.join` one tap: phone, privacy acceptance, the card's benefit claimed, the member
 *                    written, the events of the call appended.
 *
 * Measured honestly and in-process: a fresh in-memory local runtime loads the BUILT bundles
 * (cloudfunctions/<name>/index.js, what CloudBase runs), and `measure()` counts every invocation
 * and every database request the calls make, the way the local executor meters what CloudBase
 * bills (one per request, whatever it touches). The bench server is another process, so its meters
 * cannot be read from here; the gateway adds no database work, so the figure is the same there.
 * Setup (the store, the coupon, the batch) is outside the measured window. The phone number comes
 * from the local stand-in (`getPhoneNumber` is an openapi call, not a database operation).
 */
import { measure, type Meter } from '../../local/context';
import { LocalRuntime } from '../../local/runtime';
import { DEMO_OWNER_OPENID, seedDemoStore } from '../../local/seed';
import { COLLECTIONS } from '../../database/collections';
import { benefitProfileOf, type CardBatchDoc } from '../../server/cards/model';
import { sceneFor } from '../../server/cards/scene';
import { PRIVACY_VERSION } from '../../server/members/privacy';
import { getById } from '../../server/runtime/db';
import type { ApiResult, CardBatchView, CardScanView, CouponTemplateView, JoinResult } from '../../typings';
import { say, type Scenario } from '../harness';

function data<T>(result: ApiResult<T>, what: string): T {
  if (!result.ok) throw new Error(`${what} failed: ${result.error.code} ${result.error.message}`);
  return result.data;
}

const billable = (m: Meter): number => m.invocations + m.reads + m.writes;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const describe = (m: Meter): string => `${billable(m)} (${plural(m.invocations, 'invocation')}, ${plural(m.reads, 'read')}, ${plural(m.writes, 'write')})`;

export async function measureJourney(): Promise<{ scan: Meter; join: Meter }> {
  const rt = new LocalRuntime({ load: 'bundle' });
  try {
    await seedDemoStore(rt);
    const invoke = <T>(fn: string, openid: string, action: string, payload: object, requestId?: string) =>
      rt.invoke(fn, { action, payload, requestId }, { OPENID: openid }) as Promise<ApiResult<T>>;
    const template = data(
      await invoke<CouponTemplateView>('coupon', DEMO_OWNER_OPENID, 'coupon.template.create', {
        title: '老客回购券',
        rules: '下次购买可用',
        kind: 'amount_off',
        amountOffFen: 2000,
        thresholdFen: 9900,
        validity: { type: 'relative', days: 30 },
        totalStock: null,
        perMemberLimit: 1,
        audience: { type: 'everyone' },
        stackable: false,
      }, 'bench-journey-template'),
      'template',
    );
    const validUntil = new Date(rt.clock.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const batch = data(
      await invoke<CardBatchView>('card', DEMO_OWNER_OPENID, 'card.batch.create', { channel: 'taobao', product: '明前龙井 250g', quantity: 10, validUntil, templateId: template.id }, 'bench-journey-batch'),
      'batch',
    );
    const batchDoc = await getById<CardBatchDoc>(COLLECTIONS.cardBatches, batch.id);
    if (!batchDoc || batchDoc.status !== 'active') throw new Error('journey: the card batch is not active');
    const scene = sceneFor({ batchId: batch.id, serial: 1, benefit: benefitProfileOf(batchDoc) });

    const customer = 'bench-journey-customer';
    const scan = await measure(() => invoke<CardScanView>('card', customer, 'card.scan', { scene }));
    if (data(scan.result, 'scan').state !== 'fresh') throw new Error('journey: the card is not fresh');
    const join = await measure(() =>
      invoke<JoinResult>('member', customer, 'member.join', { phoneCode: 'dev:13800138000', privacyAccepted: true, privacyVersion: PRIVACY_VERSION, scene }, 'bench-journey-join'),
    );
    const joined = data(join.result, 'join');
    if (!joined.created || joined.card?.status !== 'claimed') throw new Error(`journey: join did not claim the card (${joined.card?.status})`);
    return { scan: scan.cost, join: join.cost };
  } finally {
    rt.close();
  }
}

export const journeyScenario: Scenario = async () => {
  const { scan, join } = await measureJourney();
  const figures = { callsPerJourney: billable(scan) + billable(join), callsPerScan: billable(scan), callsPerJoin: billable(join) };
  say(`journey scan → join ${figures.callsPerJourney} billable ops: scan ${describe(scan)}, join with the card ${describe(join)}`);
  return figures;
};
