/**
 * Deploys to a CloudBase environment: builds the functions, applies the declared collections,
 * indexes and security rules (database/collections.ts) with @cloudbase/manager-node, and uploads
 * each function with @cloudbase/cli from a generated cloudbaserc.json.
 *
 *   CLOUDBASE_ENV_ID=<env> TENCENTCLOUD_SECRETID=... TENCENTCLOUD_SECRETKEY=... \
 *   PRIVDOM_SIGNING_KEY=<32+ random chars> npm run deploy
 *   npm run deploy -- --dry-run      # prints the plan, needs no credentials
 *
 * The signing key must stay the same across deploys: printed cards and invites are signed with it.
 */
import CloudBase from '@cloudbase/manager-node';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { collections } from '../database/collections';
import { FUNCTIONS_DIR, listFunctions, ROOT } from '../local/runtime-paths';
import { buildFunctions } from './build-functions';
import { readArgs } from './cli-args';

interface FunctionConfig {
  permissions?: { openapi?: string[] };
  triggers?: { name: string; type: 'timer'; config: string }[];
  timeout?: number;
}

/** Node.js runtime on CloudBase; the bundles target it. */
const RUNTIME = 'Nodejs16.13';

/** Subscribe-message template ids and other per-merchant settings, passed through when set. */
const OPTIONAL_ENV = ['PRIVDOM_COUPON_REMINDER_TEMPLATE_ID', 'PRIVDOM_GROUPBUY_RESULT_TEMPLATE_ID', 'PRIVDOM_COMMUNITY_ALERT_TEMPLATE_ID'];

function optionalEnv(): Record<string, string> {
  return Object.fromEntries(OPTIONAL_ENV.filter((k) => process.env[k]).map((k) => [k, process.env[k]!]));
}

export function functionPlan(signingKey: string) {
  return listFunctions().map((name) => {
    const config = JSON.parse(readFileSync(path.join(FUNCTIONS_DIR, name, 'config.json'), 'utf8')) as FunctionConfig;
    return {
      name,
      timeout: config.timeout ?? 20,
      runtime: RUNTIME,
      handler: 'index.main',
      installDependency: true,
      ignore: ['main.ts', '*.map'],
      envVariables: { PRIVDOM_SIGNING_KEY: signingKey, ...optionalEnv() },
      triggers: config.triggers ?? [],
      openapi: config.permissions?.openapi ?? [],
    };
  });
}

export function databasePlan() {
  return collections.map((c) => ({
    collection: c.name,
    securityRule: JSON.stringify({ read: c.rule.read, write: c.rule.write }),
    indexes: c.indexes.map((i) => ({
      IndexName: i.name,
      MgoKeySchema: {
        MgoIsUnique: !!i.unique,
        MgoIndexKeys: Object.entries(i.keys).map(([Name, dir]) => ({ Name, Direction: String(dir) })),
      },
    })),
  }));
}

async function applyDatabase(app: CloudBase, plan: ReturnType<typeof databasePlan>): Promise<void> {
  for (const c of plan) {
    await app.database.createCollectionIfNotExists(c.collection);
    const missing = [];
    for (const index of c.indexes) {
      if (!(await app.database.checkIndexExists(c.collection, index.IndexName)).Exists) missing.push(index);
    }
    if (missing.length) await app.database.updateCollection(c.collection, { CreateIndexes: missing });
    await app.permission.modifyResourcePermission({
      resourceType: 'collection',
      resource: c.collection,
      permission: 'CUSTOM',
      securityRule: c.securityRule,
    });
    console.log(`collection ${c.collection}: ${c.indexes.length} indexes (${missing.length} created), rule applied`);
  }
}

function deployFunctions(envId: string, plan: ReturnType<typeof functionPlan>): void {
  const rc = {
    version: '2.0',
    envId,
    functionRoot: './cloudfunctions',
    functions: plan.map(({ openapi: _openapi, ...fn }) => fn),
  };
  writeFileSync(path.join(ROOT, 'cloudbaserc.json'), JSON.stringify(rc, null, 2));
  for (const fn of plan) {
    const res = spawnSync('npx', ['--yes', '@cloudbase/cli@2', 'fn', 'deploy', fn.name, '--force', '-e', envId], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    if (res.status !== 0) throw new Error(`deploying ${fn.name} failed`);
  }
  console.log('Functions with openapi permissions (config.json) must also be uploaded once from WeChat DevTools');
  console.log('so the 云调用 permissions are registered: ' + plan.filter((f) => f.openapi.length).map((f) => f.name).join(', '));
}

async function main(): Promise<void> {
  const args = readArgs({ 'dry-run': { type: 'boolean' }, env: { type: 'string' } });
  const envId = args.env ?? process.env.CLOUDBASE_ENV_ID ?? '';
  const signingKey = process.env.PRIVDOM_SIGNING_KEY ?? '';
  if (args['dry-run']) {
    console.log(JSON.stringify({ envId, database: databasePlan(), functions: functionPlan('<PRIVDOM_SIGNING_KEY>') }, null, 2));
    return;
  }
  const { TENCENTCLOUD_SECRETID: secretId, TENCENTCLOUD_SECRETKEY: secretKey } = process.env;
  if (!envId || !secretId || !secretKey) throw new Error('set CLOUDBASE_ENV_ID, TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY');
  if (signingKey.length < 32) throw new Error('set PRIVDOM_SIGNING_KEY (at least 32 characters, keep it the same on every deploy)');
  await buildFunctions();
  await applyDatabase(new CloudBase({ envId, secretId, secretKey }), databasePlan());
  deployFunctions(envId, functionPlan(signingKey));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
