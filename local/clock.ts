import type { Clock } from '../server/runtime/clock';

/** The local runtime's clock: the system clock until a test sets it. */
export class SettableClock implements Clock {
  private fixed: number | null = null;

  now(): number {
    return this.fixed ?? Date.now();
  }

  set(at: Date | string | number): void {
    const ms = new Date(at).getTime();
    if (Number.isNaN(ms)) throw new Error(`invalid time: ${String(at)}`);
    this.fixed = ms;
  }

  advance(ms: number): void {
    this.fixed = this.now() + ms;
  }

  useSystemTime(): void {
    this.fixed = null;
  }
}
