/**
 * Update documents. mingo applies the operators; before that we refuse what CloudBase refuses
 * (unknown operators, any write to `_id`) and raise the errors Mongo raises where mingo would
 * silently do nothing ($inc on a string, $push on a non-array, a path through a scalar).
 */
import { update as mingoUpdate } from 'mingo';
import { describe, type Doc, isPlainObject, toWire } from './ejson';
import { cannotUpdateId, invalidOperator, invalidParam, requestFailed } from './errors';
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
