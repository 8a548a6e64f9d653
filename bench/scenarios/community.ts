/**
 * The live code under a crowd, and a 10,000-member handover.
 *
 * 1. Through the gateway, as demo-owner's customers: an entry with 5 small groups (50 seats each,
 *    250 in all) and demo-owner's contact code as the fallback; 1,000 distinct customers open it at
 *    the same moment (1,000 requests in flight on 127.0.0.1). Then a second entry (10 groups of
 *    100) under sustained load like the other storms (autocannon, DURATION_S, 500 connections, ever
 *    new customers): `liveCodeOpenRps` is its requests per second; the groups fill in order, after
 *    which the customers get the contact code, the path a real crowd ends on.
 * 2. `liveCodeOverfilled`: afterwards, for every group of both entries, the seats beyond its
 *    capacity, by the group's own counter and by the customers' assignment documents counted in
 *    the database (`community.entry.get` counts them: `holders`). Must be 0.
 * 3. `handover10kSeconds`: 10,000 members of one (revoked) staff member handed over evenly to three
 *    colleagues, `ownership.handover.start` then `continue` until done, as the admin page drives it.
 *    The members are seeded with batch writes, so this runs in-process on a local runtime of its
 *    own (a fresh data folder, the built bundles), like the card scenario; the bench server's
 *    database is another process's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { COLLECTIONS } from '../../database/collections';
import { measure } from '../../local/context';
import { LocalRuntime } from '../../local/runtime';
import { DEMO_OWNER_OPENID, seedDemoStore } from '../../local/seed';
import { getDb } from '../../server/runtime/db';
import type { ApiResult, CommunityEntryView, CommunityGroupView, CommunityOpenResult, OwnershipHandoverView } from '../../typings';
import { call, load, say, type Scenario } from '../harness';

const BURST = 1000;
const MEMBERS = 10_000;

function data<T>(result: ApiResult<T>, what: string): T {
  if (!result.ok) throw new Error(`${what} failed: ${result.error.code} ${result.error.message}`);
  return result.data;
}

async function ownerCall<T>(base: string, action: string, payload: object, requestId?: string): Promise<T> {
  return data(await call<ApiResult<T>>(base, 'community', { action, payload, requestId }, DEMO_OWNER_OPENID), action);
}

async function entryWithGroups(base: string, runId: string, label: string, groups: number, capacity: number): Promise<CommunityEntryView> {
  const entry = await ownerCall<CommunityEntryView>(
    base,
    'community.entry.create',
    { name: `压测入口 ${label}`, purpose: 'poster', fallbackStaffId: DEMO_OWNER_OPENID },
    `bench-entry-${label}-${runId}`,
  );
  for (let i = 1; i <= groups; i++) {
    await ownerCall(base, 'community.group.add', { entryId: entry.id, name: `压测 ${label} ${i} 群`, qrFileId: `cloud://bench/${label}-${i}.png`, capacity }, `bench-group-${label}-${i}-${runId}`);
  }
  return entry;
}

/** Seats beyond capacity in each group, by its counter and by the assignments in the database. */
async function overfilled(base: string, entryId: string): Promise<{ over: number; seated: number; groups: CommunityGroupView[] }> {
  const { groups } = await ownerCall<{ groups: CommunityGroupView[] }>(base, 'community.entry.get', { entryId });
  return {
    over: groups.reduce((n, g) => n + Math.max(0, Math.max(g.taken, g.holders) - g.capacity), 0),
    seated: groups.reduce((n, g) => n + g.holders, 0),
    groups,
  };
}

