import { listFunctions } from '../../local/runtime-paths';
import { timerTriggers, toCronerPattern } from '../../local/scheduler';

it('reads CloudBase 7-field crons and refuses what it cannot honour', () => {
  expect(toCronerPattern('0 0 2 * * * *')).toBe('0 0 2 * * *');
  expect(() => toCronerPattern('0 0 2 * * *')).toThrow(/7 fields/);
  expect(() => toCronerPattern('0 0 2 * * * 2027')).toThrow(/year/);
});

it('every declared timer trigger has a cron the scheduler accepts, one per function', () => {
  for (const fn of listFunctions()) {
    const triggers = timerTriggers(fn);
    expect(triggers.length).toBeLessThanOrEqual(1);
    for (const t of triggers) expect(() => toCronerPattern(t.config)).not.toThrow();
  }
});
