/**
 * The community function's timer (every 5 minutes): alerts admins about entries running out of
 * groups, carries on handovers nobody is driving, moves members who reached a departed staff member
 * after their handover, and assigns members who have no staff member yet. Every pass stops when the
 * budget is spent and the next run carries on.
 */
import { performance } from 'node:perf_hooks';
import { alertPass } from './alerts';
import { assignPending } from './ownership/assign';
import { handoversToContinue, handoversWithLateMembers, stepHandover } from './ownership/handover';

/** The function's timeout is 60 s (config.json); leave room for the step that is running. */
const BUDGET_MS = 40_000;

export interface CommunityTimerReport {
  alerts: number;
  handedOver: number;
  assigned: number;
  /** Members still without a staff member when the budget ran out (0 when done). */
  unassigned: number;
}

export async function runCommunityTimer(now: Date): Promise<CommunityTimerReport> {
  const started = performance.now();
  const left = () => BUDGET_MS - (performance.now() - started);
  const outOfTime = () => left() <= 0;

  const alerts = await alertPass(now, outOfTime);
  let handedOver = 0;
  for (const id of await handoversToContinue(now, 5)) {
    if (outOfTime()) break;
    handedOver += (await stepHandover(id, Math.min(left(), 20_000))).moved;
  }
  for (const id of await handoversWithLateMembers(now, 5)) {
    if (outOfTime()) break;
    handedOver += (await stepHandover(id, Math.min(left(), 10_000), true)).moved;
  }
  // At least one page, however long the passes before took: new members are never starved.
  const assignment = await assignPending(now, outOfTime);
  return { alerts, handedOver, assigned: assignment.assigned, unassigned: assignment.remaining };
}
