import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { LeaderElector } from '../../src/kube/leader-election.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { waitFor } from '../support/wait.ts';

const { http } = testCluster();
const timing = { leaseDurationMs: 2000, renewDeadlineMs: 1500, retryPeriodMs: 250 };

/** A candidate that leads until stopped, recording whether it leads. */
function candidate(lease: string, identity: string) {
  const elector = new LeaderElector(http, { namespace: 'default', name: lease, identity, ...timing });
  const stop = new AbortController();
  const running = elector.run(
    stop.signal,
    (signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve())),
  );
  return { elector, stop, running };
}

/** Samples both candidates while the test runs: two leaders at once is the one thing that must never happen. */
function watchForSplitBrain(a: LeaderElector, b: LeaderElector) {
  let overlaps = 0;
  const timer = setInterval(() => {
    if (a.isLeader && b.isLeader) overlaps++;
  }, 20);
  return () => {
    clearInterval(timer);
    return overlaps;
  };
}

describe('Lease leader election', () => {
  it('elects exactly one of two replicas, and the other takes over when the leader dies', async () => {
    const lease = uniqueName('lease');
    const a = candidate(lease, 'replica-a');
    await waitFor(async () => a.elector.isLeader, 'replica-a to lead');
    const b = candidate(lease, 'replica-b');
    const overlaps = watchForSplitBrain(a.elector, b.elector);
    await sleep(1000);
    assert.equal(b.elector.isLeader, false, 'replica-b waits while replica-a renews');
    // replica-a dies: it stops renewing and does not release the lease.
    a.stop.abort();
    await a.running;
    const died = Date.now();
    await waitFor(async () => b.elector.isLeader, 'replica-b to take over', 10_000);
    assert.ok(Date.now() - died >= timing.leaseDurationMs - 500, 'not before the lease expired');
    assert.equal(overlaps(), 0, 'never two leaders at once');
    b.stop.abort();
    await b.running;
  });

  it('hands over at once when the leader releases the lease on graceful shutdown', async () => {
    const lease = uniqueName('lease');
    const a = candidate(lease, 'replica-a');
    await waitFor(async () => a.elector.isLeader, 'replica-a to lead');
    const b = candidate(lease, 'replica-b');
    a.stop.abort();
    await a.running;
    await a.elector.release();
    const released = Date.now();
    await waitFor(async () => b.elector.isLeader, 'replica-b to take over', 5_000);
    assert.ok(Date.now() - released < timing.leaseDurationMs, 'faster than waiting for expiry');
    const stored = await http.request<{ spec: { holderIdentity: string; leaseTransitions: number } }>({
      method: 'GET',
      path: `/apis/coordination.k8s.io/v1/namespaces/default/leases/${lease}`,
    });
    assert.equal(stored.spec.holderIdentity, 'replica-b');
    assert.equal(stored.spec.leaseTransitions, 1);
    b.stop.abort();
    await b.running;
  });
});
