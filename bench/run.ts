/**
 * `npm run bench`: figures measured in one run through the local gateway, printed for people, or as
 * one JSON object with `-- --json` (stdout then holds only that object). Nothing here is asserted;
 * figures are compared as ratios within the same run, so the machine's speed cancels out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFunctions } from '../scripts/build-functions';
import { DURATION_S, json, say, startServer, type Scenario } from './harness';
import { adminScenario } from './scenarios/admin';
import { cardScenario } from './scenarios/cards';
import { communityScenario } from './scenarios/community';
import { couponScenario } from './scenarios/coupons';
import { gatewayScenario } from './scenarios/gateway';
import { groupbuyScenario } from './scenarios/groupbuy';
import { journeyScenario } from './scenarios/journey';
import { repurchaseScenario } from './scenarios/repurchase';

/** Later areas add theirs here; each returns figures for the one JSON object. */
const scenarios: Scenario[] = [couponScenario, journeyScenario, cardScenario, groupbuyScenario, communityScenario, repurchaseScenario, adminScenario];

async function main(): Promise<void> {
  await buildFunctions();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'privdom-bench-'));
  const server = await startServer(dataDir);
  const figures: Record<string, number> = {};
  try {
    say(`benchmarks through the local gateway: ${DURATION_S}s per load, ${os.cpus().length} cores`);
    const baseline = await gatewayScenario(server, { emptyActionRps: 0 });
    Object.assign(figures, baseline);
    for (const scenario of scenarios) Object.assign(figures, await scenario(server, { emptyActionRps: baseline.emptyActionRps }));
  } finally {
    server.child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (json) process.stdout.write(JSON.stringify(figures) + '\n');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
