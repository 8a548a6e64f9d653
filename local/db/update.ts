/**
 * Update documents. mingo applies the operators; before that we refuse what CloudBase refuses
 * (unknown operators, any write to `_id`) and raise the errors Mongo raises where mingo would
 * silently do nothing ($inc on a string, $push on a non-array, a path through a scalar).
 * `$set $unset $inc $mul $min $max` on plain paths of plain sub-documents take a fast path that
 * does exactly what preflight + mingo do (see the end of this file), without mingo's per-call setup.
 */
import { update as mingoUpdate } from 'mingo';
import { cloneDeep, compare, isEqual, typeOf } from './mingo-util';
import { describe, type Doc, isPlainObject, toWire } from './ejson';
import { cannotUpdateId, invalidOperator, invalidParam, requestFailed } from './errors';
import { isSimplePath } from './match';
import { resolvePath, typeName } from './paths';
import { fromMingo, MINGO_OPTIONS, validateCondition, validateQuery } from './query';

export type UpdateSpec = Record<string, Doc>;

const UPDATE_OPS = new Set(['$set', '$unset', '$inc', '$mul', '$min', '$max', '$rename', '$push', '$pop', '$pull', '$pullAll', '$addToSet']);
const PUSH_MODIFIERS = new Set(['$each', '$position', '$sort', '$slice']);

const touchesId = (p: string): boolean => p === '_id' || p.startsWith('_id.');

/**
 * Turns the wire `data` into an operator spec. The SDK always sends operators for update(); a raw
 * plain object with merge:true means "set these fields".
 */
export function parseUpdateSpec(data: unknown): UpdateSpec {
  if (!isPlainObject(data) || Object.keys(data).length === 0) throw invalidParam('update data must be a non-empty object');
  const keys = Object.keys(data);
  const ops = keys.filter((k) => k.startsWith('$'));
  if (ops.length === 0) {
    if (keys.some(touchesId)) throw cannotUpdateId();
    return { $set: data };
  }
  if (ops.length !== keys.length) throw invalidParam('update data cannot mix operators and plain fields');
  for (const [op, fields] of Object.entries(data)) {
    if (!UPDATE_OPS.has(op)) throw invalidOperator(op, 'update');
    if (!isPlainObject(fields) || Object.keys(fields).length === 0) throw invalidParam(`${op} needs a non-empty object`);
    for (const [p, v] of Object.entries(fields)) {
      if (p === '' || p.split('.').some((s) => s === '')) throw invalidParam(`invalid field path ${JSON.stringify(p)}`);
      if (touchesId(p)) throw cannotUpdateId();
      validateArgument(op, p, v);
    }
  }
  return data as UpdateSpec;
}

function validateArgument(op: string, p: string, v: unknown): void {
  switch (op) {
    case '$inc':
    case '$mul':
      if (typeof v !== 'number') throw requestFailed(`[FailedOperation.Update] Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${p}: ${describe(v)}}`);
      return;
    case '$rename':
      if (typeof v !== 'string' || v === '') throw invalidParam(`$rename target for ${p} must be a non-empty string`);
      if (touchesId(v)) throw cannotUpdateId();
      return;
    case '$pop':
      if (v !== 1 && v !== -1) throw invalidParam(`$pop for ${p} must be 1 or -1`);
      return;
    case '$pullAll':
      if (!Array.isArray(v)) throw invalidParam(`$pullAll for ${p} needs an array`);
      return;
    case '$pull':
      if (isPlainObject(v)) {
        if (Object.keys(v).some((k) => k.startsWith('$'))) validateCondition(v);
        else validateQuery(v);
      }
      return;
    case '$push':
    case '$addToSet':
      if (isPlainObject(v) && Object.keys(v).some((k) => k.startsWith('$'))) {
        for (const k of Object.keys(v)) {
          if (op === '$addToSet' ? k !== '$each' : !PUSH_MODIFIERS.has(k)) throw invalidOperator(k, `${op} modifier`);
        }
        if (!Array.isArray(v.$each)) throw invalidParam(`${op} modifiers need $each with an array`);
      }
      return;
    default:
      return;
  }
}

const isPositional = (p: string): boolean => p.split('.').some((s) => s.startsWith('$'));

