import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LeaderElector } from '../../src/kube/leader-election.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { waitFor } from '../support/wait.ts';

const { http } = testCluster();
const timing = { leaseDurationMs: 2000, renewDeadlineMs: 1500, retryPeriodMs: 250 };

interface StoredLease {
  spec: { holderIdentity: string; renewTime: string; leaseTransitions: number };
}
const readLease = (lease: string) =>
  http.request<StoredLease>({ method: 'GET', path: `/apis/coordination.k8s.io/v1/namespaces/default/leases/${lease}` });
/** Lease times are MicroTime, written by the electors from this machine's clock. */
const at = (microTime: string) => Date.parse(microTime);

/** A candidate that leads until stopped, recording whether it leads. */
function candidate(lease: string, identity: string, overrides: Partial<typeof timing> = {}) {
  const elector = new LeaderElector(http, { namespace: 'default', name: lease, identity, ...timing, ...overrides });
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
    // More than a lease duration of renewals with b trying all along: b would have taken an unrenewed lease.
    const since = at((await readLease(lease)).spec.renewTime);
    await waitFor(
      async () => at((await readLease(lease)).spec.renewTime) > since + timing.leaseDurationMs,
      'replica-a to renew for a lease duration',
      10_000,
    );
    assert.equal(b.elector.isLeader, false, 'replica-b waits while replica-a renews');
    // replica-a dies: it stops renewing and does not release the lease.
    a.stop.abort();
    await a.running;
    const last = await readLease(lease);
    assert.equal(last.spec.holderIdentity, 'replica-a');
    await waitFor(async () => b.elector.isLeader, 'replica-b to take over', 10_000);
    const taken = await readLease(lease);
    assert.equal(taken.spec.holderIdentity, 'replica-b');
    assert.equal(taken.spec.leaseTransitions, last.spec.leaseTransitions + 1);
    assert.equal(overlaps(), 0, 'never two leaders at once');
    b.stop.abort();
    await b.running;
  });

  it('hands over at once when the leader releases the lease on graceful shutdown', async () => {
    const lease = uniqueName('lease');
    // A lease of ten minutes: only the release can explain a takeover within the wait below.
    const long = { leaseDurationMs: 600_000, renewDeadlineMs: 500_000 };
    const a = candidate(lease, 'replica-a', long);
    await waitFor(async () => a.elector.isLeader, 'replica-a to lead');
    const b = candidate(lease, 'replica-b', long);
    a.stop.abort();
    await a.running;
    await a.elector.release();
    await waitFor(async () => b.elector.isLeader, 'replica-b to take over', 10_000);
    const stored = await readLease(lease);
    assert.equal(stored.spec.holderIdentity, 'replica-b');
    assert.equal(stored.spec.leaseTransitions, 1);
    b.stop.abort();
    await b.running;
  });
});
