import { communityActions } from '../../server/community/actions';
import { ownershipActions } from '../../server/community/ownership/actions';
import { runCommunityTimer } from '../../server/community/timer';
import { defineFunction } from '../../server/runtime/define';
import type { CommunityApi } from '../../typings';

export const definition = defineFunction<CommunityApi>('community', { ...communityActions, ...ownershipActions }, {
  onTimer: (ctx) => runCommunityTimer(ctx.now),
});
export const main = definition.main;
