/** Package-card batches as campaigns: printed, claimed, redeemed; paused, resumed and revoked by their module. */
import { COLLECTIONS } from '../../../database/collections';
import type { CardBatchView, CardScanState } from '../../../typings';
import { batchView, loadBatch, revokeBatch } from '../../cards/batches';
import { setBatchStatus } from '../../cards/manage';
import { type CardBatchDoc, cardSummaryOf, isPastClaimUntil, notOpenState, printedSerial } from '../../cards/model';
import { scanMessage } from '../../cards/scan';
import type { ActionContext } from '../../runtime/define';
import { isoOrNull } from '../../runtime/schedule';
import { type CampaignKind, count, type Listed, statusOf } from './kind';
import { newestFirst } from './paging';

const caller = (ctx: ActionContext) => ({ openid: ctx.openid, requestId: ctx.requestId, now: ctx.now });

function listed(b: CardBatchDoc, view: CardBatchView, now: Date): Listed {
  const stored = b.status === 'revoked' ? 'ended' : b.status === 'paused' ? 'paused' : 'active';
  // A batch still reserving its benefits is not open yet, whatever its start.
  const status = b.status === 'preparing' && !isPastClaimUntil(b, now) ? 'scheduled' : statusOf(stored, { startsAt: b.startsAt, endsAt: b.claimUntil }, now);
  return {
    row: {
      type: 'card',
      id: b._id,
      title: `${b.product} · ${view.channelName}`,
      subtitle: b.benefit ? `福利 ${b.benefit.line}` : '仅感谢信',
      status,
      startsAt: isoOrNull(b.startsAt),
      endsAt: isoOrNull(b.claimUntil),
      figures: [count('印制', b.quantity), count('已领取', view.claimed), count('已核销', view.redeemed)],
      createdAt: view.createdAt,
    },
    stock: false,
    withheld: b.status === 'preparing' ? ['pause', 'resume', 'end', 'edit'] : [],
  };
}

/** What the first card's landing shows now. */
function scanStateOf(b: CardBatchDoc, now: Date): CardScanState {
  if (b.status === 'revoked') return 'revoked';
  if (isPastClaimUntil(b, now)) return 'expired';
  return notOpenState(b, now) ?? 'fresh';
}

export const cardKind: CampaignKind = {
  type: 'card',
  async page(before, limit, now) {
    const batches = await newestFirst<CardBatchDoc>(COLLECTIONS.cardBatches, before, limit);
    const views = await Promise.all(batches.map((b) => batchView(b, now)));
    return batches.map((b, i) => listed(b, views[i], now));
  },
  async get(id, now) {
    const batch = await loadBatch(id);
    const card = await batchView(batch, now);
    return { listed: listed(batch, card, now), detail: { type: 'card', card } };
  },
  async command(ctx, id, command, reason) {
    if (command === 'end') await revokeBatch(caller(ctx), id, reason ?? '活动结束');
    else await setBatchStatus(caller(ctx), id, command === 'pause' ? 'paused' : 'active');
  },
  async preview(ctx, id) {
    const batch = await loadBatch(id);
    const card = cardSummaryOf(batch, 1);
    const state = scanStateOf(batch, ctx.now);
    return {
      type: 'card',
      scan: { state, card, couponId: null, message: scanMessage(state, card) },
      note: `按第一位扫到 ${printedSerial(1)} 的顾客预览，不会记录扫码`,
    };
  },
};
