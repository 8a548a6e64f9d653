/**
 * The `card` function's actions: customers scan, staff make, revoke and export batches. Inputs are
 * parsed at the edge; the modules next to this file do the work.
 */
import { z } from 'zod';
import type { CardApi } from '../../typings';
import { ABILITY_ROLES, AREA_ROLES } from '../admin/access';
import type { ActionContext, ActionSpec } from '../runtime/define';
import { createBatch, listBatches, loadBatch, batchView, prepareBatch, revokeBatch } from './batches';
import { continueExport, exportsOfBatch, getExport, startExport } from './export/job';
import { DEFAULT_LETTER } from './letter';
import { setBatchStatus, updateBatch } from './manage';
import { scanCard } from './scan';
import * as s from './schemas';

type Actions = { [K in keyof CardApi]: ActionSpec<CardApi[K]['req'], CardApi[K]['res']> };

const caller = (ctx: ActionContext) => ({ openid: ctx.openid, requestId: ctx.requestId, now: ctx.now });

export const cardActions: Actions = {
  // ---- customers -------------------------------------------------------------------------------

  'card.scan': {
    // Any text is a scene to check: a damaged or forged one is answered `invalid` and counted.
    input: z.strictObject({ scene: z.string({ error: '缺少卡片信息' }).max(256, '卡片信息无效') }),
    async handler(ctx, input) {
      return scanCard(ctx.openid, input.scene.trim(), ctx.now);
    },
  },

  // ---- staff: the 包裹卡 area, the same role table the tab is drawn from --------------------------
  // Reading batches and their print files is the area's too: a clerk's screens (核销, the dashboard,
  // the campaign list) get batch names through their own actions, never through these.

  'card.batch.create': {
    input: s.batchInput,
    staff: AREA_ROLES.cards,
    mutates: true,
    async handler(ctx, input) {
      return createBatch(caller(ctx), input);
    },
  },

  'card.batch.prepare': {
    input: z.strictObject({ batchId: s.batchId }),
    staff: AREA_ROLES.cards,
    mutates: true,
    async handler(ctx, input) {
      return prepareBatch(input.batchId, ctx.now);
    },
  },

  'card.batch.list': {
    input: z.strictObject({ status: z.enum(['preparing', 'active', 'paused', 'revoked'], { error: '状态无效' }).optional() }),
    staff: AREA_ROLES.cards,
    async handler(ctx, input) {
      return { batches: await listBatches(input.status, ctx.now), defaultLetter: DEFAULT_LETTER };
    },
  },

  'card.batch.get': {
    input: z.strictObject({ batchId: s.batchId }),
    staff: AREA_ROLES.cards,
    async handler(ctx, input) {
      const batch = await loadBatch(input.batchId);
      const [view, exports] = await Promise.all([batchView(batch, ctx.now), exportsOfBatch(batch._id)]);
      return { batch: view, exports };
    },
  },

  'card.batch.setStatus': {
    input: z.strictObject({ batchId: s.batchId, status: z.enum(['active', 'paused'], { error: '请选择恢复或暂停' }) }),
    staff: ABILITY_ROLES.manageCampaigns,
    mutates: true,
    async handler(ctx, input) {
      return setBatchStatus(caller(ctx), input.batchId, input.status);
    },
  },

  'card.batch.update': {
    input: z
      .strictObject({ batchId: s.batchId, validUntil: s.validUntil.optional(), startsAt: s.startsAt.optional() })
      .refine((u) => u.validUntil !== undefined || u.startsAt !== undefined, '没有要修改的内容'),
    staff: ABILITY_ROLES.manageCampaigns,
    mutates: true,
    async handler(ctx, input) {
      return updateBatch(caller(ctx), input);
    },
  },

  'card.batch.revoke': {
    input: z.strictObject({ batchId: s.batchId, reason: s.reason }),
    staff: AREA_ROLES.cards,
    mutates: true,
    async handler(ctx, input) {
      return revokeBatch(caller(ctx), input.batchId, input.reason);
    },
  },

  'card.export.start': {
    input: z.strictObject({ batchId: s.batchId, envVersion: s.envVersion.optional(), partSize: s.partSize.optional() }),
    staff: AREA_ROLES.cards,
    mutates: true,
    async handler(ctx, input) {
      return startExport(caller(ctx), input.batchId, input.envVersion ?? 'release', input.partSize);
    },
  },

  'card.export.continue': {
    input: z.strictObject({ exportId: s.exportId }),
    staff: AREA_ROLES.cards,
    mutates: true,
    async handler(ctx, input) {
      return continueExport(input.exportId, ctx.now);
    },
  },

  'card.export.get': {
    input: z.strictObject({ exportId: s.exportId }),
    staff: AREA_ROLES.cards,
    async handler(_ctx, input) {
      return getExport(input.exportId);
    },
  },
};
