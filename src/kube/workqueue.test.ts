import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { PerKeyBackoff } from './backoff.ts';
import { WorkQueue } from './workqueue.ts';

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

  it('retries failures with per-key exponential backoff, reset on success', async () => {
    const backoff = new PerKeyBackoff(10, 1000);
    assert.deepEqual([backoff.next('a'), backoff.next('a'), backoff.next('a'), backoff.next('b')], [10, 20, 40, 10]);
    backoff.forget('a');
    assert.equal(backoff.next('a'), 10);
    assert.equal(new PerKeyBackoff(10, 50).next('x') <= 50, true);
    const capped = new PerKeyBackoff(10, 50);
    for (let i = 0; i < 10; i++) capped.next('x');
    assert.equal(capped.next('x'), 50);
  });

  it('runs a bounded number of workers and retries a failing key until it succeeds', async () => {
    const queue = new WorkQueue(new PerKeyBackoff(5, 50));
    let running = 0;
    let peak = 0;
    const attempts = new Map<string, number>();
    const handled: string[] = [];
    const done = queue.run(3, async (key) => {
      running++;
      peak = Math.max(peak, running);
      await sleep(5);
      running--;
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      if (key === 'flaky' && attempt < 3) throw new Error('not yet');
      handled.push(key);
    });
    for (let i = 0; i < 10; i++) queue.add(`tenant-${i}`);
    queue.add('flaky');
    while (handled.length < 11) await sleep(5);
    queue.shutDown();
    await done;
    assert.equal(peak, 3);
    assert.equal(attempts.get('flaky'), 3);
    assert.equal(queue.failures('flaky'), 0, 'backoff forgotten after success');
  });

  it('requeues after the delay a handler asks for, keeping the earliest of several delays', async () => {
    const queue = new WorkQueue();
    queue.addAfter('a', 200);
    queue.addAfter('a', 20);
    queue.addAfter('a', 500);
    const started = Date.now();
    const key = await queue.get();
    assert.equal(key, 'a');
    assert.ok(Date.now() - started < 150, 'the earliest delay won');
    queue.done('a');
    await sleep(600);
    assert.equal(queue.depth, 0, 'later delays of the same key were dropped');
    queue.shutDown();
  });

  it('shuts down gracefully: waiting workers stop, in-flight keys finish', async () => {
    const queue = new WorkQueue();
    let finished = false;
    queue.add('slow');
    const running = queue.run(2, async () => {
      await sleep(50);
      finished = true;
    });
    await sleep(10);
    queue.shutDown();
    await running;
    assert.equal(finished, true);
    queue.add('late');
    assert.equal(queue.depth, 0, 'no keys accepted after shut down');
  });
});
