/**
 * Makes the first owner of a store. An owner then invites every other staff member from the mini
 * program, so this runs once per store:
 *
 *   npm run bootstrap-owner -- --openid <OPENID> --name 张三                  # local runtime (DATA_DIR)
 *   npm run bootstrap-owner -- --openid <OPENID> --name 张三 --env <envId>    # a CloudBase env
 *
 * Against CloudBase it uses @cloudbase/node-sdk with TENCENTCLOUD_SECRETID / TENCENTCLOUD_SECRETKEY.
 * The openid is shown on the mini program's 我的 page. It refuses when an active owner exists,
 * unless --force is given.
 */
import tcb from '@cloudbase/node-sdk';
import path from 'node:path';
import { COLLECTIONS } from '../database/collections';
import { LocalRuntime } from '../local/runtime';
import { ROOT } from '../local/runtime-paths';
import { readArgs } from './cli-args';

interface RawDb {
  collection(name: string): {
    where(q: object): { count(): Promise<{ total: number }> };
    doc(id: string): { set(data: object): Promise<unknown> };
    add(data: object): Promise<unknown>;
  };
}

export async function bootstrapOwner(db: RawDb, openid: string, name: string, force: boolean, at: Date): Promise<void> {
  const owners = await db.collection(COLLECTIONS.staff).where({ role: 'owner', status: 'active' }).count();
  if (owners.total > 0 && !force) {
    throw new Error('this store already has an owner; an owner invites more staff from the mini program (or pass --force)');
  }
  const member = { name, role: 'owner', status: 'active', joinedAt: at, invitedBy: null };
  await db.collection(COLLECTIONS.staff).doc(openid).set(member);
  await db.collection(COLLECTIONS.auditLog).add({
    actor: 'bootstrap',
    action: 'staff.bootstrapOwner',
    target: `staff/${openid}`,
    before: null,
    after: member,
    at,
  });
}

async function main(): Promise<void> {
  const args = readArgs({ openid: { type: 'string' }, name: { type: 'string' }, env: { type: 'string' }, force: { type: 'boolean' } });
  if (!args.openid || !/^[A-Za-z0-9_-]{1,64}$/.test(args.openid)) throw new Error('--openid <OPENID> is required');
  const name = args.name?.trim() || '店主';
  let runtime: LocalRuntime | undefined;
  let app: ReturnType<typeof tcb.init>;
  if (args.env) {
    const { TENCENTCLOUD_SECRETID: secretId, TENCENTCLOUD_SECRETKEY: secretKey } = process.env;
    if (!secretId || !secretKey) throw new Error('set TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY for --env');
    app = tcb.init({ env: args.env, secretId, secretKey });
  } else {
    // The local runtime pins the SDK's database transport to the SQLite file.
    runtime = new LocalRuntime({ dataDir: path.resolve(ROOT, process.env.DATA_DIR ?? 'data') });
    app = tcb.init({ env: 'local' });
  }
  await bootstrapOwner(app.database() as unknown as RawDb, args.openid, name, !!args.force, new Date());
  runtime?.close();
  console.log(`${args.openid} is now the owner of ${args.env ? `CloudBase env ${args.env}` : 'the local store'}.`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
