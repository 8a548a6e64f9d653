/**
 * The executor's fast paths agree with the reference paths on generated inputs: the query matcher
 * with mingo, the update operators with preflight + mingo, wire EJSON with bson. Documents mix
 * arrays (of scalars and of sub-documents), nulls, missing fields, numbers (-0, NaN, doubles),
 * strings, booleans and Dates under a few shared field names, so that queries and updates collide
 * with every shape.
 */
import fc from 'fast-check';
import { compileFast } from '../../local/db/match';
import { decodeStored, type Doc, encodeStored, parseWire, parseWireWithBson, toWire, toWireWithBson } from '../../local/db/ejson';
import { compileQuery, compileQueryWithMingo, validateQuery } from '../../local/db/query';
import { applyUpdate, applyUpdateFast, applyUpdateWithMingo, hasFastPlan, parseUpdateSpec } from '../../local/db/update';
import { LocalDatabase } from '../../local/db';
import { EJSON } from '../../local/db/sdk';
import { Store, UnprotectedChange } from '../../local/db/store';
import { removeDbFile, tempDbFile, testCollections } from './helpers';

const RUNS = Number(process.env.FAST_PATH_RUNS ?? 1500);

// ---- values ------------------------------------------------------------------------------------

const dates = [new Date(0), new Date(1_700_000_000_000), new Date(1_700_000_000_001), new Date(-86_400_000)];
/** Few distinct values, so that queries and documents often hold equal ones. */
const atom: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, 1, 2, 1.5, null, 'a', 'b', '', true, false),
  fc.constantFrom(-0, -1, Number.NaN, Infinity, 2 ** 31, '1', 'B', '\u{1F600}'),
  fc.constantFrom(...dates.slice(0, 2)).map((d) => new Date(d.getTime())),
);
/** Wider values for the wire tests. */
const scalar: fc.Arbitrary<unknown> = fc.oneof(
  atom,
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(-2.5, 2 ** 53, 'é'),
  fc.constantFrom(...dates).map((d) => new Date(d.getTime())),
);
const FIELDS = ['a', 'b', 'c'];
const field = fc.constantFrom(...FIELDS);

/** Values up to `depth` levels of arrays/sub-documents over the shared field names. */
const valueOf = (leaf: fc.Arbitrary<unknown>, depth: number): fc.Arbitrary<unknown> =>
  depth <= 0
    ? leaf
    : fc.oneof(
        { weight: 3, arbitrary: leaf },
        { weight: 1, arbitrary: fc.array(valueOf(leaf, depth - 1), { maxLength: 3 }) },
        { weight: 2, arbitrary: fc.dictionary(field, valueOf(leaf, depth - 1), { maxKeys: 3 }) },
      );
const value = (depth: number): fc.Arbitrary<unknown> => valueOf(atom, depth);

const docArb: fc.Arbitrary<Doc> = fc.dictionary(field, value(2), { maxKeys: 3 }).map((d) => ({ _id: 'x', ...d }));

/** A stored document as the executor sees it (Dates revived, no undefined, -0 kept as JSON keeps it). */
const stored = (d: Doc): Doc => decodeStored(encodeStored(d));

const path = fc.oneof(
  { weight: 3, arbitrary: field },
  { weight: 2, arbitrary: fc.tuple(field, field).map(([x, y]) => `${x}.${y}`) },
  { weight: 1, arbitrary: fc.tuple(field, field, field).map((p) => p.join('.')) },
);

// ---- queries -----------------------------------------------------------------------------------

