/** Query operators, order/skip/limit/field and the get() limits, through the real wx-server-sdk. */
import { failure, type Local, openLocal, type Sdk } from './helpers';

let L: Local;
const ids = (res: Sdk): unknown[] => res.data.map((d: Sdk) => d._id).sort();

const people = [
  { _id: 'p1', name: 'Ann', age: 30, city: 'SH', tags: ['vip', 'new'], score: [80, 95], addr: { zip: '200000' }, joined: new Date('2024-01-01T00:00:00Z'), kids: [{ name: 'x', age: 3 }] },
  { _id: 'p2', name: 'bob', age: 25, city: 'BJ', tags: ['new'], score: [60], addr: { zip: '100000' }, joined: new Date('2024-03-01T00:00:00Z'), kids: [] },
  { _id: 'p3', name: 'Cid', age: 41, city: 'SH', tags: [], score: [], joined: new Date('2023-06-01T00:00:00Z'), nick: null, kids: [{ name: 'y', age: 9 }, { name: 'z', age: 12 }] },
  { _id: 'p4', name: 'Dee', age: '41', city: 'GZ', tags: ['vip'], score: [99, 70, 88], joined: new Date('2024-05-01T00:00:00Z') },
];

beforeAll(async () => {
  L = openLocal();
  await L.c('users').add({ data: people });
});
afterAll(() => L.ldb.close());

const where = async (q: object) => ids(await L.c('users').where(q).get());

describe('comparison operators', () => {
  it('eq / neq match by value and type (41 is not "41")', async () => {
    expect(await where({ age: 41 })).toEqual(['p3']);
    expect(await where({ age: L._.eq('41') })).toEqual(['p4']);
    expect(await where({ city: L._.neq('SH') })).toEqual(['p2', 'p4']);
  });

  it('gt / gte / lt / lte compare within a type (a string age never matches a number range)', async () => {
    expect(await where({ age: L._.gt(30) })).toEqual(['p3']);
    expect(await where({ age: L._.gte(30) })).toEqual(['p1', 'p3']);
    expect(await where({ age: L._.lt(30) })).toEqual(['p2']);
    expect(await where({ age: L._.lte(30) })).toEqual(['p1', 'p2']);
    expect(await where({ age: L._.gt(20).and(L._.lt(35)) })).toEqual(['p1', 'p2']);
    expect(await where({ name: L._.gte('a') })).toEqual(['p2']); // lowercase sorts after uppercase
  });

  it('compares Dates as instants', async () => {
    expect(await where({ joined: L._.gte(new Date('2024-01-01T00:00:00Z')) })).toEqual(['p1', 'p2', 'p4']);
    expect(await where({ joined: new Date('2024-03-01T00:00:00Z') })).toEqual(['p2']);
  });

  it('in / nin, including element-wise matching on arrays', async () => {
    expect(await where({ city: L._.in(['SH', 'GZ']) })).toEqual(['p1', 'p3', 'p4']);
    expect(await where({ city: L._.nin(['SH', 'GZ']) })).toEqual(['p2']);
    expect(await where({ tags: L._.in(['vip']) })).toEqual(['p1', 'p4']);
    expect(await where({ tags: L._.nin(['vip']) })).toEqual(['p2', 'p3']);
  });
});

describe('arrays', () => {
  it('a scalar condition matches any element; neq excludes arrays containing the value', async () => {
    expect(await where({ tags: 'new' })).toEqual(['p1', 'p2']);
    expect(await where({ tags: L._.neq('new') })).toEqual(['p3', 'p4']);
    expect(await where({ score: L._.gt(90) })).toEqual(['p1', 'p4']);
  });

  it('all, size, elemMatch', async () => {
    expect(await where({ tags: L._.all(['vip', 'new']) })).toEqual(['p1']);
    expect(await where({ tags: L._.size(0) })).toEqual(['p3']);
    expect(await where({ score: L._.size(3) })).toEqual(['p4']);
    expect(await where({ kids: L._.elemMatch({ age: L._.gt(5), name: 'z' }) })).toEqual(['p3']);
    // Without elemMatch the two conditions may hold on different elements.
    expect(await where({ 'kids.age': L._.gt(10), 'kids.name': 'y' })).toEqual(['p3']);
    expect(await where({ kids: L._.elemMatch({ age: L._.gt(10), name: 'y' }) })).toEqual([]);
    expect(await where({ score: L._.elemMatch(L._.gt(96)) })).toEqual(['p4']);
  });

  it('array index paths', async () => {
    expect(await where({ 'score.0': L._.gte(80) })).toEqual(['p1', 'p4']);
    expect(await where({ 'kids.1.name': 'z' })).toEqual(['p3']);
  });
});

describe('element and evaluation operators', () => {
  it('exists distinguishes missing from null; eq null matches both', async () => {
    expect(await where({ nick: L._.exists(true) })).toEqual(['p3']);
    expect(await where({ addr: L._.exists(false) })).toEqual(['p3', 'p4']);
    expect(await where({ nick: null })).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(await where({ nick: L._.neq(null) })).toEqual([]);
  });

  it('gte/lte null match null and missing fields, gt/lt null match nothing (Mongo)', async () => {
    expect(await where({ nick: L._.gte(null) })).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(await where({ nick: L._.lte(null) })).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(await where({ nick: L._.gt(null) })).toEqual([]);
    expect(await where({ age: L._.gte(null) })).toEqual([]);
  });

  it('mod', async () => {
    expect(await where({ age: L._.mod(5, 0) })).toEqual(['p1', 'p2']);
  });

  it('regex via db.RegExp and JS RegExp, with options', async () => {
    expect(await where({ name: L.db.RegExp({ regexp: '^[ab]', options: 'i' }) })).toEqual(['p1', 'p2']);
    expect(await where({ name: /^[ab]/ })).toEqual(['p2']);
    expect(await where({ 'addr.zip': /^2/ })).toEqual(['p1']);
  });

  it('expr compares fields of the same document', async () => {
    await L.c('orders').add({ data: [{ _id: 'e1', paid: 10, due: 10 }, { _id: 'e2', paid: 5, due: 10 }] });
    const $ = L._.aggregate;
    expect(ids(await L.c('orders').where(L._.expr($.lt(['$paid', '$due']))).get())).toEqual(['e2']);
  });
});

