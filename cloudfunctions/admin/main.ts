import { performance } from 'node:perf_hooks';
import { adminTabActions } from '../../server/admin/actions';
import { campaignActions } from '../../server/admin/campaigns/actions';
import { dataRightsActions } from '../../server/admin/data-rights/actions';
import { prospectActions } from '../../server/admin/prospects/actions';
import { runAdminUpkeep, upkeepBudget } from '../../server/admin/timer';
import { memberAdminActions } from '../../server/members/admin-actions';
import { runAdminTimer } from '../../server/members/admin-timer';
import { defineFunction } from '../../server/runtime/define';
import type { AdminApi } from '../../typings';

export const definition = defineFunction<AdminApi>(
  'admin',
  { ...memberAdminActions, ...adminTabActions, ...prospectActions, ...dataRightsActions, ...campaignActions },
  {
    // One timer: order imports first, then the tab's upkeep (new members, labels, exports, segments).
    onTimer: async (ctx) => {
      const started = performance.now();
      const imports = await runAdminTimer(ctx.now);
      const upkeep = await runAdminUpkeep(ctx.now, upkeepBudget(performance.now() - started));
      return { ...imports, upkeep };
    },
  },
);
export const main = definition.main;
