import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { PerKeyBackoff } from './backoff.ts';
import { WorkQueue } from './workqueue.ts';

// Time is mocked (setTimeout and Date): delays are driven by tick(), nothing waits on the wall clock.
const mockTime = (t: TestContext) => t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });

/** Lets every promise chain started so far run to completion (setImmediate is not mocked). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A promise the test resolves: a handler that stays busy until released. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('WorkQueue', () => {
  it('queues a key once however many events arrive', async () => {
    const queue = new WorkQueue();
    for (let i = 0; i < 100; i++) queue.add('devteam-a');
    queue.add('devteam-b');
    assert.equal(queue.depth, 2);
    assert.equal(await queue.get(), 'devteam-a');
    assert.equal(await queue.get(), 'devteam-b');
  });

  it('never hands one key to two workers; an event during processing queues it again for afterwards', async () => {
    const queue = new WorkQueue();
    queue.add('a');
    const key = await queue.get();
    queue.add('a');
    assert.equal(queue.depth, 0, 'not queued while in progress');
    queue.done(key ?? '');
    assert.equal(queue.depth, 1, 'queued again once done');
  });

  it('doubles the backoff per failure up to its cap, per key, and starts over after a success', () => {
    const backoff = new PerKeyBackoff(10, 50);
    const delays = Array.from({ length: 6 }, () => backoff.next('a'));
    assert.deepEqual(delays, [10, 20, 40, 50, 50, 50], 'doubling until the cap, then the cap');
    assert.equal(backoff.next('b'), 10, 'another key has its own count');
    assert.equal(backoff.failuresOf('a'), 6);
    backoff.forget('a');
    assert.equal(backoff.next('a'), 10);
  });

  it('retries a failing key after its backoff delay, not before, and forgets the delays after a success', async (t) => {
    mockTime(t);
    const queue = new WorkQueue(new PerKeyBackoff(100, 1000));
    const attempts: number[] = [];
    const running = queue.run(1, async () => {
      attempts.push(Date.now());
      if (attempts.length <= 3) throw new Error('not yet');
    });
    queue.add('flaky');
    await settle();
    assert.deepEqual(attempts, [0], 'the first attempt at once');
    assert.equal(queue.failures('flaky'), 1);
    for (const [delay, failuresAfter] of [
      [100, 2],
      [200, 3],
      [400, 0],
    ] as const) {
      const before = attempts.length;
      t.mock.timers.tick(delay - 1);
      await settle();
      assert.equal(attempts.length, before, `no retry before ${delay} ms`);
      t.mock.timers.tick(1);
      await settle();
      assert.equal(attempts.length, before + 1, `a retry at ${delay} ms`);
      assert.equal(queue.failures('flaky'), failuresAfter);
    }
    assert.deepEqual(attempts, [0, 100, 300, 700], 'retried after 100, 200 and 400 ms');
    queue.add('flaky');
    await settle();
    assert.equal(attempts.length, 5, 'processed again at once: no backoff left after the success');
    queue.shutDown();
    await running;
  });

  it('runs at most the given number of workers, taking the next key as one finishes', async () => {
    const queue = new WorkQueue();
    const gates = new Map<string, ReturnType<typeof gate>>();
    const started: string[] = [];
    const running = queue.run(3, async (key) => {
      started.push(key);
      const held = gate();
      gates.set(key, held);
      await held.opened;
    });
    for (let i = 0; i < 10; i++) queue.add(`tenant-${i}`);
    await settle();
    assert.deepEqual(started, ['tenant-0', 'tenant-1', 'tenant-2']);
    assert.equal(queue.inFlight, 3);
    assert.equal(queue.depth, 7);
    gates.get('tenant-1')?.open();
    await settle();
    assert.deepEqual(started.slice(3), ['tenant-3'], 'one more once one finished');
    assert.equal(queue.inFlight, 3);
    for (let i = 0; i < 10; i++) {
      gates.get(`tenant-${i}`)?.open();
      await settle();
    }
    assert.equal(started.length, 10);
    assert.equal(queue.inFlight, 0);
    queue.shutDown();
    await running;
  });

  it('requeues after the delay a handler asks for', async (t) => {
    mockTime(t);
    const queue = new WorkQueue();
    let runs = 0;
    const running = queue.run(1, async () => {
      runs++;
      return runs === 1 ? { requeueAfterMs: 5000 } : {};
    });
    queue.add('waiting');
    await settle();
    assert.equal(runs, 1);
    t.mock.timers.tick(4999);
    await settle();
    assert.equal(runs, 1, 'not before the delay');
    t.mock.timers.tick(1);
    await settle();
    assert.equal(runs, 2, 'again after it');
    t.mock.timers.tick(60_000);
    await settle();
    assert.equal(runs, 2, 'and not again: the second run asked for nothing');
    queue.shutDown();
    await running;
  });

  it('keeps the earliest of several delays of one key and drops the others', async (t) => {
    mockTime(t);
    const queue = new WorkQueue();
    queue.addAfter('a', 200);
    queue.addAfter('a', 20);
    queue.addAfter('a', 500);
    t.mock.timers.tick(19);
    assert.equal(queue.depth, 0, 'not before the earliest delay');
    t.mock.timers.tick(1);
    assert.equal(queue.depth, 1, 'at the earliest delay');
    queue.done((await queue.get()) ?? '');
    t.mock.timers.tick(1000);
    assert.equal(queue.depth, 0, 'the later delays of the same key were dropped');
  });

  it('shuts down gracefully: waiting workers stop, in-flight keys finish, no key is taken afterwards', async () => {
    const queue = new WorkQueue();
    const slow = gate();
    let finished = false;
    queue.add('slow');
    let stopped = false;
    const running = queue
      .run(2, async () => {
        await slow.opened;
        finished = true;
      })
      .then(() => (stopped = true));
    await settle();
    queue.shutDown();
    await settle();
    assert.equal(stopped, false, 'waits for the key in flight');
    slow.open();
    await running;
    assert.equal(finished, true);
    queue.add('late');
    assert.equal(queue.depth, 0, 'no keys accepted after shut down');
    assert.equal(await queue.get(), undefined);
  });
});