/** Queries whose operands are often values found in `docs`, so that comparisons hit equality. */
function queryFor(docs: Doc[]): fc.Arbitrary<Doc> {
  const pool: unknown[] = [];
  const collect = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object' && !(v instanceof Date)) Object.values(v).forEach(collect);
    else pool.push(v);
  };
  docs.forEach(collect);
  const operand = pool.length ? fc.oneof(atom, fc.constantFrom(...pool)) : atom;
  const inList = fc.array(operand, { maxLength: 4 });
  const opCondition: fc.Arbitrary<Doc> = fc
    .array(
      fc.oneof(
        fc.tuple(fc.constantFrom('$eq', '$ne'), fc.oneof(operand, value(1))),
        fc.tuple(fc.constantFrom('$gt', '$gte', '$lt', '$lte'), operand),
        fc.tuple(fc.constantFrom('$in', '$nin'), inList),
        fc.tuple(fc.constant('$exists'), fc.boolean()),
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map((pairs) => Object.fromEntries(pairs));
  const condition = fc.oneof({ weight: 1, arbitrary: fc.oneof(operand, value(1)) }, { weight: 3, arbitrary: opCondition });
  const fieldQuery: fc.Arbitrary<Doc> = fc.dictionary(path, condition, { minKeys: 0, maxKeys: 2 });
  return fc.oneof(
    { weight: 4, arbitrary: fieldQuery },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('$and', '$or', '$nor'), fc.array(fieldQuery, { minLength: 1, maxLength: 3 }), fieldQuery)
        .map(([op, subs, rest]) => ({ ...rest, [op]: subs })),
    },
  );
}
const docsAndQuery = fc.array(docArb, { minLength: 1, maxLength: 4 }).chain((docs) => fc.tuple(fc.constant(docs), queryFor(docs.map(stored))));

