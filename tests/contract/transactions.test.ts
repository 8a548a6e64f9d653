/**
 * Transactions: snapshot reads with the transaction's own writes on top, write locks, commit-time
 * validation, rollback, expiry, and refusing the operations the SDK would run outside the transaction.
 */
import { currentInvocationState, runAsCaller } from '../../local/context';
import { LocalDatabase } from '../../local/db';
import { LOCK_WAIT_MS } from '../../local/db/executor';
import { TX_LIFETIME_MS } from '../../local/db/transactions';
import { failure, type Local, openLocal, type Sdk, removeDbFile, tempDbFile, testCollections } from './helpers';

let L: Local;
let file: string;
const asCaller = <T>(fn: () => Promise<T>): Promise<T> => runAsCaller({ OPENID: 'o-test' }, fn);

beforeAll(() => {
  file = tempDbFile();
  L = openLocal({ file });
});
beforeEach(async () => {
  L.ldb.clear();
  await L.c('stock').add({ data: [{ _id: 'x', n: 10 }, { _id: 'y', n: 0 }] });
});
afterEach(() => jest.useRealTimers());
afterAll(() => {
  L.ldb.close();
  removeDbFile(file);
});

const n = async (id: string): Promise<number> => (await L.c('stock').doc(id).get()).data.n;

it('commits several documents and collections together and returns the callback result', async () => {
  const result = await asCaller(() =>
    L.db.runTransaction(async (tx: Sdk) => {
      const x = (await tx.collection('stock').doc('x').get()).data;
      await tx.collection('stock').doc('x').update({ data: { n: x.n - 3 } });
      await tx.collection('stock').doc('y').update({ data: { n: L._.inc(3) } });
      await tx.collection('orders').add({ data: { _id: 'moved', qty: 3 } });
      const set = await tx.collection('orders').doc('receipt').set({ data: { ok: true } });
      expect(set.stats).toEqual({ updated: 0, created: 0 }); // the SDK's quirk inside transactions
      return 'done';
    }),
  );
  expect(result).toBe('done');
  expect([await n('x'), await n('y')]).toEqual([7, 3]);
  expect((await L.c('orders').doc('moved').get()).data.qty).toBe(3);
  expect((await L.c('orders').doc('receipt').get()).data.ok).toBe(true);
});

it('rolls back everything when the callback throws', async () => {
  const err = await failure(
    asCaller(() =>
      L.db.runTransaction(async (tx: Sdk) => {
        await tx.collection('stock').doc('x').update({ data: { n: 0 } });
        await tx.collection('stock').doc('y').remove();
        await tx.collection('orders').add({ data: { _id: 'ghost' } });
        throw new Error('payment declined');
      }),
    ),
  );
  expect(err.message).toBe('payment declined');
  expect([await n('x'), await n('y')]).toEqual([10, 0]);
  expect((await L.c('orders').where({ _id: 'ghost' }).count()).total).toBe(0);
});

it('rolls back on tx.rollback(reason) and rejects with the reason', async () => {
  const err = await asCaller(() =>
    L.db
      .runTransaction(async (tx: Sdk) => {
        await tx.collection('stock').doc('x').update({ data: { n: 1 } });
        await tx.rollback('not enough');
      })
      .catch((e: unknown) => e),
  );
  expect(err).toBe('not enough');
  expect(await n('x')).toBe(10);
});

it('isolates uncommitted writes; the transaction reads its own writes', async () => {
  await asCaller(async () => {
    const tx = await L.db.startTransaction();
    await tx.collection('stock').doc('x').update({ data: { n: 99 } });
    await tx.collection('stock').add({ data: { _id: 'z', n: 5 } });
    await tx.collection('stock').doc('y').remove();
    // Inside: own writes are visible, to doc().get and to where().get.
    expect((await tx.collection('stock').doc('x').get()).data.n).toBe(99);
    expect((await failure(tx.collection('stock').doc('y').get())).errMsg).toMatch(/_id y does not exist/);
    const inside = await tx.collection('stock').where({ n: L._.gte(5) }).get();
    expect(inside.data.map((d: Sdk) => d._id).sort()).toEqual(['x', 'z']);
    // Outside: nothing yet.
    expect(await n('x')).toBe(10);
    expect((await L.c('stock').where({ _id: L._.in(['y', 'z']) }).get()).data.map((d: Sdk) => d._id)).toEqual(['y']);
    await tx.commit();
  });
  expect(await n('x')).toBe(99);
  expect(await n('z')).toBe(5);
  expect((await L.c('stock').where({ _id: 'y' }).count()).total).toBe(0);
});

it('a second transaction writing a locked document fails at once; the first commits', async () => {
  await asCaller(async () => {
    const a = await L.db.startTransaction();
    const b = await L.db.startTransaction();
    await a.collection('stock').doc('x').update({ data: { n: L._.inc(-1) } });
    const err = await failure(b.collection('stock').doc('x').update({ data: { n: L._.inc(-5) } }));
    // wx-server-sdk maps the conflict to -501001 (unknown code) on data operations.
    expect(err.errCode).toBe(-501001);
    expect(err.errMsg).toMatch(/locked by another transaction/);
    await b.rollback();
    await a.commit();
  });
  expect(await n('x')).toBe(9);
});

