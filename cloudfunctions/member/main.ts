import { runMemberTimer } from '../../server/members/timer';
import { memberActions } from '../../server/members/actions';
import { defineFunction } from '../../server/runtime/define';
import type { MemberApi } from '../../typings';

export const definition = defineFunction<MemberApi>('member', memberActions, {
  onTimer: (ctx) => runMemberTimer(ctx.now),
});
export const main = definition.main;