function outcome(fn: () => unknown): unknown {
  try {
    return { ok: fn() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe('query matcher', () => {
  it('agrees with mingo on generated documents and queries', () => {
    let decided = 0;
    fc.assert(
      fc.property(docsAndQuery, ([docs, q]) => {
        const valid = outcome(() => validateQuery(q));
        fc.pre('ok' in (valid as object));
        const fast = compileQuery(q);
        const slow = compileQueryWithMingo(q);
        const probe = compileFast(q);
        for (const raw of docs) {
          const doc = stored(raw);
          expect(fast(stored(raw))).toBe(slow(doc));
          if (probe && probe(doc) !== undefined) decided++;
        }
      }),
      { numRuns: RUNS },
    );
    expect(decided).toBeGreaterThan(RUNS / 2); // the fast path did the work, not only mingo
  });

  it('agrees on the SDK shapes the product sends', () => {
    const docs = [{ remaining: 5 }, { remaining: 0 }, { remaining: -1 }, { remaining: '5' }, { remaining: null }, {}, { remaining: [0, 3] }, { remaining: new Date(5) }];
    const queries: Doc[] = [
      { _id: 's', remaining: { $gt: 0 } },
      { _id: 'x', remaining: { $gte: null } },
      { remaining: { $lte: null } },
      { remaining: { $in: [null, 5] } },
      { remaining: { $nin: [5] } },
      { remaining: { $exists: false } },
      { remaining: { $ne: null } },
      { $or: [{ remaining: { $gt: 3 } }, { remaining: '5' }] },
      { $nor: [{ remaining: 0 }] },
    ];
    for (const q of queries) {
      expect(compileFast(q)).toBeDefined();
      for (const d of docs) {
        const doc = stored({ _id: 'x', ...d });
        expect([q, d, compileQuery(q)(doc)]).toEqual([q, d, compileQueryWithMingo(q)(doc)]);
      }
    }
  });
});

// ---- updates -----------------------------------------------------------------------------------

const number = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0.5, -0, 2 ** 31, Number.NaN, -1.5));
const updateSpec: fc.Arbitrary<Doc> = fc
  .array(
    fc.oneof(
      fc.tuple(fc.constant('$set'), path, value(2)),
      fc.tuple(fc.constant('$unset'), path, fc.constant('')),
      fc.tuple(fc.constantFrom('$inc', '$mul'), path, number),
      fc.tuple(fc.constantFrom('$min', '$max'), path, atom),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((ops) => {
    const spec: Record<string, Doc> = {};
    for (const [op, p, v] of ops) (spec[op] ??= {})[p] = v;
    return spec;
  });

function applyOutcome(apply: typeof applyUpdate, doc: Doc, spec: Doc): unknown {
  try {
    const changed = apply(doc, parseUpdateSpec(spec));
    return { changed, doc: encodeStored(doc) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe('update operators', () => {
  it('agree with preflight + mingo on generated documents and updates', () => {
    let decided = 0;
    fc.assert(
      fc.property(docArb, updateSpec, (raw, spec) => {
        const parsed = outcome(() => parseUpdateSpec(spec));
        fc.pre('ok' in (parsed as object));
        if (applyUpdateFast(stored(raw), parseUpdateSpec(spec)) !== undefined) decided++;
        const fast = applyOutcome(applyUpdate, stored(raw), spec);
        const slow = applyOutcome(applyUpdateWithMingo, stored(raw), spec);
        expect(fast).toEqual(slow);
      }),
      { numRuns: RUNS * 2 },
    );
    expect(decided).toBeGreaterThan(RUNS / 2); // the fast path did the work, not only mingo
  });

  it('a reused spec stays as it was after being applied', () => {
    fc.assert(
      fc.property(fc.array(docArb, { minLength: 2, maxLength: 3 }), updateSpec, (docs, spec) => {
        const parsed = outcome(() => parseUpdateSpec(spec));
        fc.pre('ok' in (parsed as object));
        const reused = parseUpdateSpec(spec);
        const before = toWireWithBson(reused);
        for (const raw of docs) {
          const a = stored(raw);
          const b = stored(raw);
          expect(outcome(() => [applyUpdate(a, reused), encodeStored(a)])).toEqual(outcome(() => [applyUpdateWithMingo(b, parseUpdateSpec(spec)), encodeStored(b)]));
          // Documents never share objects with the spec: changing them leaves it as it was.
          for (const v of Object.values(a)) if (v instanceof Date) v.setTime(123);
        }
        expect(hasFastPlan(reused) ? toWireWithBson(reused) : before).toBe(before);
      }),
      { numRuns: RUNS },
    );
  });
});

// ---- wire EJSON --------------------------------------------------------------------------------

/** Equality that tells -0 from 0, NaN from everything but NaN, and Dates by time and type. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b);
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && Object.is(a.getTime(), b.getTime());
  if (a instanceof RegExp || b instanceof RegExp) return String(a) === String(b);
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.join('\u0000') === kb.join('\u0000') && ka.every((k) => same((a as Doc)[k], (b as Doc)[k]));
  }
  return a === b;
}

const wireValue: fc.Arbitrary<unknown> = fc.oneof(
  valueOf(scalar, 3),
  fc.dictionary(fc.constantFrom('$gt', '$in', '$set', '$inc', 'x', '$and'), value(2), { maxKeys: 3 }),
  fc.double().map((n) => ({ n })),
  fc.integer().map((n) => ({ n: n * 1_000_003 })),
  fc.date({ noInvalidDate: true }).map((d) => ({ d })),
);

describe('wire EJSON', () => {
  it('parses canonical and relaxed EJSON exactly as bson does', () => {
    fc.assert(
      fc.property(wireValue, fc.boolean(), (v, relaxed) => {
        const text = EJSON.stringify(v, { relaxed });
        expect(same(parseWire(text, 1000), parseWireWithBson(text, 1000))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('parses the wrappers the SDK sends and odd ones through bson', () => {
    const texts = [
      '{"n":{"$numberInt":"-0"},"d":{"$numberDouble":"-0.0"},"l":{"$numberLong":"123456789012345"},"big":{"$numberLong":"9007199254740993"}}',
      '{"at":{"$date":{"$numberLong":"-1"}},"at2":{"$date":"2024-01-01T00:00:00Z"},"at3":{"$date":5}}',
      '{"x":{"$tcb_server_date":{"offset":{"$numberInt":"250"}}},"y":[{"$tcb_server_date":{}}]}',
      '{"r":{"$regularExpression":{"pattern":"^a","options":"i"}},"q":{"$gt":{"$numberDouble":"Infinity"}}}',
      '{"o":{"$oid":"0123456789abcdef01234567"},"u":{"$undefined":true},"m":{"$numberInt":"1","other":1}}',
      '{"a":{"__proto__":1},"b":{"$numberDouble":"NaN"}}',
      '[{"$numberInt":"7"},{"$date":{"$numberLong":"8"}},"s",null,true]',
    ];
    for (const text of texts) expect([text, same(parseWire(text, 5000), parseWireWithBson(text, 5000))]).toEqual([text, true]);
  });

  it('answers canonical EJSON exactly as bson writes it', () => {
    fc.assert(
      fc.property(wireValue, (v) => {
        expect(toWire(v)).toBe(toWireWithBson(v));
      }),
      { numRuns: RUNS },
    );
    for (const v of [{ a: undefined, b: [undefined, -0, 2 ** 31, -(2 ** 31), 2 ** 63, 1e21, Number.NaN, -Infinity] }, { r: /x/i }, new Date(-1)]) {
      expect(toWire(v)).toBe(toWireWithBson(v));
    }
  });
});

// ---- through the executor ----------------------------------------------------------------------

const send = (db: LocalDatabase, action: string, params: object): Promise<Doc> => db.send(action, params) as Promise<Doc>;

describe('cached queries and updates through the wire protocol', () => {
  it('a repeated query text sees new data, a repeated update text applies to each document', async () => {
    const db = new LocalDatabase({ file: ':memory:', collections: testCollections });
    try {
      const count = async (query: string): Promise<unknown> => ((await send(db, 'database.calculateDocument', { collectionName: 'stock', query })).data as Doc).total;
      const atLeastOne = toWire({ n: { $gte: 1 } });
      expect(await count(atLeastOne)).toBe(0);
      await send(db, 'database.insertDocument', { collectionName: 'stock', data: [toWire({ _id: 'a', n: 1 }), toWire({ _id: 'b', n: 3 }), toWire({ _id: 'c', n: [0, 9] })] });
      expect(await count(atLeastOne)).toBe(3); // c through mingo: an array matches element-wise
      const query = toWire({ _id: { $in: ['a', 'b'] }, n: { $gte: 1 } });
      const data = toWire({ $inc: { n: -1 } });
      const dec = async (): Promise<unknown> =>
        ((await send(db, 'database.modifyDocument', { collectionName: 'stock', queryType: 'WHERE', multi: true, merge: true, query, data })).data as Doc).updated;
      expect([await dec(), await dec(), await dec(), await dec()]).toEqual([2, 1, 1, 0]);
      const list = ((await send(db, 'database.getDocument', { collectionName: 'stock', query: '{}', order: '{"_id":1}' })).data as Doc).list as string[];
      expect(list.map((t) => parseWire(t, 0))).toEqual([
        { _id: 'a', n: 0 },
        { _id: 'b', n: 0 },
        { _id: 'c', n: [0, 9] },
      ]);
      expect(await count(atLeastOne)).toBe(1);
    } finally {
      db.close();
    }
  });

  it('server dates are never served from the cache', async () => {
    let now = 1_000;
    const db = new LocalDatabase({ file: ':memory:', collections: testCollections, now: () => now });
    try {
      await send(db, 'database.insertDocument', { collectionName: 'stock', data: [toWire({ _id: 'a', n: 1 })] });
      const data = '{"$set":{"at":{"$tcb_server_date":{"offset":{"$numberInt":"0"}}}}}';
      const query = '{"_id":"a","n":{"$lt":{"$tcb_server_date":{"offset":{"$numberInt":"0"}}}}}';
      const stamp = async (): Promise<unknown> => {
        await send(db, 'database.modifyDocument', { collectionName: 'stock', queryType: 'DOC', merge: true, query: '{"_id":"a"}', data });
        const got = await send(db, 'database.getDocument', { collectionName: 'stock', queryType: 'DOC', query: '{"_id":"a"}' });
        return (parseWire(((got.data as Doc).list as string[])[0], 0) as Doc).at;
      };
      expect(await stamp()).toEqual(new Date(1_000));
      now = 2_000;
      expect(await stamp()).toEqual(new Date(2_000));
      // A number is never $lt a Date, whatever the clock says; the query still parses each time.
      expect(((await send(db, 'database.calculateDocument', { collectionName: 'stock', query })).data as Doc).total).toBe(0);
    } finally {
      db.close();
    }
  });
});

// ---- what the store caches, across connections (as across processes) --------------------------

describe('store caches stay right when another connection writes', () => {
  let file: string;
  let a: LocalDatabase;
  let b: LocalDatabase;
  beforeEach(() => {
    file = tempDbFile('tcb-fast-');
    a = new LocalDatabase({ file, collections: testCollections });
    b = new LocalDatabase({ file, collections: testCollections });
  });
  afterEach(() => {
    a.close();
    b.close();
    removeDbFile(file);
  });

  it('index facts learnt by another connection reach this one’s planner', async () => {
    const ids = async (db: LocalDatabase, query: Doc): Promise<unknown[]> =>
      (((await send(db, 'database.getDocument', { collectionName: 'members', query: toWire(query) })).data as Doc).list as string[]).map((t) => (parseWire(t, 0) as Doc)._id).sort();
    await send(b, 'database.insertDocument', { collectionName: 'members', data: [toWire({ _id: 'm1', tags: 'vip' })] });
    expect(await ids(a, { tags: 'vip' })).toEqual(['m1']); // a plans on the tags index and caches its facts
    await send(b, 'database.insertDocument', { collectionName: 'members', data: [toWire({ _id: 'm2', tags: ['vip', 'old'] })] });
    expect(await ids(a, { tags: 'vip' })).toEqual(['m1', 'm2']); // the index is multikey now: a must not use it
  });

  it('a transaction that read a document conflicts when another connection deleted and re-inserted it', async () => {
    await send(a, 'database.insertDocument', { collectionName: 'stock', data: [toWire({ _id: 'x', n: 1 })] });
    const { transactionId } = await send(a, 'database.startTransaction', {});
    await send(a, 'database.getDocument', { collectionName: 'stock', queryType: 'DOC', query: '{"_id":"x"}', transactionId });
    await send(a, 'database.modifyDocument', { collectionName: 'stock', queryType: 'DOC', query: '{"_id":"y"}', merge: false, upsert: true, data: toWire({ n: 2 }), transactionId });
    await send(b, 'database.removeDocument', { collectionName: 'stock', queryType: 'DOC', query: '{"_id":"x"}' });
    await send(b, 'database.insertDocument', { collectionName: 'stock', data: [toWire({ _id: 'x', n: 1 })] });
    const err = await send(a, 'database.commitTransaction', { transactionId }).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('DATABASE_TRANSACTION_CONFLICT');
  });

  it('revs keep growing for an id through updates, deletes and re-inserts in either connection', async () => {
    const store = new Store(file, testCollections);
    try {
      const rev = (): number | undefined => store.getRow(store.collection('stock'), 'r')?.rev;
      const seen: number[] = [];
      const put = (db: LocalDatabase): Promise<Doc> => send(db, 'database.insertDocument', { collectionName: 'stock', data: [toWire({ _id: 'r', n: 0 })] });
      const inc = (db: LocalDatabase): Promise<Doc> =>
        send(db, 'database.modifyDocument', { collectionName: 'stock', queryType: 'DOC', query: '{"_id":"r"}', merge: true, data: toWire({ $inc: { n: 1 } }) });
      const del = (db: LocalDatabase): Promise<Doc> => send(db, 'database.removeDocument', { collectionName: 'stock', queryType: 'DOC', query: '{"_id":"r"}' });
      for (const step of [() => put(a), () => inc(a), () => inc(b), () => del(b), () => put(a), () => del(a), () => put(b), () => inc(a)]) {
        await step();
        const r = rev();
        if (r !== undefined) seen.push(r);
      }
      expect(seen.length).toBe(6);
      expect([...seen].sort((x, y) => x - y)).toEqual(seen);
      expect(new Set(seen).size).toBe(seen.length);
    } finally {
      store.close();
    }
  });
});

// ---- group commit --------------------------------------------------------------------------------

describe('concurrent plain writes share transactions but stay atomic one by one', () => {
  it('one write failing in a group (duplicate key) fails alone', async () => {
    const db = new LocalDatabase({ file: ':memory:', collections: testCollections });
    try {
      const writes = Array.from({ length: 40 }, (_v, i) =>
        send(db, 'database.insertDocument', { collectionName: 'stock', data: [toWire({ _id: i === 20 ? 'd5' : `d${i}`, n: i })] }).then(
          () => 'ok',
          (e: { message?: string }) => e.message,
        ),
      );
      const results = await Promise.all(writes);
      expect(results.filter((r) => r !== 'ok')).toEqual([expect.stringMatching(/E11000/)]);
      expect(results[20]).toMatch(/E11000/);
      expect(((await send(db, 'database.calculateDocument', { collectionName: 'stock', query: '{}' })).data as Doc).total).toBe(39);
    } finally {
      db.close();
    }
  });

  it('a multi-document update failing half-way rolls back only its own changes', async () => {
    const db = new LocalDatabase({ file: ':memory:', collections: testCollections });
    try {
      await send(db, 'database.insertDocument', { collectionName: 'stock', data: [toWire({ _id: 'm1', n: 1 }), toWire({ _id: 'm2', n: 'x' }), toWire({ _id: 'm3', n: 1 })] });
      const first = send(db, 'database.modifyDocument', { collectionName: 'stock', queryType: 'DOC', query: '{"_id":"m3"}', merge: true, data: toWire({ $inc: { n: 1 } }) });
      const failing = send(db, 'database.modifyDocument', {
        collectionName: 'stock',
        queryType: 'WHERE',
        multi: true,
        merge: true,
        query: toWire({ _id: { $in: ['m1', 'm2'] } }),
        data: toWire({ $inc: { n: 1 } }),
      }).catch((e: { message?: string }) => e.message);
      const last = send(db, 'database.modifyDocument', { collectionName: 'stock', queryType: 'DOC', query: '{"_id":"m3"}', merge: true, data: toWire({ $inc: { n: 10 } }) });
      await Promise.all([first, last]);
      expect(await failing).toMatch(/Cannot apply \$inc/);
      const list = ((await send(db, 'database.getDocument', { collectionName: 'stock', query: '{}', order: '{"_id":1}' })).data as Doc).list as string[];
      expect(list.map((t) => parseWire(t, 0))).toEqual([
        { _id: 'm1', n: 1 },
        { _id: 'm2', n: 'x' },
        { _id: 'm3', n: 12 },
      ]);
    } finally {
      db.close();
    }
  });

  it('in a group, a unique-index violation, a half-failing multi-insert and a multi-remove each stay whole', async () => {
    const db = new LocalDatabase({ file: ':memory:', collections: testCollections });
    try {
      await send(db, 'database.insertDocument', { collectionName: 'items', data: [toWire({ _id: 'i1', sku: 'A' }), toWire({ _id: 'i2', sku: 'B' }), toWire({ _id: 'i3', sku: 'C' })] });
      const fails = (p: Promise<unknown>): Promise<unknown> => p.then(() => 'ok', (e: { message?: string }) => e.message);
      const results = await Promise.all([
        send(db, 'database.modifyDocument', { collectionName: 'items', queryType: 'DOC', query: '{"_id":"i3"}', merge: true, data: toWire({ $set: { n: 1 } }) }).then(() => 'ok'),
        fails(send(db, 'database.modifyDocument', { collectionName: 'items', queryType: 'DOC', query: '{"_id":"i2"}', merge: true, data: toWire({ $set: { sku: 'A' } }) })),
        fails(send(db, 'database.insertDocument', { collectionName: 'items', data: [toWire({ _id: 'i4', sku: 'D' }), toWire({ _id: 'i5', sku: 'C' })] })),
        send(db, 'database.removeDocument', { collectionName: 'items', queryType: 'WHERE', multi: true, query: toWire({ _id: { $in: ['i1', 'i3'] } }) }).then((r) => (r.data as Doc).deleted),
      ]);
      expect(results).toEqual(['ok', expect.stringMatching(/E11000 .* index: sku/), expect.stringMatching(/E11000 .* index: sku/), 2]);
      const list = ((await send(db, 'database.getDocument', { collectionName: 'items', query: '{}', order: '{"_id":1}' })).data as Doc).list as string[];
      expect(list.map((t) => parseWire(t, 0))).toEqual([{ _id: 'i2', sku: 'B' }]);
    } finally {
      db.close();
    }
  });

  it('a grouped request may not change two rows without atomic(): its whole group fails instead', () => {
    const store = new Store(':memory:', testCollections);
    try {
      const stock = store.collection('stock');
      const twoInserts = (): void => {
        store.insertDoc(stock, { _id: 'u1' });
        store.insertDoc(stock, { _id: 'u2' });
      };
      expect(() => store.write(() => store.grouped(twoInserts))).toThrow(UnprotectedChange);
      expect(store.getRow(stock, 'u1')).toBeUndefined();
      store.write(() =>
        store.grouped(() => {
          store.atomic();
          twoInserts();
        }),
      );
      expect(store.getRow(stock, 'u2')).toBeDefined();
    } finally {
      store.close();
    }
  });

  it('writes still waiting for their group are committed before close()', async () => {
    const file = tempDbFile('tcb-group-');
    try {
      const db = new LocalDatabase({ file, collections: testCollections });
      const pending = Array.from({ length: 5 }, (_v, i) => send(db, 'database.insertDocument', { collectionName: 'stock', data: [toWire({ _id: `p${i}` })] }));
      db.close();
      expect((await Promise.all(pending)).length).toBe(5);
      const again = new LocalDatabase({ file, collections: testCollections });
      expect(((await send(again, 'database.calculateDocument', { collectionName: 'stock', query: '{}' })).data as Doc).total).toBe(5);
      again.close();
    } finally {
      removeDbFile(file);
    }
  });
});
