/** aggregate() stages through wx-server-sdk, including lookup across collections and the 20-row default. */
import { failure, type Local, openLocal, type Sdk } from './helpers';

let L: Local;
let $: Sdk;

beforeAll(async () => {
  L = openLocal();
  $ = L._.aggregate;
  await L.c('users').add({ data: [{ _id: 'u1', name: 'Ann', phone: '1' }, { _id: 'u2', name: 'Bob', phone: '2' }, { _id: 'u3', name: 'Cid', phone: '3' }] });
  await L.c('orders').add({
    data: [
      { _id: 'o1', uid: 'u1', amount: 100, tags: ['a', 'b'], at: new Date('2024-01-01T10:00:00Z') },
      { _id: 'o2', uid: 'u1', amount: 300, tags: ['a'], at: new Date('2024-01-02T10:00:00Z') },
      { _id: 'o3', uid: 'u2', amount: 50, tags: [], at: new Date('2024-01-03T17:00:00Z') },
      { _id: 'o4', uid: 'u9', amount: 70, tags: ['c', 'a'], at: new Date('2024-01-04T10:00:00Z') },
    ],
  });
});
afterAll(() => L.ldb.close());

const agg = () => L.c('orders').aggregate();

it('match + group with sum, avg, min, max, first, last, push, addToSet and a count', async () => {
  const res = await agg()
    .match({ amount: L._.gte(60) })
    .sort({ at: 1 })
    .group({ _id: '$uid', total: $.sum('$amount'), avg: $.avg('$amount'), min: $.min('$amount'), max: $.max('$amount'), first: $.first('$_id'), last: $.last('$_id'), ids: $.push('$_id'), tags: $.addToSet('$uid'), n: $.sum(1) })
    .sort({ _id: 1 })
    .end();
  expect(res.errMsg).toBe('collection.aggregate:ok');
  expect(res.list).toEqual([
    { _id: 'u1', total: 400, avg: 200, min: 100, max: 300, first: 'o1', last: 'o2', ids: ['o1', 'o2'], tags: ['u1'], n: 2 },
    { _id: 'u9', total: 70, avg: 70, min: 70, max: 70, first: 'o4', last: 'o4', ids: ['o4'], tags: ['u9'], n: 1 },
  ]);
});

it('sort, skip, limit, project, addFields, count', async () => {
  const res = await agg().sort({ amount: -1 }).skip(1).limit(2).project({ _id: 0, amount: 1 }).addFields({ double: $.multiply(['$amount', 2]) }).end();
  expect(res.list).toEqual([{ amount: 100, double: 200 }, { amount: 70, double: 140 }]);
  expect((await agg().match({ uid: 'u1' }).count('n').end()).list).toEqual([{ n: 2 }]);
});

it('unwind and sortByCount', async () => {
  const res = await agg().unwind('$tags').sortByCount('$tags').end();
  expect(res.list[0]).toEqual({ _id: 'a', count: 3 });
  expect(res.list).toHaveLength(3);
  const keep = await agg().unwind({ path: '$tags', preserveNullAndEmptyArrays: true }).count('rows').end();
  expect(keep.list).toEqual([{ rows: 6 }]);
});

it('lookup joins another collection; replaceRoot reshapes', async () => {
  const res = await agg()
    .match({ uid: L._.in(['u1', 'u2']) })
    .lookup({ from: 'users', localField: 'uid', foreignField: '_id', as: 'user' })
    .unwind('$user')
    .replaceRoot({ newRoot: { order: '$_id', name: '$user.name' } })
    .sort({ order: 1 })
    .end();
  expect(res.list).toEqual([{ order: 'o1', name: 'Ann' }, { order: 'o2', name: 'Ann' }, { order: 'o3', name: 'Bob' }]);
});

it('lookup with let and a pipeline', async () => {
  const res = await L.c('users')
    .aggregate()
    .lookup({ from: 'orders', let: { id: '$_id' }, pipeline: $.pipeline().match(L._.expr($.eq(['$uid', '$$id']))).project({ _id: 0, amount: 1 }).done(), as: 'orders' })
    .sort({ _id: 1 })
    .end();
  expect(res.list.map((u: Sdk) => [u._id, u.orders.length])).toEqual([['u1', 2], ['u2', 1], ['u3', 0]]);
});

it('lookup into an undeclared collection fails like any missing collection', async () => {
  const err = await failure(agg().lookup({ from: 'ghosts', localField: 'uid', foreignField: '_id', as: 'g' }).end());
  // wx-server-sdk's aggregate keeps the TcbError (errCode -1, `code` intact) instead of mapping it.
  expect(err.errCode).toBe(-1);
  expect(err.code).toBe('DATABASE_COLLECTION_NOT_EXIST');
  expect(err.errMsg).toMatch(/^collection\.aggregate:fail \[ResourceNotFound\] Db or Table not exist: ghosts/);
});

it('dates format in Asia/Shanghai when asked', async () => {
  const res = await agg().match({ _id: 'o3' }).project({ day: $.dateToString({ date: '$at', format: '%Y-%m-%d', timezone: 'Asia/Shanghai' }) }).end();
  expect(res.list).toEqual([{ _id: 'o3', day: '2024-01-04' }]);
});

it('returns at most 20 results without a limit stage (CloudBase default), all with one', async () => {
  await L.c('log').add({ data: Array.from({ length: 45 }, (_v, i) => ({ seq: i })) });
  expect((await L.c('log').aggregate().sort({ seq: 1 }).end()).list).toHaveLength(20);
  expect((await L.c('log').aggregate().sort({ seq: 1 }).limit(100).end()).list).toHaveLength(45);
});

describe('unsupported stages and operators fail loudly (aggregate errors keep code DATABASE_INVALID_OPERRATOR)', () => {
  const raw = (stages: object[]) =>
    failure(L.ldb.send('database.aggregateDocuments', { collectionName: 'orders', stages: stages.map((s) => ({ stageKey: Object.keys(s)[0], stageValue: JSON.stringify(Object.values(s)[0]) })) }));

  it.each(['$facet', '$out', '$graphLookup', '$merge', '$unionWith', '$setWindowFields'])('%s', async (stage) => {
    const err = await raw([{ [stage]: {} }]);
    expect(err.code).toBe('DATABASE_INVALID_OPERRATOR');
    expect(err.message).toContain(stage);
  });

  it('$geoNear through wx-server-sdk', async () => {
    const err = await failure(agg().geoNear({ near: new L.db.Geo.Point(0, 0), spherical: true, distanceField: 'd' }).end());
    expect(err.code).toBe('DATABASE_INVALID_OPERRATOR');
    expect(err.errMsg).toContain('$geoNear');
  });

  it('an unknown expression operator', async () => {
    const err = await failure(agg().project({ x: { $nope: 1 } }).end());
    expect(err.code).toBe('DATABASE_INVALID_OPERRATOR');
    expect(err.errMsg).toContain('$nope');
  });

  it('script operators ($function, $accumulator) are refused', async () => {
    const err = await failure(agg().group({ _id: null, x: { $accumulator: { init: 'function(){}' } } }).end());
    expect(err.code).toBe('DATABASE_INVALID_OPERRATOR');
    expect(err.errMsg).toContain('$accumulator');
    const fn = await failure(agg().addFields({ y: { $function: { body: 'function(){return 1}', args: [], lang: 'js' } } }).end());
    expect(fn.errMsg).toContain('$function');
  });
});
