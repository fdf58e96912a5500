import { PerKeyBackoff } from './backoff.ts';

/** What a handler asks for after processing a key. */
export interface HandlerResult {
  /** Process the key again after this many milliseconds (waiting on something outside). */
  requeueAfterMs?: number;
}

/** Processes one key; throwing retries it with per-key exponential backoff. */
export type KeyHandler = (key: string) => Promise<HandlerResult | void>;

/**
 * A work queue of keys, after client-go's: a key is queued once however many events arrive, is never processed
 * by two workers at once (an event during processing queues it again for afterwards), failures retry with
 * per-key exponential backoff, and a bounded number of workers drain it.
 */
export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly waiters: ((key: string | undefined) => void)[] = [];
  private readonly backoff: PerKeyBackoff;
  private shuttingDown = false;

  constructor(backoff = new PerKeyBackoff()) {
    this.backoff = backoff;
  }

  /** Queues the key unless it is already waiting. */
  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const waiter = this.waiters.shift();
    if (waiter) {
      this.dirty.delete(key);
      this.processing.add(key);
      waiter(key);
    } else this.queue.push(key);
  }

  /** Queues the key after a delay; of several pending delays for one key, the earliest wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) return this.add(key);
    const at = Date.now() + delayMs;
    const pending = this.timers.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.timers.set(key, { at, timer });
  }

  /** Queues the key again after its backoff delay, which doubles with each failure in a row. */
  addRateLimited(key: string): void {
    this.addAfter(key, this.backoff.next(key));
  }

  /** Resets the key's backoff after a success. */
  forget(key: string): void {
    this.backoff.forget(key);
  }

  /** How many times in a row the key has failed. */
  failures(key: string): number {
    return this.backoff.failuresOf(key);
  }

  /** Waits for the next key; undefined once the queue is shut down. The caller must call done(key). */
  get(): Promise<string | undefined> {
    const key = this.queue.shift();
    if (key !== undefined) {
      this.dirty.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks the key processed; if an event came in meanwhile, it is queued again. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      this.add(key);
    }
  }

  /** Keys waiting to be processed (not counting those in progress or delayed). */
  get depth(): number {
    return this.queue.length;
  }

  /** Keys being processed right now. */
  get inFlight(): number {
    return this.processing.size;
  }

  /** Stops taking keys: waiting workers get undefined, delayed keys are dropped. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
  }

  /**
   * Runs `workers` loops that take keys and hand them to the handler until shut down. Resolves when every
   * worker has finished its current key: a graceful stop never abandons a key half-processed.
   */
  async run(workers: number, handler: KeyHandler, onError?: (key: string, error: unknown) => void): Promise<void> {
    const loop = async () => {
      for (let key = await this.get(); key !== undefined; key = await this.get()) {
        await this.processOne(key, handler, onError);
      }
    };
    await Promise.all(Array.from({ length: workers }, loop));
  }

  private async processOne(key: string, handler: KeyHandler, onError?: (key: string, error: unknown) => void) {
    try {
      const result = await handler(key);
      this.forget(key);
      if (result?.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
    } catch (error) {
      onError?.(key, error);
      this.addRateLimited(key);
    } finally {
      this.done(key);
    }
  }
}
