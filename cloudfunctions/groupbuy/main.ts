import { groupbuyActions } from '../../server/groupbuy/actions';
import { runGroupbuyTimer } from '../../server/groupbuy/timer';
import { defineFunction } from '../../server/runtime/define';
import type { GroupBuyApi } from '../../typings';

export const definition = defineFunction<GroupBuyApi>('groupbuy', groupbuyActions, {
  onTimer: (ctx) => runGroupbuyTimer(ctx.now),
});
export const main = definition.main;
