/** Documents in and out through the real wx-server-sdk: add, get, set, update, remove, errors. */
import tcb from '@cloudbase/node-sdk';
import cloud from 'wx-server-sdk';
import { failure, type Local, openLocal, type Sdk } from './helpers';

let now = Date.UTC(2024, 0, 15, 12, 0, 0);
let L: Local;

beforeAll(() => {
  L = openLocal({ now: () => now });
});
beforeEach(() => L.ldb.clear());
afterAll(() => L.ldb.close());

describe('add', () => {
  it('generates a 32-hex _id and stores the document as given', async () => {
    const res = await L.c('orders').add({ data: { uid: 'u1', amount: 1200, paid: true, note: null } });
    expect(res._id).toMatch(/^[0-9a-f]{32}$/);
    expect(res.errMsg).toBe('collection.add:ok');
    const got = await L.c('orders').doc(res._id).get();
    expect(got.data).toEqual({ _id: res._id, uid: 'u1', amount: 1200, paid: true, note: null });
  });

  it('keeps a custom string or number _id, and 5 and "5" are different documents', async () => {
    expect((await L.c('orders').add({ data: { _id: 'o-1', uid: 'a' } }))._id).toBe('o-1');
    expect((await L.c('orders').add({ data: { _id: 5, uid: 'num' } }))._id).toBe(5);
    expect((await L.c('orders').add({ data: { _id: '5', uid: 'str' } }))._id).toBe('5');
    expect((await L.c('orders').doc(5).get()).data.uid).toBe('num');
    expect((await L.c('orders').doc('5').get()).data.uid).toBe('str');
  });

  it('adds a batch and returns the ids in order', async () => {
    const res = await L.c('orders').add({ data: [{ _id: 'b1', n: 1 }, { n: 2 }, { _id: 'b3', n: 3 }] });
    expect(res._ids).toHaveLength(3);
    expect(res._ids[0]).toBe('b1');
    expect(res._ids[1]).toMatch(/^[0-9a-f]{32}$/);
    expect(res._ids[2]).toBe('b3');
    expect((await L.c('orders').count()).total).toBe(3);
  });

  it('refuses a duplicate _id with E11000 and errCode -502001, keeping the first document', async () => {
    await L.c('orders').add({ data: { _id: 'dup', v: 1 } });
    const err = await failure(L.c('orders').add({ data: { _id: 'dup', v: 2 } }));
    expect(err.errCode).toBe(-502001);
    expect(err.errMsg).toMatch(/^collection\.add:fail -502001 database request fail\. .*E11000 duplicate key error collection: orders index: _id_ dup key: \{ _id: "dup" \}/);
    expect((await L.c('orders').doc('dup').get()).data.v).toBe(1);
  });

  it('inserts a batch all or nothing: a duplicate inside it writes none of it', async () => {
    await L.c('orders').add({ data: { _id: 'x2', v: 0 } });
    const err = await failure(L.c('orders').add({ data: [{ _id: 'x1' }, { _id: 'x2' }, { _id: 'x3' }] }));
    expect(err.errMsg).toMatch(/E11000/);
    expect((await L.c('orders').count()).total).toBe(1);
    const dupInBatch = await failure(L.c('orders').add({ data: [{ _id: 'y' }, { _id: 'y' }] }));
    expect(dupInBatch.errMsg).toMatch(/E11000.*_id_/);
    expect((await L.c('orders').count()).total).toBe(1);
  });
});

describe('values round-trip', () => {
  it('keeps Dates as Dates, numbers as numbers (int, float, large), nested objects and arrays', async () => {
    const when = new Date('2024-02-29T23:59:59.123Z');
    const doc = { _id: 'v', when, int: 42, neg: -7, float: 0.1 + 0.2, big: 2 ** 40, list: [1, 'a', { d: when }], nested: { a: { b: [true, null] } }, empty: {}, s: '中文' };
    await L.c('orders').add({ data: doc });
    const got = (await L.c('orders').doc('v').get()).data;
    expect(got).toEqual(doc);
    expect(got.when).toBeInstanceOf(Date);
    expect(got.list[2].d).toBeInstanceOf(Date);
  });

  it('replaces serverDate() with the executor clock, with offset, in add, update and queries', async () => {
    const { db } = L;
    await L.c('orders').add({ data: { _id: 's', at: db.serverDate(), later: db.serverDate({ offset: 60_000 }) } });
    let got = (await L.c('orders').doc('s').get()).data;
    expect(got.at).toEqual(new Date(now));
    expect(got.later).toEqual(new Date(now + 60_000));
    now += 1000;
    await L.c('orders').doc('s').update({ data: { touched: db.serverDate() } });
    got = (await L.c('orders').doc('s').get()).data;
    expect(got.touched).toEqual(new Date(now));
    const due = await L.c('orders').where({ later: L._.gt(db.serverDate()) }).get();
    expect(due.data.map((d: Sdk) => d._id)).toEqual(['s']);
  });
});

