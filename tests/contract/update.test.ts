/** Every update operator CloudBase exposes, and Mongo's errors where a value has the wrong type. */
import { failure, type Local, openLocal, type Sdk } from './helpers';

let L: Local;
beforeAll(() => {
  L = openLocal();
});
beforeEach(async () => {
  L.ldb.clear();
  await L.c('orders').add({
    data: { _id: 'u', n: 10, price: 3, name: 'x', obj: { a: 1, b: 2 }, arr: [1, 2, 3], set: ['a'], when: new Date('2024-01-01T00:00:00Z'), items: [{ k: 1 }, { k: 2 }, { k: 3 }], gone: 'bye' },
  });
});
afterAll(() => L.ldb.close());

const update = (data: object) => L.c('orders').doc('u').update({ data });
const get = async (): Promise<Sdk> => (await L.c('orders').doc('u').get()).data;

it('set (plain and _.set) and remove', async () => {
  await update({ name: 'y', 'obj.c': 3, fresh: { deep: true }, gone: L._.remove() });
  let d = await get();
  expect(d).toMatchObject({ name: 'y', obj: { a: 1, b: 2, c: 3 }, fresh: { deep: true } });
  expect(d).not.toHaveProperty('gone');
  await update({ obj: L._.set({ only: 1 }) });
  d = await get();
  expect(d.obj).toEqual({ only: 1 });
});

it('inc and mul, creating missing fields like Mongo (inc -> n, mul -> 0)', async () => {
  await update({ n: L._.inc(-3), price: L._.mul(2.5), newCount: L._.inc(2), newProduct: L._.mul(7) });
  expect(await get()).toMatchObject({ n: 7, price: 7.5, newCount: 2, newProduct: 0 });
});

it('min and max, on numbers and Dates', async () => {
  await update({ n: L._.min(4), price: L._.max(2), when: L._.max(new Date('2025-01-01T00:00:00Z')) });
  const d = await get();
  expect(d).toMatchObject({ n: 4, price: 3 });
  expect(d.when).toEqual(new Date('2025-01-01T00:00:00Z'));
});

it('rename', async () => {
  await update({ name: L._.rename('title'), 'obj.a': L._.rename('obj.z') });
  const d = await get();
  expect(d.title).toBe('x');
  expect(d).not.toHaveProperty('name');
  expect(d.obj).toEqual({ b: 2, z: 1 });
});

it('push with each, position, sort and slice; unshift', async () => {
  await update({ arr: L._.push([4, 5]) });
  expect((await get()).arr).toEqual([1, 2, 3, 4, 5]);
  await update({ arr: L._.unshift(0) });
  expect((await get()).arr).toEqual([0, 1, 2, 3, 4, 5]);
  await update({ arr: L._.push({ each: [9], position: 2 }) });
  expect((await get()).arr).toEqual([0, 1, 9, 2, 3, 4, 5]);
  await update({ arr: L._.push({ each: [7], sort: -1, slice: 3 }) });
  expect((await get()).arr).toEqual([9, 7, 5]);
  await update({ fresh: L._.push(['a']) });
  expect((await get()).fresh).toEqual(['a']);
});

it('pop and shift', async () => {
  await update({ arr: L._.pop() });
  expect((await get()).arr).toEqual([1, 2]);
  await update({ arr: L._.shift() });
  expect((await get()).arr).toEqual([2]);
});

it('pull (value and condition) and pullAll', async () => {
  await update({ arr: L._.pull(L._.gte(2)), items: L._.pull({ k: 2 }) });
  let d = await get();
  expect(d.arr).toEqual([1]);
  expect(d.items).toEqual([{ k: 1 }, { k: 3 }]);
  await L.c('orders').doc('u').update({ data: { arr: [1, 2, 1, 3] } });
  await update({ arr: L._.pullAll([1, 3]) });
  d = await get();
  expect(d.arr).toEqual([2]);
});

it('addToSet adds only missing values, each value once', async () => {
  await update({ set: L._.addToSet('a') });
  expect((await get()).set).toEqual(['a']);
  await update({ set: L._.addToSet({ $each: ['b', 'a', 'b', 'c'] }) });
  expect((await get()).set).toEqual(['a', 'b', 'c']);
});

it('unchanged values report updated 0', async () => {
  expect((await update({ name: 'x' })).stats.updated).toBe(0);
  expect((await update({ set: L._.addToSet('a') })).stats.updated).toBe(0);
  expect((await update({ name: 'z' })).stats.updated).toBe(1);
});

describe("Mongo's type errors instead of silent no-ops", () => {
  it.each([
    ['inc on a string', () => ({ name: L._.inc(1) }), /Cannot apply \$inc to a value of non-numeric type/],
    ['push on a number', () => ({ n: L._.push(1) }), /must be an array/],
    ['pull on a string', () => ({ name: L._.pull('x') }), /Cannot apply \$pull to a non-array/],
    ['pop on an object', () => ({ obj: L._.pop() }), /non-array type/],
    ['set through a scalar', () => ({ 'n.deep': 1 }), /Cannot create field 'deep'/],
  ])('%s fails with -502001 and changes nothing', async (_name, data, message) => {
    const before = await get();
    const err = await failure(update(data()));
    expect(err.errCode).toBe(-502001);
    expect(err.errMsg).toMatch(message);
    expect(await get()).toEqual(before);
  });

  it('conflicting paths in one update are refused', async () => {
    const err = await failure(L.ldb.send('database.modifyDocument', { collectionName: 'orders', queryType: 'DOC', query: '{"_id":"u"}', multi: false, merge: true, upsert: false, data: JSON.stringify({ $set: { n: 1 }, $inc: { n: 1 } }) }));
    expect(err.code).toBe('DATABASE_REQUEST_FAILED');
    expect(err.message).toMatch(/conflict/);
  });
});

describe('unsupported update operators fail loudly', () => {
  it.each(['$bit', '$currentDate', '$setOnInsert', '$foo'])('%s', async (op) => {
    const err = await failure(L.ldb.send('database.modifyDocument', { collectionName: 'orders', queryType: 'DOC', query: '{"_id":"u"}', multi: false, merge: true, upsert: false, data: JSON.stringify({ [op]: { n: 1 } }) }));
    expect(err.code).toBe('DATABASE_INVALID_OPERRATOR');
    expect(err.message).toContain(op);
  });

  it('through wx-server-sdk: _.bit surfaces as -502002', async () => {
    const err = await failure(update({ n: L._.bit({ and: 1 }) }));
    expect(err.errCode).toBe(-502002);
    expect(err.errMsg).toContain('$bit');
  });

  it('unknown $push modifiers are refused', async () => {
    const err = await failure(L.ldb.send('database.modifyDocument', { collectionName: 'orders', queryType: 'DOC', query: '{"_id":"u"}', multi: false, merge: true, upsert: false, data: JSON.stringify({ $push: { arr: { $each: [1], $foo: 1 } } }) }));
    expect(err.code).toBe('DATABASE_INVALID_OPERRATOR');
    expect(err.message).toContain('$foo');
  });
});

it('a conditional update only touches matching documents', async () => {
  await L.c('orders').add({ data: [{ _id: 's1', stock: 1 }, { _id: 's2', stock: 0 }] });
  const take = (id: string) => L.c('orders').where({ _id: id, stock: L._.gt(0) }).update({ data: { stock: L._.inc(-1) } });
  expect((await take('s1')).stats.updated).toBe(1);
  expect((await take('s1')).stats.updated).toBe(0);
  expect((await take('s2')).stats.updated).toBe(0);
  expect((await L.c('orders').doc('s1').get()).data.stock).toBe(0);
});
