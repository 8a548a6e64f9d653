/**
 * `npm start`: builds the cloud functions, opens the local runtime on the data folder, seeds a demo
 * store on first start, and serves the functions on 127.0.0.1.
 */
import path from 'node:path';
import { createGateway } from '../local/gateway';
import { LocalRuntime } from '../local/runtime';
import { ROOT } from '../local/runtime-paths';
import { startScheduler } from '../local/scheduler';
import { DEMO_OWNER_OPENID, seedDemoStore } from '../local/seed';
import { buildFunctions } from './build-functions';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const dataDir = path.resolve(ROOT, process.env.DATA_DIR ?? 'data');
  process.env.TZ = 'UTC'; // as on CloudBase

  const built = await buildFunctions();
  console.log(`built ${built.length} cloud functions: ${built.map((b) => b.name).join(', ')}`);
  const runtime = new LocalRuntime({ dataDir, load: 'bundle' });
  const seeded = await seedDemoStore(runtime);
  const server = createGateway(runtime);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const base = `http://127.0.0.1:${port}`;
  process.env.PRIVDOM_GATEWAY_URL = base; // links to locally stored files point here
  console.log(`
Local CloudBase runtime is up.
  gateway     ${base}   (POST /fn/<name>, header x-wx-openid; GET /healthz)
  data        ${dataDir}${seeded ? '   (seeded a demo store)' : ''}
  demo owner  openid "${DEMO_OWNER_OPENID}"

Try it:
  curl -s -X POST ${base}/fn/app -H 'x-wx-openid: ${DEMO_OWNER_OPENID}' -H 'content-type: application/json' -d '{"action":"home.get","payload":{}}'

Open the project in WeChat DevTools and set miniprogram/config.ts to backend "local" (see README).
Press Ctrl-C to stop.`);
  const stopTimers = startScheduler(runtime, (line) => console.log(line));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    stopTimers();
    console.log(`\n${signal}: finishing requests in flight, then closing the database...`);
    server.close(() => {
      runtime.close();
      console.log('stopped; every acknowledged write is on disk.');
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
