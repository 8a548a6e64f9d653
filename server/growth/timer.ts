/**
 * The `growth` timer (every 10 minutes, config.json): first the invite rewards of the event log's
 * newly closed minutes (usually a page or none), then the daily repurchase run's next pages. The
 * invites may use at most a quarter of the invocation's budget, so a backlog of them never starves
 * the run; each part resumes from its own stored cursor.
 */
import { startBudget } from './budget';
import { type InviteTimerReport, processInvites } from './invites/rewards';
import { continueRepurchase, type RepurchaseTimerReport, type RunHooks } from './repurchase/run';

export interface GrowthTimerReport {
  invites: InviteTimerReport;
  repurchase: RepurchaseTimerReport;
}

export async function runGrowthTimer(now: Date, hooks: RunHooks = {}): Promise<GrowthTimerReport> {
  const budget = startBudget();
  const invites = await processInvites(now, startBudget(0.25));
  const repurchase = await continueRepurchase(now, budget, hooks);
  return { invites, repurchase };
}