/** Mongo's errors for updates mingo would silently skip. */
function preflight(doc: Doc, spec: UpdateSpec): void {
  const fail = (msg: string): never => {
    throw requestFailed(`[FailedOperation.Update] ${msg} (document _id: ${describe(doc._id)})`);
  };
  for (const [op, fields] of Object.entries(spec)) {
    for (const p of Object.keys(fields)) {
      if (isPositional(p)) continue;
      const r = resolvePath(doc, p);
      const creates = op !== '$unset' && op !== '$pull' && op !== '$pullAll' && op !== '$pop' && op !== '$rename';
      if (r.blockedBy && creates) {
        const seg = p.slice(r.blockedBy.path.length + 1).split('.')[0];
        fail(`Cannot create field '${seg}' in element {${r.blockedBy.path}: ${describe(r.blockedBy.value)}}`);
      }
      const v = r.value;
      if (v === undefined) continue;
      if ((op === '$inc' || op === '$mul') && typeof v !== 'number') fail(`Cannot apply ${op} to a value of non-numeric type: field '${p}' is of type ${typeName(v)}`);
      if ((op === '$push' || op === '$addToSet') && !Array.isArray(v)) fail(`The field '${p}' must be an array but is of type ${typeName(v)}`);
      if ((op === '$pull' || op === '$pullAll') && !Array.isArray(v)) fail(`Cannot apply ${op} to a non-array value: field '${p}' is of type ${typeName(v)}`);
      if (op === '$pop' && !Array.isArray(v)) fail(`Path '${p}' contains an element of non-array type '${typeName(v)}'`);
    }
  }
}

/** `$addToSet` with `$each` must not add the same value twice (mingo would). */
function dedupeEach(spec: UpdateSpec): UpdateSpec {
  const add = spec.$addToSet;
  if (!add) return spec;
  const fixed: Doc = {};
  for (const [p, v] of Object.entries(add)) {
    if (isPlainObject(v) && Array.isArray(v.$each)) {
      const seen = new Set<string>();
      fixed[p] = { $each: v.$each.filter((x) => !seen.has(toWire({ x })) && !!seen.add(toWire({ x }))) };
    } else fixed[p] = v;
  }
  return { ...spec, $addToSet: fixed };
}

/**
 * Applies `spec` to `doc` in place; returns whether anything changed. `condition` (the query that
 * selected the document) lets the positional `$` resolve.
 */
export function applyUpdate(doc: Doc, spec: UpdateSpec, condition?: Doc): boolean {
  const fast = fastPlan(spec);
  if (fast) {
    const r = applyFast(doc, fast);
    if (r !== undefined) return r;
    // mingo's $min/$max put their operand into the document as it is: keep a reusable spec out of it.
    return applyUpdateWithMingo(doc, withCopiedOperands(spec), condition);
  }
  return applyUpdateWithMingo(doc, spec, condition);
}

/** The reference: preflight + mingo (for tests comparing it with the fast path). */
export function applyUpdateWithMingo(doc: Doc, spec: UpdateSpec, condition?: Doc): boolean {
  preflight(doc, spec);
  try {
    // The condition only matters to the positional `$`; mingo re-tests it, so pass it only then.
    const positional = Object.values(spec).some((fields) => Object.keys(fields).some(isPositional));
    const changed = mingoUpdate(doc, dedupeEach(spec), undefined, positional ? condition : undefined, { cloneMode: 'deep', queryOptions: MINGO_OPTIONS });
    return changed.length > 0;
  } catch (e) {
    throw fromMingo(e, 'update');
  }
}

/** doc.set(): the new content replaces everything but `_id`. */
export function replacementDoc(id: unknown, data: unknown): Doc {
  if (!isPlainObject(data)) throw invalidParam('set data must be an object');
  for (const k of Object.keys(data)) {
    if (k.startsWith('$')) throw requestFailed('update operator complicit');
  }
  if ('_id' in data && toWire({ v: data._id }) !== toWire({ v: id })) throw cannotUpdateId();
  const out: Doc = { _id: id, ...data };
  out._id = id;
  return out;
}

// ---- fast path ---------------------------------------------------------------------------------

/**
 * `$set $unset $inc $mul $min $max` on plain dot paths, applied exactly as mingo's operators do
 * (same walk, same `isEqual`/`compare`/`cloneDeep`, same change detection, same order), without
 * mingo's per-call operator context. A document on which the walk meets anything but plain objects
 * (an array, null or a scalar in the middle of a path), or where `$inc`/`$mul` find a non-number,
 * goes to the mingo path, which also raises Mongo's errors for those cases.
 */
type FastOp = { op: '$set' | '$unset' | '$inc' | '$mul' | '$min' | '$max'; parents: string[]; key: string; val: unknown };

const FAST_OPS = new Set(['$set', '$unset', '$inc', '$mul', '$min', '$max']);
const fastPlans = new WeakMap<UpdateSpec, FastOp[] | null>();

function fastPlan(spec: UpdateSpec): FastOp[] | null {
  let plan = fastPlans.get(spec);
  if (plan === undefined) {
    plan = planFastUpdate(spec) ?? null;
    fastPlans.set(spec, plan);
  }
  return plan;
}

