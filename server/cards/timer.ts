/**
 * The card function's timer (every minute): finishes what pages started and then left, so a batch
 * gets prepared and an export gets done even when nobody keeps the admin page open. Steps run one
 * after another until the budget is spent; each is a full step under its own lease.
 */
import { now as clockNow } from '../runtime/clock';
import { batchesToPrepare, finishRevocation, prepareBatch, revocationsToFinish } from './batches';
import { exportsToContinue, stepExport } from './export/job';

/** Leaves room for one more step inside the function's 60 s timeout. */
const BUDGET_MS = 25_000;

/** Runs `step` while it makes progress and time remains (another driver's lease stops it). */
async function drive(step: () => Promise<{ progress: number; running: boolean }>, stillTime: () => boolean): Promise<number> {
  let steps = 0;
  let before = -1;
  while (stillTime()) {
    const { progress, running } = await step();
    steps++;
    if (!running || progress <= before) break;
    before = progress;
  }
  return steps;
}

export async function runCardTimer(started: Date): Promise<{ revoked: number; prepared: number; exported: number }> {
  const deadline = Date.now() + BUDGET_MS;
  const stillTime = () => Date.now() < deadline;
  const done = { revoked: 0, prepared: 0, exported: 0 };
  for (const batch of await revocationsToFinish(20)) {
    await finishRevocation(batch);
    done.revoked++;
  }
  for (const id of await batchesToPrepare(started, 10)) {
    done.prepared += await drive(async () => {
      const view = await prepareBatch(id, clockNow());
      return { progress: view.prepared, running: view.status === 'preparing' };
    }, stillTime);
  }
  for (const id of await exportsToContinue(started, 10)) {
    done.exported += await drive(async () => {
      const job = await stepExport(id, clockNow());
      return { progress: job.done, running: job.status === 'running' };
    }, stillTime);
  }
  return done;
}
