/** Every deployed function and its declared actions, read from the real entries. */
import path from 'node:path';
import type { CloudFunction } from '../../server/runtime/define';
import { FUNCTIONS_DIR, listFunctions } from '../../local/runtime-paths';

export interface DeclaredAction {
  fn: string;
  action: string;
  staff?: string;
  mutates: boolean;
}

export function declaredActions(): DeclaredAction[] {
  return listFunctions().flatMap((fn) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { definition } = require(path.join(FUNCTIONS_DIR, fn, 'main.ts')) as { definition: CloudFunction<unknown> };
    const actions = definition.actions as Record<string, { staff?: string; mutates?: boolean }>;
    return Object.entries(actions).map(([action, spec]) => ({ fn, action, staff: spec.staff, mutates: !!spec.mutates }));
  });
}
