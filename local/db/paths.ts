/** Dot-path helpers shared by index maintenance and update validation. */
import { isPlainObject } from './ejson';

export interface Resolved {
  /** The value at the path; undefined when missing. */
  value: unknown;
  /** The walk went through an array (Mongo would then match element-wise: a multikey path). */
  throughArray: boolean;
  /** A non-container value stood in the middle of the path (e.g. `a.b` with `a: 5`). */
  blockedBy?: { path: string; value: unknown };
}

const isIndex = (s: string): boolean => /^(0|[1-9]\d*)$/.test(s);

/** Resolves a path the way a JSON path does: numeric segments index arrays, no element-wise fan-out. */
export function resolvePath(doc: unknown, path: string): Resolved {
  const segs = path.split('.');
  let cur: unknown = doc;
  let throughArray = false;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    if (Array.isArray(cur)) {
      throughArray = true;
      if (!isIndex(seg)) return { value: undefined, throughArray, blockedBy: { path: segs.slice(0, i).join('.'), value: cur } };
      cur = cur[Number(seg)];
    } else if (isPlainObject(cur)) {
      cur = cur[seg];
    } else {
      if (cur === undefined) return { value: undefined, throughArray };
      return { value: undefined, throughArray, blockedBy: { path: segs.slice(0, i).join('.'), value: cur } };
    }
  }
  return { value: cur, throughArray };
}

export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'missing';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'double';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'object') return 'object';
  return typeof v;
}