it('commit fails with DATABASE_TRANSACTION_CONFLICT when a document it read changed meanwhile', async () => {
  await asCaller(async () => {
    const tx = await L.db.startTransaction();
    const x = (await tx.collection('stock').doc('x').get()).data;
    await L.c('stock').doc('x').update({ data: { n: 0 } }); // a plain write, not locked: x was only read
    await tx.collection('stock').doc('y').update({ data: { n: x.n } });
    const err = await failure(tx.commit());
    expect(err.code).toBe('DATABASE_TRANSACTION_CONFLICT');
  });
  expect([await n('x'), await n('y')]).toEqual([0, 0]);
});

it('runTransaction retries the callback after a commit conflict and then succeeds', async () => {
  let runs = 0;
  await asCaller(() =>
    L.db.runTransaction(async (tx: Sdk) => {
      runs++;
      const x = (await tx.collection('stock').doc('x').get()).data;
      if (runs === 1) await L.c('stock').doc('x').update({ data: { n: L._.inc(1) } });
      await tx.collection('stock').doc('y').update({ data: { n: x.n } });
    }),
  );
  expect(runs).toBe(2);
  expect([await n('x'), await n('y')]).toEqual([11, 11]);
});

it('detects a conflicting write made through another connection (as another process would) at commit', async () => {
  const other = new LocalDatabase({ file, collections: testCollections });
  try {
    await asCaller(async () => {
      const tx = await L.db.startTransaction();
      await tx.collection('stock').doc('x').update({ data: { n: L._.inc(-1) } });
      await other.send('database.modifyDocument', { collectionName: 'stock', queryType: 'DOC', query: '{"_id":"x"}', multi: false, merge: true, upsert: false, data: '{"$set":{"n":500}}' });
      expect((await failure(tx.commit())).code).toBe('DATABASE_TRANSACTION_CONFLICT');
    });
  } finally {
    other.close();
  }
  expect(await n('x')).toBe(500);
});

it('a duplicate key inside a transaction fails the operation and nothing is written', async () => {
  await L.c('items').add({ data: { _id: 'i1', sku: 'S' } });
  const err = await failure(
    asCaller(() =>
      L.db.runTransaction(async (tx: Sdk) => {
        await tx.collection('stock').doc('x').update({ data: { n: 1 } });
        await tx.collection('items').add({ data: { _id: 'i2', sku: 'S' } });
      }),
    ),
  );
  expect(err.errMsg).toMatch(/E11000 .* index: sku/);
  expect(await n('x')).toBe(10);
  expect((await L.c('items').count()).total).toBe(1);
});

describe('operations the SDK sends without transactionId are refused while a transaction is open', () => {
  it.each([
    ['where().update()', () => L.c('stock').where({ n: L._.gt(0) }).update({ data: { n: 0 } })],
    ['where().remove()', () => L.c('stock').where({ n: L._.gt(0) }).remove()],
    ['count()', () => L.c('stock').where({ n: L._.gt(0) }).count()],
  ])('%s', async (_name, op) => {
    await asCaller(async () => {
      const err = await failure(
        L.db.runTransaction(async (tx: Sdk) => {
          await tx.collection('stock').doc('y').update({ data: { n: 1 } });
          await op();
        }),
      );
      expect(err.errCode).toBe(-501007);
      expect(err.errMsg).toMatch(/CloudBase would run it outside the transaction/);
      expect(currentInvocationState()?.openTransactions).toBe(0);
      // Once the transaction is over they work again.
      await op();
    });
    expect(await n('y')).not.toBe(1);
  });
});

it('a plain write to a locked document waits for the transaction to finish', async () => {
  const events: string[] = [];
  await asCaller(async () => {
    const tx = await L.db.startTransaction();
    await tx.collection('stock').doc('x').update({ data: { n: L._.inc(-4) } });
    const plain = L.c('stock')
      .doc('x')
      .update({ data: { n: L._.inc(100) } })
      .then(() => events.push('plain done'));
    await new Promise((r) => setTimeout(r, 30));
    events.push('commit');
    await tx.commit();
    await plain;
  });
  expect(events).toEqual(['commit', 'plain done']);
  expect(await n('x')).toBe(106);
});

it('a plain write gives up with a conflict when the lock is held too long', async () => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
  await asCaller(async () => {
    const tx = await L.db.startTransaction();
    await tx.collection('stock').doc('x').update({ data: { n: 1 } });
    const plain = failure(L.c('stock').doc('x').update({ data: { n: 2 } }));
    await jest.advanceTimersByTimeAsync(LOCK_WAIT_MS + 50);
    const err = await plain;
    expect(err.errCode).toBe(-501001);
    expect(err.errMsg).toMatch(/locked by an open transaction/);
    await tx.rollback();
  });
  expect(await n('x')).toBe(10);
});

it('an abandoned transaction expires: its locks go, its writes are discarded, commit fails', async () => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
  await asCaller(async () => {
    const tx = await L.db.startTransaction();
    await tx.collection('stock').doc('x').update({ data: { n: 1 } });
    expect(currentInvocationState()?.openTransactions).toBe(1);
    await jest.advanceTimersByTimeAsync(TX_LIFETIME_MS + 1);
    expect(currentInvocationState()?.openTransactions).toBe(0);
    expect((await L.c('stock').doc('x').update({ data: { n: L._.inc(1) } })).stats.updated).toBe(1);
    const err = await failure(tx.commit());
    expect(err.message).toMatch(/does not exist.*expired/);
  });
  expect(await n('x')).toBe(11);
});
