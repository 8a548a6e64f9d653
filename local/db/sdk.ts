/**
 * The SDK modules the executor must share with `wx-server-sdk`: the `Db` class whose static
 * `reqClass` carries every database request, node-sdk's `TcbError` factory, and the `bson` copy that
 * the SDK uses for EJSON. Each is resolved through the SDK's own dependency chain
 * (wx-server-sdk -> @cloudbase/node-sdk -> @cloudbase/database -> bson) so that a second copy
 * elsewhere in node_modules can never be the one we patch.
 */
import path from 'node:path';

export interface TcbErrorInit {
  code: string;
  message: string;
  requestId?: string;
}

export type TcbError = Error & { code: string; requestId: string };

/** The subset of bson's EJSON we use. */
export interface EjsonApi {
  parse(text: string, options?: { relaxed?: boolean }): unknown;
  stringify(value: unknown, options?: { relaxed?: boolean }): string;
  serialize(value: unknown, options?: { relaxed?: boolean }): unknown;
  deserialize(value: unknown, options?: { relaxed?: boolean }): unknown;
}

export interface BsonRegExpLike {
  _bsontype: 'BSONRegExp';
  pattern: string;
  options: string;
}

/** A class with a writable static `reqClass`; the rest of `Db` does not concern us. */
export type DbClass = { reqClass: unknown };

function resolveFrom(request: string, fromFile: string): string {
  return require.resolve(request, { paths: [path.dirname(fromFile)] });
}

const wxServerSdkMain = require.resolve('wx-server-sdk');
const nodeSdkMain = resolveFrom('@cloudbase/node-sdk', wxServerSdkMain);
const databaseMain = resolveFrom('@cloudbase/database', nodeSdkMain);
const bsonMain = resolveFrom('bson', databaseMain);
const nodeSdkUtils = path.join(path.dirname(nodeSdkMain), 'utils', 'utils.js');

/* eslint-disable @typescript-eslint/no-require-imports */
export const Db = (require(databaseMain) as { Db: DbClass }).Db;
export const EJSON = (require(bsonMain) as { EJSON: EjsonApi }).EJSON;
const nodeSdkE = (require(nodeSdkUtils) as { E: (init: TcbErrorInit) => TcbError }).E;
/* eslint-enable @typescript-eslint/no-require-imports */

/** node-sdk's own TcbError: wx-server-sdk maps its `code` to an `errCode` exactly as in production. */
export function makeTcbError(init: TcbErrorInit): TcbError {
  return nodeSdkE(init);
}
