import { cardActions } from '../../server/cards/actions';
import { runCardTimer } from '../../server/cards/timer';
import { defineFunction } from '../../server/runtime/define';
import type { CardApi } from '../../typings';

export const definition = defineFunction<CardApi>('card', cardActions, {
  onTimer: (ctx) => runCardTimer(ctx.now),
});
export const main = definition.main;
