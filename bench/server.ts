/**
 * The benchmark's server process: the local runtime on a fresh data folder, the built bundles, the
 * bench-only functions, and the gateway on an ephemeral port (printed as `PORT <n>` on stdout).
 */
import type { AddressInfo } from 'node:net';
import { createGateway } from '../local/gateway';
import { LocalRuntime } from '../local/runtime';
import { seedDemoStore } from '../local/seed';
import { getDb } from '../server/runtime/db';
import { BENCH_STOCK, benchCollections, benchFunction } from './functions';

const dataDir = process.argv[2];
process.env.PRIVDOM_LOG = 'silent';
const runtime = new LocalRuntime({
  dataDir,
  load: 'bundle',
  extraFunctions: { bench: benchFunction.main },
  extraCollections: benchCollections,
});
const server = createGateway(runtime);
const stock = Number(process.env.BENCH_STOCK ?? 100_000);
// The demo store gives scenarios an owner (openid demo-owner) to create what they measure.
void seedDemoStore(runtime)
  .then(() => getDb().collection(BENCH_STOCK).add({ data: { _id: 'stock-1', remaining: stock } }))
  .then(() => server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`);
}));
process.on('SIGTERM', () => server.close(() => { runtime.close(); process.exit(0); }));