function withCopiedOperands(spec: UpdateSpec): UpdateSpec {
  const out: UpdateSpec = { ...spec };
  for (const op of ['$min', '$max']) {
    const fields = spec[op];
    if (!fields) continue;
    const copy: Doc = {};
    for (const [p, v] of Object.entries(fields)) copy[p] = v !== null && typeof v === 'object' ? cloneDeep(v) : v;
    out[op] = copy;
  }
  return out;
}

/** The fast path alone: whether it changed `doc`, or undefined when it left `doc` to mingo (tests). */
export function applyUpdateFast(doc: Doc, spec: UpdateSpec): boolean | undefined {
  const fast = fastPlan(spec);
  return fast ? applyFast(doc, fast) : undefined;
}

/**
 * Whether the fast path applies this spec (to documents made of plain objects). Such a spec is
 * never mutated by applying it (values are copied into documents), so callers may reuse it.
 */
export function hasFastPlan(spec: UpdateSpec): boolean {
  return fastPlan(spec) !== null;
}

function planFastUpdate(spec: UpdateSpec): FastOp[] | undefined {
  const ops: FastOp[] = [];
  const paths: string[] = [];
  for (const [op, fields] of Object.entries(spec)) {
    if (!FAST_OPS.has(op) || !isPlainObject(fields)) return undefined;
    for (const [p, val] of Object.entries(fields)) {
      if (!isSimplePath(p) || touchesId(p)) return undefined;
      // mingo refuses a NaN amount when the operator is built; leave that to it.
      if ((op === '$inc' || op === '$mul') && (typeof val !== 'number' || Number.isNaN(val))) return undefined;
      const segs = p.split('.');
      ops.push({ op: op as FastOp['op'], parents: segs.slice(0, -1), key: segs[segs.length - 1], val });
      paths.push(p);
    }
  }
  // Conflicting paths (one equal to or inside another) are mingo's to refuse.
  const all = new Set(paths);
  if (all.size !== paths.length) return undefined;
  for (const p of paths) {
    for (let dot = p.indexOf('.'); dot !== -1; dot = p.indexOf('.', dot + 1)) if (all.has(p.slice(0, dot))) return undefined;
  }
  return ops;
}

const isMingoObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v) && typeOf(v) === 'object';

/** The object holding the field: `null` when a parent is missing, `undefined` when the walk must give up. */
function parentOf(doc: Doc, parents: string[]): Doc | null | undefined {
  let cur: Doc = doc;
  for (const seg of parents) {
    const next = cur[seg];
    if (next === undefined) return null;
    if (!isMingoObject(next)) return undefined;
    cur = next;
  }
  return cur;
}

/** Applies the plan, or returns undefined (document untouched) when mingo must do it. */
function applyFast(doc: Doc, ops: FastOp[]): boolean | undefined {
  if (!isMingoObject(doc)) return undefined;
  // Check everything first so that a fallback starts from the untouched document.
  for (const o of ops) {
    const parent = parentOf(doc, o.parents);
    if (parent === undefined) return undefined;
    if ((o.op === '$inc' || o.op === '$mul') && parent !== null) {
      const v = parent[o.key];
      if (v !== undefined && (typeof v !== 'number' || Number.isNaN(v))) return undefined;
    }
  }
  let changed = false;
  for (const o of ops) {
    let parent = parentOf(doc, o.parents);
    if (parent === null) {
      if (o.op === '$unset') continue;
      // mingo's walk with buildGraph: missing parents become empty objects.
      let cur: Doc = doc;
      for (const seg of o.parents) {
        if (cur[seg] === undefined) cur[seg] = {};
        cur = cur[seg] as Doc;
      }
      parent = cur;
    }
    const p = parent as Doc;
    const k = o.key;
    switch (o.op) {
      case '$set':
        if (isEqual(p[k], o.val)) break;
        p[k] = cloneDeep(o.val);
        changed = true;
        break;
      case '$unset': {
        if (!Object.prototype.hasOwnProperty.call(p, k)) break;
        const prev = p[k];
        delete p[k];
        if (!isEqual(prev, undefined)) changed = true;
        break;
      }
      case '$inc': {
        const prev = p[k] as number | undefined;
        const next = (prev || 0) + (o.val as number);
        p[k] = next;
        if (next !== prev) changed = true;
        break;
      }
      case '$mul': {
        const prev = p[k] as number | undefined;
        const next = prev === undefined ? 0 : prev * (o.val as number);
        p[k] = next;
        if (next !== prev) changed = true;
        break;
      }
      // mingo assigns the operand itself; a copy keeps a cached spec out of documents.
      case '$min':
        if (p[k] !== undefined && compare(p[k], o.val) < 1) break;
        p[k] = cloneDeep(o.val);
        changed = true;
        break;
      case '$max':
        if (compare(p[k], o.val) > -1) break;
        p[k] = cloneDeep(o.val);
        changed = true;
        break;
    }
  }
  return changed;
}
