import { appActions } from '../../server/app/actions';
import { defineFunction } from '../../server/runtime/define';
import type { AppApi } from '../../typings';

export const definition = defineFunction<AppApi>('app', appActions);
export const main = definition.main;
