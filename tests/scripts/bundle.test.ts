/**
 * Each built bundle is complete on its own: it is loaded from cloudfunctions/<name>/index.js (what
 * CloudBase runs) and answers one action against the local runtime.
 */
import { buildFunctions } from '../../scripts/build-functions';
import { listFunctions } from '../../local/runtime-paths';
import { seedDemoStore } from '../../local/seed';
import { ok, useRuntime } from '../support/runtime';

const t = useRuntime({ load: 'bundle' });

/** One read-only action per function that any caller may run. */
const PROBES: Record<string, { action: string; payload: object }> = {
  app: { action: 'home.get', payload: {} },
  card: { action: 'card.batch.list', payload: {} },
  community: { action: 'community.entry.list', payload: {} },
  coupon: { action: 'coupon.mine', payload: { state: 'available' } },
  groupbuy: { action: 'groupbuy.mine', payload: {} },
  staff: { action: 'staff.me', payload: {} },
  member: { action: 'member.home', payload: {} },
  admin: { action: 'member.levels.get', payload: {} },
  growth: { action: 'repurchase.subscription', payload: {} },
};

beforeAll(async () => {
  await buildFunctions();
}, 120_000);

it('has a probe for every function', () => {
  expect(Object.keys(PROBES).sort()).toEqual(listFunctions());
});

it.each(listFunctions())('the %s bundle runs an action', async (name) => {
  await seedDemoStore(t.rt);
  const probe = PROBES[name];
  const result = await t.raw('demo-owner', name, { action: probe.action, payload: probe.payload });
  expect(ok(result as never)).toBeTruthy();
});
