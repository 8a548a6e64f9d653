/**
 * `findOneAndUpdate` on CloudBase: `where(q).updateAndReturn(u)` (action
 * `database.modifyAndReturnDoc`) matches one document, updates it atomically and returns it, so
 * taking a stock slot or redeeming a code is one conditional write with no read-back.
 *
 * wx-server-sdk's database wrapper does not expose it, so this goes through the
 * `@cloudbase/node-sdk` that wx-server-sdk itself depends on (CloudBase installs it with
 * wx-server-sdk). It is resolved through wx-server-sdk's own dependency chain at run time, never
 * bundled: the same copy serves production (HTTP) and the local runtime (its pinned transport).
 */
import path from 'node:path';
import type * as tcbModule from '@cloudbase/node-sdk';

type NodeSdk = typeof tcbModule;
type RawDb = ReturnType<ReturnType<NodeSdk['init']>['database']>;

let rawDb: RawDb | undefined;

function loadNodeSdk(): NodeSdk {
  const fromWxServerSdk = path.dirname(require.resolve('wx-server-sdk'));
  const entry = require.resolve('@cloudbase/node-sdk', { paths: [fromWxServerSdk] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(entry) as NodeSdk;
}

function raw(): RawDb {
  if (!rawDb) {
    const tcb = loadNodeSdk();
    rawDb = tcb.init({ env: tcb.SYMBOL_CURRENT_ENV }).database();
  }
  return rawDb;
}

/** The query commands of the raw database (`_.gte`, `_.rename`, ...). */
export function rawCommand(): RawDb['command'] {
  return raw().command;
}

/**
 * Updates the first document matching `query`: `patch`'s fields are set (a sub-document replaced
 * whole, never merged into a null), `commands` apply as given (`_.rename`, `_.inc`, ...). Returns
 * the document as updated, or null when nothing matched. `patch` is merged over what the server
 * returns, so the result is right whether it answers with the document before or after.
 */
export async function updateOneAndReturn<T extends { _id: string }>(
  collection: string,
  query: Record<string, unknown>,
  patch: Record<string, unknown>,
  commands: Record<string, unknown> = {},
): Promise<T | null> {
  const _ = rawCommand();
  const data: Record<string, unknown> = { ...commands };
  for (const [key, value] of Object.entries(patch)) {
    data[key] = isSubDocument(value) ? _.set(value) : value;
  }
  const res = await raw().collection(collection).where(query).updateAndReturn(data);
  const doc = (res as { doc?: T | null }).doc;
  if (!doc) return null;
  return { ...doc, ...patch } as T;
}

function isSubDocument(value: unknown): value is object {
  return !!value && typeof value === 'object' && !(value instanceof Date) && !Array.isArray(value);
}
