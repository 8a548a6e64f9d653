/**
 * The one clock every function reads. In production it is the system clock; the local runtime
 * installs a settable clock on a global symbol so tests can move time (function bundles carry their
 * own copy of this module, so a module variable would not be shared).
 */
export interface Clock {
  now(): number;
}

const CLOCK_KEY = Symbol.for('privdom.clock');

type WithClock = typeof globalThis & { [CLOCK_KEY]?: Clock };

export function nowMs(): number {
  const clock = (globalThis as WithClock)[CLOCK_KEY];
  return clock ? clock.now() : Date.now();
}

export function now(): Date {
  return new Date(nowMs());
}

/** Used by the local runtime only. */
export function installClock(clock: Clock | undefined): void {
  (globalThis as WithClock)[CLOCK_KEY] = clock;
}
