import { memberAdminActions } from '../../server/members/admin-actions';
import { runAdminTimer } from '../../server/members/admin-timer';
import { defineFunction } from '../../server/runtime/define';
import type { MemberAdminApi } from '../../typings';

export const definition = defineFunction<MemberAdminApi>('admin', memberAdminActions, {
  onTimer: (ctx) => runAdminTimer(ctx.now),
});
export const main = definition.main;
