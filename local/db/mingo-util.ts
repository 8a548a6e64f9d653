/**
 * mingo's own value helpers (`mingo/util`), shared with the fast paths so that they compare,
 * test equality and clone exactly as mingo's operators do. Required at run time: the package's
 * typings for this subpath need a newer `moduleResolution` than this project uses.
 */
interface MingoUtil {
  /** mingo's total order (BSON type order, element-wise for arrays). */
  compare(a: unknown, b: unknown): number;
  isEqual(a: unknown, b: unknown): boolean;
  /** 'number', 'string', 'null', 'date', 'object', 'array', ... */
  typeOf(v: unknown): string;
  cloneDeep<T>(v: T): T;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const util = require('mingo/util') as MingoUtil;

export const { compare, isEqual, typeOf, cloneDeep } = util;
