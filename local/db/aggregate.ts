/**
 * aggregateDocuments: the stages CloudBase documents (minus geoNear), evaluated by mingo.
 *
 * CloudBase returns at most 20 results when the pipeline has no `$limit` stage (observed by the
 * community, like the client-side 20 default of get()); we do the same so code that forgets
 * `.limit()` fails locally too.
 */
import { aggregate } from 'mingo';
import { decodeStored, type Doc, isPlainObject, parseWire } from './ejson';
import { invalidOperator, invalidParam } from './errors';
import { compileQuery, fromMingo, MINGO_OPTIONS, validateExpression, validateQuery } from './query';
import { findCommitted } from './read';
import type { CollectionInfo, Store } from './store';

export const AGGREGATE_DEFAULT_LIMIT = 20;

const STAGES = new Set([
  '$match', '$group', '$sort', '$skip', '$limit', '$project', '$count', '$unwind', '$lookup',
  '$addFields', '$replaceRoot', '$sortByCount', '$sample', '$bucket', '$bucketAuto',
]);

/** Wire stages `[{stageKey, stageValue: JSON/EJSON text}]` to a mingo pipeline. */
export function parsePipeline(stages: unknown, now: number): Doc[] {
  if (!Array.isArray(stages)) throw invalidParam('stages must be an array');
  const pipeline = stages.map((s: unknown) => {
    if (!isPlainObject(s) || typeof s.stageKey !== 'string' || typeof s.stageValue !== 'string') throw invalidParam('invalid aggregate stage');
    return { [s.stageKey]: parseWire(s.stageValue, now) };
  });
  validatePipeline(pipeline);
  return pipeline;
}

function validatePipeline(pipeline: unknown): void {
  if (!Array.isArray(pipeline)) throw invalidParam('pipeline must be an array');
  for (const stage of pipeline) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1) throw invalidParam('each stage needs exactly one operator');
    const [key, value] = Object.entries(stage)[0];
    if (!STAGES.has(key)) throw invalidOperator(key, 'aggregate stage');
    if (key === '$match') validateQuery(value);
    else if (key === '$lookup' && isPlainObject(value) && value.pipeline !== undefined) {
      validatePipeline(value.pipeline);
      validateExpression(value.let);
    } else validateExpression(value);
  }
}

/** Runs inside `Store.read()`, so the pipeline and its lookups see one snapshot. */
export function runAggregate(store: Store, coll: CollectionInfo, pipeline: Doc[]): Doc[] {
  const first = pipeline[0];
  // A leading $match narrows the input through the planner; mingo applies it again.
  const input = first && isPlainObject(first.$match)
    ? findCommitted(store, coll, first.$match, compileQuery(first.$match), { order: [], offset: 0, limit: Infinity }).map((f) => f.doc)
    : allDocs(store, coll);
  const cache = new Map<string, Doc[]>();
  const collectionResolver = (name: string): Doc[] => {
    let docs = cache.get(name);
    if (!docs) {
      docs = allDocs(store, store.collection(name));
      cache.set(name, docs);
    }
    return docs;
  };
  let out: Doc[];
  try {
    out = aggregate(input, pipeline, { ...MINGO_OPTIONS, collectionResolver }) as Doc[];
  } catch (e) {
    throw fromMingo(e, 'aggregate');
  }
  return pipeline.some((s) => '$limit' in s) ? out : out.slice(0, AGGREGATE_DEFAULT_LIMIT);
}

function allDocs(store: Store, coll: CollectionInfo): Doc[] {
  return (store.stmt(`SELECT doc FROM ${coll.table}`).all() as { doc: string }[]).map((r) => decodeStored(r.doc));
}
