/** Every database request is billed as one read or one write, as CloudBase counts 调用次数. */
import { measure, runAsCaller } from '../../local/context';
import { failure, type Local, openLocal, type Sdk } from './helpers';

let L: Local;
beforeAll(() => {
  L = openLocal();
});
beforeEach(() => L.ldb.clear());
afterAll(() => L.ldb.close());

it('counts reads (get, doc.get, count, aggregate) and writes (add, update, set, remove) per request', async () => {
  const { cost } = await measure(async () => {
    await L.c('orders').add({ data: [{ _id: 'a', n: 1 }, { _id: 'b', n: 2 }] }); // one write for a batch
    await L.c('orders').doc('a').update({ data: { n: 5 } });
    await L.c('orders').where({ n: L._.gt(0) }).update({ data: { seen: true } });
    await L.c('orders').doc('c').set({ data: { n: 3 } });
    await L.c('orders').doc('b').remove();
    await L.c('orders').get();
    await L.c('orders').doc('a').get();
    await L.c('orders').count();
    await L.c('orders').aggregate().limit(5).end();
  });
  expect(cost).toEqual({ invocations: 0, reads: 4, writes: 5 });
});

it('counts each operation inside a transaction; start, commit and abort are free', async () => {
  await L.c('stock').add({ data: { _id: 'x', n: 1 } });
  const { cost } = await measure(() =>
    runAsCaller({ OPENID: 'o' }, () =>
      L.db.runTransaction(async (tx: Sdk) => {
        await tx.collection('stock').doc('x').get();
        await tx.collection('stock').doc('x').update({ data: { n: 2 } });
        await tx.collection('stock').add({ data: { _id: 'y' } });
      }),
    ),
  );
  expect(cost).toEqual({ invocations: 0, reads: 1, writes: 2 });
});

it('a failed request is still a billed request', async () => {
  await L.c('orders').add({ data: { _id: 'dup' } });
  const { cost } = await measure(async () => {
    await failure(L.c('orders').add({ data: { _id: 'dup' } }));
    await failure(L.c('orders').where({ $where: 'x' }).get());
  });
  expect(cost).toEqual({ invocations: 0, reads: 1, writes: 1 });
});

it('nested measures both count', async () => {
  const outer = await measure(async () => {
    await L.c('orders').get();
    const inner = await measure(() => L.c('orders').add({ data: { n: 1 } }));
    expect(inner.cost.writes).toBe(1);
  });
  expect(outer.cost).toEqual({ invocations: 0, reads: 1, writes: 1 });
});
