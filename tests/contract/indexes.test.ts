/**
 * Unique indexes behave like CloudBase's (E11000, nothing written), and the SQL query planning
 * narrows candidates without ever changing results.
 */
import fc from 'fast-check';
import { find } from 'mingo';
import { parseWire, toWire } from '../../local/db/ejson';
import { compileQuery, parseOrder } from '../../local/db/query';
import { explainFind } from '../../local/db/read';
import { Store } from '../../local/db/store';
import { failure, type Local, openLocal, type Sdk, removeDbFile, tempDbFile, testCollections } from './helpers';

let L: Local;
let file: string;
beforeAll(() => {
  file = tempDbFile();
  L = openLocal({ file });
});
beforeEach(() => L.ldb.clear());
afterAll(() => {
  L.ldb.close();
  removeDbFile(file);
});

describe('unique indexes', () => {
  it('refuses a duplicate on insert with E11000 naming the index and key; nothing is written', async () => {
    await L.c('items').add({ data: { _id: 'a', sku: 'S1' } });
    const err = await failure(L.c('items').add({ data: [{ _id: 'b', sku: 'S2' }, { _id: 'c', sku: 'S1' }] }));
    expect(err.errCode).toBe(-502001);
    expect(err.errMsg).toContain('[FailedOperation.Insert] E11000 duplicate key error collection: items index: sku dup key: { sku: "S1" }');
    expect((await L.c('items').count()).total).toBe(1);
  });

  it('refuses a duplicate on update (doc and where) with FailedOperation.Update; the data is unchanged', async () => {
    await L.c('items').add({ data: [{ _id: 'a', sku: 'S1', n: 1 }, { _id: 'b', sku: 'S2', n: 1 }, { _id: 'c', sku: 'S3', n: 1 }] });
    const err = await failure(L.c('items').doc('b').update({ data: { sku: 'S1', n: 2 } }));
    expect(err.errMsg).toMatch(/\[FailedOperation\.Update\] E11000 .* index: sku dup key: \{ sku: "S1" \}/);
    // A multi-document update that collides half-way writes nothing at all.
    const multi = await failure(L.c('items').where({ n: 1 }).update({ data: { sku: 'same' } }));
    expect(multi.errMsg).toMatch(/E11000/);
    const docs = (await L.c('items').orderBy('_id', 'asc').get()).data;
    expect(docs.map((d: Sdk) => [d._id, d.sku, d.n])).toEqual([['a', 'S1', 1], ['b', 'S2', 1], ['c', 'S3', 1]]);
    const set = await failure(L.c('items').doc('c').set({ data: { sku: 'S2' } }));
    expect(set.errMsg).toMatch(/E11000/);
    expect((await L.c('items').doc('c').get()).data.sku).toBe('S3');
  });

  it('documents without the unique field do not collide (SQLite NULLs are distinct)', async () => {
    await L.c('items').add({ data: [{ _id: 'a' }, { _id: 'b' }, { _id: 'c', sku: null }, { _id: 'd', sku: null }] });
    expect((await L.c('items').count()).total).toBe(4);
  });

  it('tells values of different types apart where SQLite could not: "1" and 1', async () => {
    await L.c('items').add({ data: [{ _id: 'a', sku: '1' }, { _id: 'b', sku: 1 }] });
    expect((await L.c('items').where({ sku: 1 }).get()).data.map((d: Sdk) => d._id)).toEqual(['b']);
    expect((await L.c('items').where({ sku: '1' }).get()).data.map((d: Sdk) => d._id)).toEqual(['a']);
  });
});

