/** The owner's side of a member's data rights, in the admin function; roles from access.ts. */
import { z } from 'zod';
import type { DataRightsApi, EraseConfirmation } from '../../../typings';
import { openid } from '../../members/schemas';
import type { ActionSpec } from '../../runtime/define';
import { ABILITY_ROLES } from '../access';
import { eraseMember } from './erase';
import { exportMemberData } from './export';

type Actions = { [K in keyof DataRightsApi]: ActionSpec<DataRightsApi[K]['req'], DataRightsApi[K]['res']> };

const CONFIRMATION: EraseConfirmation = '确认删除';

export const dataRightsActions: Actions = {
  'member.dataExport': {
    input: z.strictObject({ openid }),
    staff: ABILITY_ROLES.exportMemberData,
    mutates: true,
    async handler(ctx, input) {
      return exportMemberData(input.openid, ctx.openid, ctx.requestId, ctx.now);
    },
  },

  'member.erase': {
    input: z.strictObject({
      openid,
      confirm: z.literal(CONFIRMATION, { error: `请输入「${CONFIRMATION}」以确认` }),
      reason: z.string({ error: '请填写删除原因' }).trim().min(2, '请填写删除原因（至少 2 个字）').max(100, '原因最多 100 个字'),
    }),
    staff: ABILITY_ROLES.eraseMember,
    mutates: true,
    async handler(ctx, input) {
      return eraseMember(input.openid, input.reason, ctx.openid, ctx.requestId, ctx.now);
    },
  },
};
