/**
 * Child process for the cross-process test: races conditional decrements on one document of a
 * shared database file and logs each success. Prints `ready`, waits until the parent creates the
 * `go` document (so both children start together), then prints `{"ok": n}` when done.
 * Usage: node --import tsx decrement.ts <db file> <doc id> <attempts> <concurrency>
 */
import { openLocal } from '../helpers';

async function main(): Promise<void> {
  const [file, id, attempts, concurrency] = process.argv.slice(2);
  const { c, _, ldb } = openLocal({ file });
  process.stdout.write('ready\n');
  while ((await c('stock').where({ _id: 'go' }).count()).total === 0) await new Promise((r) => setTimeout(r, 2));
  let started = 0;
  let ok = 0;
  const worker = async (): Promise<void> => {
    while (started < Number(attempts)) {
      started++;
      const res = await c('stock').where({ _id: id, n: _.gt(0) }).update({ data: { n: _.inc(-1) } });
      if (res.stats.updated === 1) {
        ok++;
        await c('log').add({ data: { seq: ok, pid: process.pid } });
      }
      // Let the other process in between attempts, so the two really interleave.
      await new Promise((r) => setTimeout(r, 1));
    }
  };
  await Promise.all(Array.from({ length: Number(concurrency) }, worker));
  ldb.close();
  process.stdout.write(`${JSON.stringify({ ok })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${String((e as Error)?.stack ?? e)}\n`);
  process.exit(1);
});
