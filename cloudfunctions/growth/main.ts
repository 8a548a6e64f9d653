import { defineFunction } from '../../server/runtime/define';
import { growthActions } from '../../server/growth/actions';
import { runGrowthTimer } from '../../server/growth/timer';
import type { GrowthApi } from '../../typings';

export const definition = defineFunction<GrowthApi>('growth', growthActions, {
  onTimer: (ctx) => runGrowthTimer(ctx.now),
});
export const main = definition.main;