describe('doc().get', () => {
  it('throws errCode -1 for a missing document (wx-server-sdk default)', async () => {
    const err = await failure(L.c('orders').doc('nope').get());
    expect(err.errCode).toBe(-1);
    expect(err.errMsg).toBe('document.get:fail document with _id nope does not exist');
  });

  it('returns data null with throwOnNotFound:false', async () => {
    const db: Sdk = (cloud.database as (c: object) => unknown)({ throwOnNotFound: false });
    expect((await db.collection('orders').doc('nope').get()).data).toBeNull();
  });

  it('applies field() to a single document', async () => {
    await L.c('orders').add({ data: { _id: 'f', a: 1, b: { c: 2, d: 3 } } });
    expect((await L.c('orders').doc('f').field({ 'b.c': true }).get()).data).toEqual({ _id: 'f', b: { c: 2 } });
  });
});

describe('doc().set', () => {
  it('replaces the whole document (except _id) and reports updated 1, created 0', async () => {
    await L.c('orders').add({ data: { _id: 'r', a: 1, keep: 'no' } });
    const res = await L.c('orders').doc('r').set({ data: { b: 2 } });
    expect(res.stats).toEqual({ updated: 1, created: 0 });
    expect((await L.c('orders').doc('r').get()).data).toEqual({ _id: 'r', b: 2 });
  });

  it('creates a missing document (upsert) and reports created 1', async () => {
    const res = await L.c('orders').doc('new').set({ data: { a: 1 } });
    expect(res).toMatchObject({ _id: 'new', stats: { updated: 0, created: 1 } });
    expect((await L.c('orders').doc('new').get()).data).toEqual({ _id: 'new', a: 1 });
  });
});

describe('update and remove counts', () => {
  beforeEach(async () => {
    await L.c('orders').add({ data: [{ _id: 'a', uid: 'u1', n: 1 }, { _id: 'b', uid: 'u1', n: 2 }, { _id: 'c', uid: 'u2', n: 3 }] });
  });

  it('doc().update reports updated 1, or 0 for a missing document (no error)', async () => {
    expect((await L.c('orders').doc('a').update({ data: { n: 10 } })).stats.updated).toBe(1);
    expect((await L.c('orders').doc('zzz').update({ data: { n: 10 } })).stats.updated).toBe(0);
    expect((await L.c('orders').doc('a').get()).data.n).toBe(10);
  });

  it('where().update is multi by default and counts modified documents; multi:false updates one', async () => {
    expect((await L.c('orders').where({ uid: 'u1' }).update({ data: { seen: true } })).stats.updated).toBe(2);
    // Already true: nothing is modified.
    expect((await L.c('orders').where({ uid: 'u1' }).update({ data: { seen: true } })).stats.updated).toBe(0);
    expect((await L.c('orders').where({ uid: 'u1' }).update({ data: { n: L._.inc(1) }, multi: false })).stats.updated).toBe(1);
    const ns = (await L.c('orders').where({ uid: 'u1' }).orderBy('_id', 'asc').get()).data.map((d: Sdk) => d.n);
    expect(ns.reduce((s: number, x: number) => s + x, 0)).toBe(4);
    expect((await L.c('orders').where({ uid: 'nobody' }).update({ data: { n: 0 } })).stats.updated).toBe(0);
  });

  it('where().remove counts removed documents; doc().remove removes one or zero', async () => {
    expect((await L.c('orders').where({ uid: 'u1' }).remove()).stats.removed).toBe(2);
    expect((await L.c('orders').doc('c').remove()).stats.removed).toBe(1);
    expect((await L.c('orders').doc('c').remove()).stats.removed).toBe(0);
    expect((await L.c('orders').count()).total).toBe(0);
  });
});

