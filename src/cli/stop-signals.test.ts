import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { ExitCode } from './exit-codes.ts';
import { stopOnSignals } from './stop-signals.ts';

/** A process as far as signals go: emits them on demand, records an exit. */
class FakeProcess extends EventEmitter {
  exited: number | undefined;
  exit(code: number): void {
    this.exited = code;
  }
}

describe('stopping on SIGTERM and SIGINT', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} aborts the stop signal, and ends the process if stopping outlasts the deadline`, (t) => {
      t.mock.timers.enable({ apis: ['setTimeout'] });
      const target = new FakeProcess();
      const stop = new AbortController();
      const logs: string[] = [];
      stopOnSignals(stop, (line) => logs.push(line), target, 10_000);
      assert.equal(stop.signal.aborted, false);
      target.emit(signal);
      assert.equal(stop.signal.aborted, true);
      assert.deepEqual(logs, [`[landlord] ${signal}: stopping (at most 10 s)`]);
      t.mock.timers.tick(9_999);
      assert.equal(target.exited, undefined, 'a stop within the deadline ends by itself');
      t.mock.timers.tick(1);
      assert.equal(target.exited, ExitCode.environment);
      assert.equal(logs[1], `[landlord] not stopped 10 s after ${signal}: exiting now`);
    });
  }

  it('listens once per signal: a second Ctrl-C falls to Node, which ends the process at once', () => {
    const target = new FakeProcess();
    stopOnSignals(new AbortController(), () => {}, target);
    assert.equal(target.listenerCount('SIGINT'), 1);
    target.emit('SIGINT');
    assert.equal(target.listenerCount('SIGINT'), 0);
  });
});
