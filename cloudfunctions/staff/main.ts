import { defineFunction } from '../../server/runtime/define';
import { staffActions } from '../../server/staff/actions';
import type { StaffApi } from '../../typings';

export const definition = defineFunction<StaffApi>('staff', staffActions);
export const main = definition.main;
