/** The `community` function's ownership actions: the rule, assignment, staff's members, handovers. */
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { CommunityApi } from '../../../typings';
import { AREA_ROLES } from '../../admin/access';
import type { ActionSpec } from '../../runtime/define';
import * as s from '../schemas';
import { assignManually, assignPending } from './assign';
import { continueHandover, handoverView, listHandovers, loadHandover, startHandover, STEP_BUDGET_MS } from './handover';
import { historyOf, membersOf, ownershipSummary } from './members';
import { loadOwnershipSettings, saveOwnershipSettings } from './settings';

type OwnershipApi = Pick<CommunityApi, Extract<keyof CommunityApi, `ownership.${string}`>>;
type Actions = { [K in keyof OwnershipApi]: ActionSpec<OwnershipApi[K]['req'], OwnershipApi[K]['res']> };

const settingsInput = z.strictObject({
  rule: z.enum(['inviter_then_round_robin', 'round_robin'], { error: '请选择分配方式：邀请人优先或轮流分配' }),
  pool: z.array(s.staffId, { error: '请选择参与分配的员工' }).max(200, '最多 200 位员工'),
});

/** Who looks after which member is the 离职继承 area's (AREA_ROLES.handover); a staff member's own list is theirs. */
export const ownershipActions: Actions = {
  'ownership.settings.get': {
    input: z.strictObject({}),
    staff: AREA_ROLES.handover,
    async handler() {
      return loadOwnershipSettings();
    },
  },

  'ownership.settings.set': {
    input: settingsInput,
    staff: AREA_ROLES.handover,
    mutates: true,
    async handler(ctx, input) {
      return saveOwnershipSettings(ctx.openid, input, ctx.now);
    },
  },

  'ownership.autoAssign': {
    input: z.strictObject({}),
    staff: AREA_ROLES.handover,
    mutates: true,
    async handler(ctx) {
      const started = performance.now();
      return assignPending(ctx.now, () => performance.now() - started >= STEP_BUDGET_MS);
    },
  },

  'ownership.assign': {
    input: z.strictObject({
      openids: z.array(s.memberId, { error: '请选择会员' }).min(1, '请至少选择 1 位会员').max(100, '一次最多 100 位会员'),
      staffId: s.staffId,
      reason: s.reason.optional(),
    }),
    staff: AREA_ROLES.handover,
    mutates: true,
    async handler(ctx, input) {
      return assignManually(ctx, input.openids, input.staffId, input.reason);
    },
  },

  'ownership.myMembers': {
    input: z.strictObject({ cursor: s.memberCursor.optional() }),
    staff: AREA_ROLES.members,
    async handler(ctx, input) {
      return membersOf(ctx.openid, input.cursor);
    },
  },

  'ownership.members': {
    input: z.strictObject({ staffId: s.staffId, cursor: s.memberCursor.optional() }),
    staff: AREA_ROLES.handover,
    async handler(_ctx, input) {
      return membersOf(input.staffId, input.cursor);
    },
  },

  'ownership.summary': {
    input: z.strictObject({}),
    staff: AREA_ROLES.handover,
    async handler() {
      return ownershipSummary();
    },
  },

  'ownership.history': {
    input: z.strictObject({ openid: s.memberId }),
    staff: AREA_ROLES.handover,
    async handler(_ctx, input) {
      return { entries: await historyOf(input.openid) };
    },
  },

  'ownership.handover.start': {
    input: z.strictObject({
      fromStaffId: s.staffId,
      toStaffIds: z.array(s.staffId, { error: '请选择接手的员工' }).min(1, '请至少选择 1 位接手的员工').max(50, '最多选择 50 位接手的员工'),
      reason: s.reason,
    }),
    staff: AREA_ROLES.handover,
    mutates: true,
    async handler(ctx, input) {
      return startHandover(ctx, input);
    },
  },

  'ownership.handover.continue': {
    input: z.strictObject({ handoverId: s.handoverId }),
    staff: AREA_ROLES.handover,
    mutates: true,
    async handler(_ctx, input) {
      return continueHandover(input.handoverId);
    },
  },

  'ownership.handover.get': {
    input: z.strictObject({ handoverId: s.handoverId }),
    staff: AREA_ROLES.handover,
    async handler(_ctx, input) {
      return handoverView(await loadHandover(input.handoverId));
    },
  },

  'ownership.handover.list': {
    input: z.strictObject({}),
    staff: AREA_ROLES.handover,
    async handler() {
      return { handovers: await listHandovers() };
    },
  },
};
