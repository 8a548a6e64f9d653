/**
 * Runs each function's timer trigger on its cron while `npm start` is up, as CloudBase would:
 * 7-field cron (second minute hour day month weekday year) read in UTC+8.
 */
import { Cron } from 'croner';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LocalRuntime } from './runtime';
import { FUNCTIONS_DIR } from './runtime-paths';

interface TimerTrigger {
  name: string;
  type: 'timer';
  config: string;
}

/** CloudBase's cron has a trailing year field; croner reads six fields, so a `*` year is dropped. */
export function toCronerPattern(config: string): string {
  const fields = config.trim().split(/\s+/);
  if (fields.length !== 7) throw new Error(`timer cron needs 7 fields, got "${config}"`);
  if (fields[6] !== '*') throw new Error(`only "*" is supported in the year field locally: "${config}"`);
  return fields.slice(0, 6).join(' ');
}

export function timerTriggers(name: string): TimerTrigger[] {
  const config = JSON.parse(readFileSync(path.join(FUNCTIONS_DIR, name, 'config.json'), 'utf8')) as { triggers?: TimerTrigger[] };
  return (config.triggers ?? []).filter((t) => t.type === 'timer');
}

export function startScheduler(runtime: LocalRuntime, log: (line: string) => void): () => void {
  const jobs: Cron[] = [];
  for (const fn of runtime.functionNames) {
    for (const trigger of timerTriggers(fn)) {
      const job = new Cron(toCronerPattern(trigger.config), { timezone: 'Asia/Shanghai', protect: true }, async () => {
        const result = await runtime.fireTimer(fn, trigger.name);
        log(`[timer] ${fn}/${trigger.name}: ${JSON.stringify(result)}`);
      });
      jobs.push(job);
      log(`timer ${fn}/${trigger.name} "${trigger.config}" (UTC+8), next ${job.nextRun()?.toISOString() ?? 'never'}`);
    }
  }
  return () => jobs.forEach((j) => j.stop());
}
