/**
 * Functions that exist only for benchmarks, written the same way as the product's: an empty action
 * (the floor: gateway + envelope + SDK) and a conditional stock decrement (one atomic write).
 */
import { z } from 'zod';
import type { CollectionDecl } from '../database/schema';
import { DENY_ALL } from '../database/schema';
import { getDb } from '../server/runtime/db';
import { defineFunction } from '../server/runtime/define';

export const BENCH_STOCK = 'benchStock';

export const benchCollections: CollectionDecl[] = [
  { name: BENCH_STOCK, description: 'Benchmark stock counters.', indexes: [], rule: DENY_ALL },
];

interface BenchApi {
  noop: { req: Record<string, never>; res: Record<string, never> };
  'stock.take': { req: { id: string }; res: { taken: boolean } };
  'stock.get': { req: { id: string }; res: { remaining: number } };
}

export const benchFunction = defineFunction<BenchApi>('bench', {
  noop: {
    input: z.strictObject({}),
    async handler() {
      return {};
    },
  },
  'stock.take': {
    input: z.strictObject({ id: z.string().min(1).max(32) }),
    async handler(_ctx, input) {
      const db = getDb();
      const _ = db.command;
      const res = await db
        .collection(BENCH_STOCK)
        .where({ _id: input.id, remaining: _.gt(0) })
        .update({ data: { remaining: _.inc(-1) } });
      return { taken: res.stats.updated === 1 };
    },
  },
  'stock.get': {
    input: z.strictObject({ id: z.string().min(1).max(32) }),
    async handler(_ctx, input) {
      const doc = (await getDb().collection(BENCH_STOCK).doc(input.id).get()).data as { remaining: number } | null;
      return { remaining: doc?.remaining ?? 0 };
    },
  },
});