describe('_id cannot be updated', () => {
  it('is refused by the SDK with -501007', async () => {
    await L.c('orders').add({ data: { _id: 'i', n: 1 } });
    const err = await failure(L.c('orders').doc('i').update({ data: { _id: 'j' } }));
    expect(err.errCode).toBe(-501007);
    expect(err.errMsg).toMatch(/不能更新_id的值/);
  });

  it('is refused by the executor too, in $set, $unset, $rename and set()', async () => {
    await L.c('orders').add({ data: { _id: 'i', n: 1 } });
    const send = (data: object, extra: object = {}) =>
      failure(L.ldb.send('database.modifyDocument', { collectionName: 'orders', queryType: 'DOC', query: '{"_id":"i"}', multi: false, merge: true, upsert: false, data: JSON.stringify(data), ...extra }));
    for (const data of [{ $set: { _id: 'j' } }, { $unset: { _id: '' } }, { $rename: { n: '_id' } }, { $set: { '_id.x': 1 } }]) {
      const err = await send(data);
      expect(err.code).toBe('INVALID_PARAM');
      expect(err.message).toBe('不能更新_id的值');
    }
    const replace = await send({ _id: 'j', n: 2 }, { merge: false, upsert: true });
    expect(replace.code).toBe('INVALID_PARAM');
    expect((await L.c('orders').doc('i').get()).data).toEqual({ _id: 'i', n: 1 });
  });
});

describe('dot paths', () => {
  it('queries and updates nested fields and array elements', async () => {
    await L.c('orders').add({ data: { _id: 'd', addr: { city: 'SH', geo: { zip: '200000' } }, lines: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2 }] } });
    expect((await L.c('orders').where({ 'addr.city': 'SH' }).count()).total).toBe(1);
    // Plain nested objects in where() are flattened to dot paths by the SDK.
    expect((await L.c('orders').where({ addr: { geo: { zip: '200000' } } }).count()).total).toBe(1);
    expect((await L.c('orders').where({ 'lines.1.sku': 'b' }).count()).total).toBe(1);
    expect((await L.c('orders').where({ 'lines.0.sku': 'b' }).count()).total).toBe(0);
    expect((await L.c('orders').where({ 'lines.sku': 'b' }).count()).total).toBe(1);
    await L.c('orders').doc('d').update({ data: { 'lines.1.qty': L._.inc(5), addr: { geo: { zip: '200001' } } } });
    const got = (await L.c('orders').doc('d').get()).data;
    expect(got.lines[1]).toEqual({ sku: 'b', qty: 7 });
    // Nested objects in update data merge field by field (city is kept).
    expect(got.addr).toEqual({ city: 'SH', geo: { zip: '200001' } });
    await L.c('orders').doc('d').update({ data: { addr: L._.set({ city: 'BJ' }) } });
    expect((await L.c('orders').doc('d').get()).data.addr).toEqual({ city: 'BJ' });
  });
});

describe('collections', () => {
  it('an undeclared collection fails with -502005 and the ResourceNotFound message', async () => {
    const err = await failure(L.c('ghosts').get());
    expect(err.errCode).toBe(-502005);
    expect(err.errMsg).toMatch(/\[ResourceNotFound\] Db or Table not exist: ghosts/);
    expect((await failure(L.c('ghosts').add({ data: { a: 1 } }))).errCode).toBe(-502005);
  });

  it('createCollection (addCollection) makes it usable; creating it again fails', async () => {
    const name = `extra_${Date.now()}`;
    expect((await L.db.createCollection(name)).errMsg).toBe('createCollection:ok');
    await L.c(name).add({ data: { _id: 'a' } });
    expect((await L.c(name).count()).total).toBe(1);
    expect((await failure(L.db.createCollection(name))).errMsg).toMatch(/Table exist/);
  });
});

describe('node-sdk raw API over the same executor', () => {
  it('add/get/update/remove/updateAndReturn with the raw shapes', async () => {
    const app = tcb.init({ env: 'raw-env' });
    const db = app.database();
    const _ = db.command;
    const added = await db.collection('orders').add({ _id: 'raw', n: 1 });
    expect(added.id).toBe('raw');
    expect(typeof added.requestId).toBe('string');
    expect((await db.collection('orders').doc('raw').get()).data).toEqual([{ _id: 'raw', n: 1 }]);
    expect((await db.collection('orders').doc('missing').get()).data).toEqual([]);
    expect((await db.collection('orders').where({ n: _.gte(1) }).update({ m: 1 })).updated).toBe(1);
    const ret = await db.collection('orders').where({ _id: 'raw' }).updateAndReturn({ n: _.inc(4) });
    expect(ret).toMatchObject({ updated: 1, doc: { _id: 'raw', n: 5, m: 1 } });
    expect((await db.collection('orders').where({ _id: 'raw' }).remove()).deleted).toBe(1);
    const err = await failure(db.collection('ghosts').get());
    expect(err.code).toBe('DATABASE_COLLECTION_NOT_EXIST');
  });
});
