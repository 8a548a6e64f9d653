/** The 潜力买家 actions of the admin function; each names its lowest role from access.ts. */
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { ProspectApi } from '../../../typings';
import type { ActionSpec } from '../../runtime/define';
import { ABILITY_ROLES, AREA_ROLES } from '../access';
import { exportFollowUps } from '../export-jobs';
import { prospectPage, MAX_OFFSET, refreshView } from './list';
import { prospectExports, startProspectExport } from './export';
import { filterInput, withDefaults } from './model';
import { requestPass, runProspectPass } from './rollup';

type Actions = { [K in keyof ProspectApi]: ActionSpec<ProspectApi[K]['req'], ProspectApi[K]['res']> };

const exportId = z.string({ error: '缺少导出任务编号' }).regex(/^px_[0-9a-f]{20}$/, '导出任务编号无效');
const prospectExport = exportFollowUps(prospectExports, ABILITY_ROLES.exportProspects, exportId);
/** A refresh from the page works this long, then the timer carries on. */
const REFRESH_STEP_MS = 5_000;

export const prospectActions: Actions = {
  'prospect.list': {
    input: z.strictObject({ ...filterInput, offset: z.number({ error: '分页参数无效' }).int('分页参数无效').min(0, '分页参数无效').max(MAX_OFFSET, '请导出查看更多').optional() }),
    staff: AREA_ROLES.prospects,
    async handler(ctx, input) {
      const { offset, ...filter } = input;
      return prospectPage(withDefaults(filter), offset ?? 0, ctx.now);
    },
  },

  // Asking twice asks once: a running refresh is left to finish.
  'prospect.refresh': {
    input: z.strictObject({}),
    staff: AREA_ROLES.prospects,
    mutates: true,
    async handler(ctx) {
      await requestPass(ctx.now);
      await runProspectPass(ctx.now, performance.now() + REFRESH_STEP_MS);
      return refreshView();
    },
  },

  'prospect.export.start': {
    input: z.strictObject(filterInput),
    staff: ABILITY_ROLES.exportProspects,
    mutates: true,
    async handler(ctx, input) {
      return startProspectExport(withDefaults(input), ctx.openid, ctx.requestId, ctx.now);
    },
  },

  'prospect.export.continue': prospectExport.continue,
  'prospect.export.get': prospectExport.get,
};
