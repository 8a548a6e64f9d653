/**
 * Child process for the durability test: writes forever, printing `ack <i>` after each write the
 * executor has acknowledged, until the parent kills it with SIGKILL.
 * Usage: tsx writer.ts <db file>
 */
import { openLocal } from '../helpers';

async function main(): Promise<void> {
  const [file] = process.argv.slice(2);
  const { c, _ } = openLocal({ file });
  for (let i = 0; ; i++) {
    await c('log').add({ data: { _id: `w${i}`, seq: i } });
    await c('stock').doc('counter').update({ data: { n: _.inc(1) } });
    process.stdout.write(`ack ${i}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${String((e as Error)?.stack ?? e)}\n`);
  process.exit(1);
});