describe('logical operators', () => {
  it('and / or / nor / not', async () => {
    expect(await where(L._.and([{ city: 'SH' }, { age: L._.gt(35) }]))).toEqual(['p3']);
    expect(await where(L._.or([{ city: 'BJ' }, { age: L._.gt(35) }]))).toEqual(['p2', 'p3']);
    expect(await where({ age: L._.or(L._.eq(25), L._.eq('41')) })).toEqual(['p2', 'p4']);
    expect(await where(L._.nor([{ city: 'SH' }, { city: 'BJ' }]))).toEqual(['p4']);
    expect(await where({ age: L._.not(L._.gt(26)) })).toEqual(['p2', 'p4']);
  });
});

describe('order, skip, limit, field', () => {
  it('orders by several keys with the first taking precedence', async () => {
    const res = await L.c('users').where({ _id: L._.exists(true) }).orderBy('city', 'desc').orderBy('name', 'asc').get();
    expect(res.data.map((d: Sdk) => d._id)).toEqual(['p1', 'p3', 'p4', 'p2']);
  });

  it('skips and limits after ordering', async () => {
    const res = await L.c('users').orderBy('name', 'asc').skip(1).limit(2).get();
    expect(res.data.map((d: Sdk) => d.name)).toEqual(['Cid', 'Dee']);
  });

  it('field() includes or excludes fields, nested paths too', async () => {
    const inc = await L.c('users').where({ _id: 'p1' }).field({ name: true, 'addr.zip': true }).get();
    expect(inc.data).toEqual([{ _id: 'p1', name: 'Ann', addr: { zip: '200000' } }]);
    const exc = await L.c('users').where({ _id: 'p2' }).field({ kids: false, score: false, joined: false, tags: false }).get();
    expect(exc.data).toEqual([{ _id: 'p2', name: 'bob', age: 25, city: 'BJ', addr: { zip: '100000' } }]);
    const sliced = await L.c('users').where({ _id: 'p4' }).field({ score: L._.project.slice(2) }).get();
    expect(sliced.data[0].score).toEqual([99, 70]);
  });
});

describe('get() limits', () => {
  beforeAll(async () => {
    const many = Array.from({ length: 1200 }, (_v, i) => ({ _id: `m${String(i).padStart(4, '0')}`, i, level: i % 3 }));
    await L.c('members').add({ data: many });
  });

  it('returns 100 documents when no limit is given', async () => {
    expect((await L.c('members').get()).data).toHaveLength(100);
    expect((await L.c('members').where({ level: 1 }).get()).data).toHaveLength(100);
  });

  it('caps at 1000 even when asked for more, server side too', async () => {
    expect((await L.c('members').limit(5000).get()).data).toHaveLength(1000);
    const raw = await L.ldb.send('database.getDocument', { collectionName: 'members', queryType: 'WHERE', limit: 5000 });
    expect((raw.data as { list: unknown[] }).list).toHaveLength(1000);
    const noLimit = await L.ldb.send('database.getDocument', { collectionName: 'members', queryType: 'WHERE' });
    expect((noLimit.data as { list: unknown[] }).list).toHaveLength(100);
  });

  it('pages through everything with skip', async () => {
    const seen = new Set<string>();
    for (let skip = 0; skip < 1200; skip += 100) {
      for (const d of (await L.c('members').orderBy('i', 'asc').skip(skip).limit(100).get()).data) seen.add(d._id);
    }
    expect(seen.size).toBe(1200);
    expect((await L.c('members').count()).total).toBe(1200);
  });
});

describe('unsupported operators fail loudly and name the operator', () => {
  const send = (query: string) => failure(L.ldb.send('database.getDocument', { collectionName: 'users', queryType: 'WHERE', query, limit: 10 }));

  it.each(['$where', '$text', '$jsonSchema', '$comment'])('%s at the top level', async (op) => {
    const err = await send(JSON.stringify({ [op]: op === '$text' ? { $search: 'x' } : {} }));
    expect(err.code).toBe('DATABASE_INVALID_OPERRATOR');
    expect(err.message).toContain(op);
  });

  it.each(['$geoWithin', '$near', '$type', '$bitsAllSet'])('%s on a field', async (op) => {
    const err = await send(JSON.stringify({ a: { [op]: 1 } }));
    expect(err.code).toBe('DATABASE_INVALID_OPERRATOR');
    expect(err.message).toContain(op);
  });

  it('surfaces as errCode -502002 through wx-server-sdk', async () => {
    const err = await failure(L.c('users').where({ loc: L._.geoWithin({ geometry: new L.db.Geo.Polygon([new L.db.Geo.LineString([new L.db.Geo.Point(0, 0), new L.db.Geo.Point(1, 0), new L.db.Geo.Point(1, 1), new L.db.Geo.Point(0, 0)])]) }) }).get());
    expect(err.errCode).toBe(-502002);
    expect(err.errMsg).toContain('$geoWithin');
    const script = await failure(L.c('users').where(L._.expr({ $function: { body: 'return true', args: [], lang: 'js' } })).get());
    expect(script.errCode).toBe(-502002);
    expect(script.errMsg).toContain('$function');
  });
});