/** The 10,000-member handover, in-process on the bundles; also what one first open costs. */
async function handover(): Promise<{ seconds: number; calls: number; moved: number; left: number; openOps: number }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'privdom-handover-bench-'));
  const rt = new LocalRuntime({ dataDir, load: 'bundle' });
  try {
    await seedDemoStore(rt);
    const at = new Date(rt.clock.now());
    const staff = ['bench-leaving', 'bench-heir-1', 'bench-heir-2', 'bench-heir-3'];
    await getDb()
      .collection(COLLECTIONS.staff)
      .add({ data: staff.map((id, i) => ({ _id: id, name: `压测员工${i}`, role: 'clerk', status: i === 0 ? 'revoked' : 'active', joinedAt: at, invitedBy: DEMO_OWNER_OPENID })) });
    for (let start = 0; start < MEMBERS; start += 500) {
      const docs = Array.from({ length: 500 }, (_, k) => ({
        _id: `bench-member-${start + k}`,
        status: 'active',
        joinedAt: new Date(at.getTime() - (start + k) * 1000),
        nickname: `压测会员${start + k}`,
        phoneMasked: '138****8000',
        attribution: { source: 'card', channel: 'taobao', batchId: 'bench01', serial: start + k + 1, inviter: null, at },
        staffId: 'bench-leaving',
        points: 0,
        stats: { orders: 1, spentFen: 12800, lastOrderAt: at },
        segments: ['buyer'],
        tags: [],
        updatedAt: at,
      }));
      await getDb().collection(COLLECTIONS.members).add({ data: docs });
    }

    let n = 0;
    const invoke = <T>(action: string, payload: object, openid = DEMO_OWNER_OPENID) =>
      rt.invoke('community', { action, payload, requestId: `bench-handover-${process.pid}-${++n}` }, { OPENID: openid }) as Promise<ApiResult<T>>;
    const started = performance.now();
    let view = data(await invoke<OwnershipHandoverView>('ownership.handover.start', { fromStaffId: 'bench-leaving', toStaffIds: staff.slice(1), reason: '压测离职交接' }), 'handover');
    let calls = 1;
    while (view.status === 'running') {
      view = data(await invoke<OwnershipHandoverView>('ownership.handover.continue', { handoverId: view.id }), 'continue');
      calls++;
    }
    const seconds = (performance.now() - started) / 1000;
    if (view.status !== 'done') throw new Error(`handover ended ${view.status}: ${view.failure}`);
    const left = (await getDb().collection(COLLECTIONS.members).where({ staffId: 'bench-leaving' }).count()).total;

    const entry = data(await invoke<CommunityEntryView>('community.entry.create', { name: '计费入口', purpose: 'counter' }), 'entry');
    data(await invoke('community.group.add', { entryId: entry.id, name: '计费群', qrFileId: 'cloud://bench/ops.png' }), 'group');
    const open = await measure(() => invoke<CommunityOpenResult>('community.open', { entryId: entry.id }, 'bench-ops-customer'));
    data(open.result, 'open');
    return { seconds, calls, moved: view.moved, left, openOps: open.cost.invocations + open.cost.reads + open.cost.writes };
  } finally {
    rt.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const communityScenario: Scenario = async ({ base }) => {
  const runId = `${process.pid}-${Date.now()}`;
  await ownerCall(base, 'community.contact.set', { qrFileId: 'cloud://bench/owner-contact.png', kind: 'wecom', note: '压测' }, `bench-contact-${runId}`);

  const burstEntry = await entryWithGroups(base, runId, 'burst', 5, 50);
  const openEvent = (entryId: string) => ({ action: 'community.open', payload: { entryId } });
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: BURST }, (_, i) => call<ApiResult<CommunityOpenResult>>(base, 'community', openEvent(burstEntry.id), `bench-live-${runId}-${i}`)),
  );
  const burstMs = performance.now() - started;
  const kinds = answers.map((a) => (a.ok ? a.data.kind : 'error'));

  const stormEntry = await entryWithGroups(base, runId, 'storm', 10, 100);
  const crowd = Array.from({ length: 400_000 }, (_, i) => `bench-crowd-${runId}-${i}`);
  const storm = await load(base, 'community', openEvent(stormEntry.id), 500, { openids: crowd });

  const burst = await overfilled(base, burstEntry.id);
  const sustained = await overfilled(base, stormEntry.id);
  const h = await handover();

  const figures = {
    liveCodeOpenRps: Math.round(storm.rps),
    liveCodeOverfilled: burst.over + sustained.over,
    handover10kSeconds: Number(h.seconds.toFixed(1)),
  };
  say(
    `live code burst     ${BURST} at once for 250 seats in 5 groups: ${kinds.filter((k) => k === 'group').length} seated ` +
      `(${burst.seated} in the database), ${kinds.filter((k) => k === 'contact').length} shown the contact code, ` +
      `${kinds.filter((k) => k === 'error' || k === 'none').length} other, in ${burstMs.toFixed(0)} ms`,
  );
  say(
    `live code storm     ${figures.liveCodeOpenRps} opens/s   p50 ${storm.p50} ms   p99 ${storm.p99} ms   500 connections, ` +
      `${sustained.seated} of 1000 seats given, errors ${storm.errors}`,
  );
  say(`live code overfill  ${figures.liveCodeOverfilled}   first open: ${h.openOps} billable ops`);
  say(`handover 10k        ${h.moved} members to 3 colleagues in ${figures.handover10kSeconds} s (${h.calls} calls), ${h.left} left with the departed`);
  return figures;
};