describe('query planning', () => {
  const plan = (collection: string, query: object, order: object = {}) => {
    const store = new Store(file, testCollections);
    try {
      const q = parseWire(toWire(query), Date.now()) as Record<string, unknown>;
      return explainFind(store, store.collection(collection), q, parseOrder(order));
    } finally {
      store.close();
    }
  };

  it('pushes _id equality and $in to the primary key', () => {
    expect(plan('items', { _id: 'a' }).detail.join()).toMatch(/USING (COVERING )?INDEX sqlite_autoindex_items_1 \(id=\?\)/);
    expect(plan('items', { _id: { $in: ['a', 'b'] }, x: 1 }).detail.join()).toMatch(/sqlite_autoindex_items_1/);
  });

  it('pages by _id through the primary key (string ids), range and order', () => {
    const p = plan('items', { _id: { $gt: 'k' } }, { _id: 1 });
    expect(p.plan.exact).toBe(true);
    expect(p.detail.join()).toMatch(/sqlite_autoindex_items_1 \(id>\? AND id<\?\)|sqlite_autoindex_items_1 \(id>\?\)/);
    expect(p.detail.join()).not.toMatch(/TEMP B-TREE/);
  });

  it('pushes equality, $in and ranges on a leading index key, and marks exact plans', () => {
    const eq = plan('items', { cat: 'food' });
    expect(eq.detail.join()).toMatch(/USING INDEX items\$cat_price/);
    expect(eq.plan.exact).toBe(true);
    const range = plan('items', { at: { $gte: new Date(0), $lt: new Date(1000) } });
    expect(range.detail.join()).toMatch(/USING INDEX items\$at/);
    expect(range.plan.exact).toBe(true);
    const partial = plan('items', { cat: { $in: ['a', 'b'] }, note: /x/ });
    expect(partial.detail.join()).toMatch(/items\$cat_price/);
    expect(partial.plan.exact).toBe(false);
    expect(plan('items', { note: 'x' }).plan.where).toBe('');
  });

  it('serves the order from an index after an equality prefix, without a temp sort', () => {
    const p = plan('items', { cat: 'food' }, { price: -1 });
    expect(p.plan.orderBy).toBeDefined();
    expect(p.detail.join()).not.toMatch(/TEMP B-TREE/);
    expect(plan('items', {}, { at: -1 }).detail.join()).toMatch(/SCAN items USING INDEX items\$at/);
    expect(plan('items', {}, { price: 1 }).plan.orderBy).toBeUndefined();
  });

  it('stops using an index once an array is stored under its field (multikey), results stay right', async () => {
    await L.c('members').add({ data: [{ _id: 'a', tags: 'vip' }, { _id: 'b', tags: 'new' }] });
    expect(plan('members', { tags: 'vip' }).plan.where).not.toBe('');
    await L.c('members').add({ data: { _id: 'c', tags: ['vip', 'old'] } });
    expect(plan('members', { tags: 'vip' }).plan.where).toBe('');
    expect((await L.c('members').where({ tags: 'vip' }).get()).data.map((d: Sdk) => d._id).sort()).toEqual(['a', 'c']);
  });

  it('reuses a plan for queries of one shape with new values, each answered with its own values', async () => {
    await L.c('members').add({
      data: [
        { _id: 'a', level: 'gold', tags: 'vip', city: 'sh' },
        { _id: 'b', level: 'gold', tags: 'new', city: 'bj' },
        { _id: 'c', level: 'silver', tags: 'vip', city: 'sh' },
        { _id: 'd', level: 'vip', tags: 'vip', city: 'gz' },
      ],
    });
    const ids = async (q: Sdk) => (await L.c('members').where(q).get()).data.map((d: Sdk) => d._id).sort();
    expect(await ids({ level: 'gold', tags: 'vip' })).toEqual(['a']);
    expect(await ids({ level: 'gold', tags: 'new' })).toEqual(['b']);
    expect(await ids({ level: 'silver', tags: 'vip' })).toEqual(['c']);
    // Two fields with the same value: the parameters cannot be told apart, so this one is planned afresh.
    expect(await ids({ level: 'vip', tags: 'vip' })).toEqual(['d']);
    expect(await ids({ level: 'gold', tags: 'vip' })).toEqual(['a']);
    expect(await ids({ level: 'nobody', tags: 'vip' })).toEqual([]);
    // An array under an indexed field changes the facts: the kept plan is not used any more.
    await L.c('members').add({ data: { _id: 'e', level: 'gold', tags: ['vip', 'old'], city: 'sh' } });
    expect(await ids({ level: 'gold', tags: 'vip' })).toEqual(['a', 'e']);
    expect(await ids({ level: 'gold', tags: 'old' })).toEqual(['e']);
  });
});

