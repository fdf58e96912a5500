import type { Clock } from '../../src/kube/clock.ts';

/** Lets every promise chain started so far run to completion before the test looks. */
export const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A clock that stands still until the test advances it; sleepers wake in time order. */
export class ManualClock implements Clock {
  private time: number;
  private readonly sleepers: { at: number; wake: () => void }[] = [];

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const sleeper = {
        at: this.time + ms,
        wake: () => {
          this.sleepers.splice(this.sleepers.indexOf(sleeper), 1);
          signal?.removeEventListener('abort', sleeper.wake);
          resolve();
        },
      };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', sleeper.wake, { once: true });
    });
  }

  /**
   * Moves time forward by `ms`, waking the sleepers due at each instant together (so that what they start
   * interleaves, as over a network) and letting that run before the next instant.
   */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    await settle();
    for (let next = this.nextDue(end); next !== undefined; next = this.nextDue(end)) {
      this.time = next;
      for (const sleeper of this.sleepers.filter((s) => s.at === next)) sleeper.wake();
      await settle();
    }
    this.time = end;
    await settle();
  }

  /** The earliest instant a sleeper is due, up to `end`. */
  private nextDue(end: number): number | undefined {
    const due = this.sleepers.map((sleeper) => sleeper.at).filter((at) => at <= end);
    return due.length ? Math.min(...due) : undefined;
  }
}