describe('planned queries return what a full scan returns', () => {
  const date = fc.integer({ min: 0, max: 3 }).map((d) => new Date(Date.UTC(2024, 0, 1 + d)));
  const byKind = {
    string: fc.constantFrom('a', 'b', 'c', '', '1'),
    number: fc.oneof(fc.integer({ min: -2, max: 3 }), fc.constant(1.5)),
    bool: fc.boolean(),
    date,
    null: fc.constant(null),
  };
  const mixed = fc.oneof(...Object.values(byKind));
  // Half the runs keep one type per field, so that index-served ordering gets exercised too.
  const valueFor = (kind: keyof typeof byKind | 'mixed') => (kind === 'mixed' ? mixed : fc.oneof({ arbitrary: byKind[kind], weight: 5 }, { arbitrary: byKind.null, weight: 1 }));
  const scenario = fc.constantFrom('mixed', 'string', 'number', 'bool', 'date', 'mixed', 'mixed').chain((kind) => {
    const value = valueFor(kind as keyof typeof byKind | 'mixed');
    const doc = fc.record({ level: value, joinedAt: value, other: mixed }, { requiredKeys: ['other'] });
    const cond = fc.oneof(
      value,
      value.map((v) => ({ $eq: v })),
      fc.array(value, { maxLength: 3 }).map((vs) => ({ $in: vs })),
      fc.tuple(fc.constantFrom('$gt', '$gte', '$lt', '$lte'), value).map(([op, v]) => ({ [op]: v })),
      fc.tuple(value, value).map(([a, b]) => ({ $gte: a, $lt: b })),
      value.map((v) => ({ $ne: v })),
    );
    const idValue = fc.oneof(fc.integer({ min: 0, max: 30 }).map((i) => `d${i}`), fc.integer({ min: 0, max: 30 }), fc.constantFrom('', 'd', 'e'));
    const idCond = fc.oneof(
      idValue,
      fc.array(idValue, { maxLength: 4 }).map((vs) => ({ $in: vs })),
      fc.tuple(fc.constantFrom('$gt', '$gte', '$lt', '$lte'), idValue).map(([op, v]) => ({ [op]: v })),
    );
    const query = fc.record({ _id: idCond, level: cond, joinedAt: cond, other: cond }, { requiredKeys: [] });
    return fc.tuple(fc.array(doc, { minLength: 1, maxLength: 25 }), query, fc.boolean());
  });
  const order = fc.constantFrom({}, { level: 1 }, { joinedAt: -1 }, { joinedAt: 1 }, { level: -1, joinedAt: 1 }, { level: 1, joinedAt: -1 }, { _id: 1 }, { _id: -1 });

  it('for get (with order and limit) and count', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, order, fc.integer({ min: 1, max: 30 }), async ([docs, q, numberIds], o, limit) => {
        L.ldb.clear();
        const withIds = docs.map((d, i) => ({ _id: numberIds && i % 3 === 0 ? i : `d${i}`, ...d }));
        await L.ldb.send('database.insertDocument', { collectionName: 'members', data: withIds.map((d) => toWire(d)) });
        const wireQuery = toWire(q);
        // The oracle: the executor's matcher (mingo plus its Mongo fixes) over every document.
        const matches = compileQuery(parseWire(wireQuery, 0) as Record<string, unknown>);
        const expectedDocs = withIds.filter((d) => matches(d as Record<string, unknown>));
        const expected = expectedDocs.map((d) => d._id);
        const count = await L.ldb.send('database.calculateDocument', { collectionName: 'members', queryType: 'WHERE', query: wireQuery });
        expect((count.data as { total: number }).total).toBe(expected.length);
        const got = await L.ldb.send('database.getDocument', { collectionName: 'members', queryType: 'WHERE', query: wireQuery, order: toWire(o), limit });
        const list = (got.data as { list: string[] }).list.map((t) => (parseWire(t, 0) as { _id: string | number })._id);
        expect(list.length).toBe(Math.min(limit, expected.length));
        expect(list.every((id) => expected.includes(id))).toBe(true);
        if (Object.keys(o).length > 0) {
          // Ties may come in any order, so compare the sort keys of the first `limit` documents.
          const byId = new Map(withIds.map((d) => [d._id, d as Record<string, unknown>]));
          const keyOf = (id: string | number) => toWire(Object.keys(o).map((k) => byId.get(id)?.[k] ?? null));
          const mingoOrder = find(expectedDocs, {}).sort(o as Record<string, 1 | -1>).all().map((d) => d._id as string | number);
          expect(list.map(keyOf)).toEqual(mingoOrder.slice(0, limit).map(keyOf));
        }
      }),
      { numRuns: 300 },
    );
  });
});
