import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../test/support/manual-clock.ts';
import { within } from '../../test/support/wait.ts';
import { KubeApiError, type KubeRequest } from './http.ts';
import { LeaderElector } from './leader-election.ts';

interface StoredLease {
  metadata: { name: string; resourceVersion?: string };
  spec: { holderIdentity?: string; acquireTime?: string; renewTime?: string; leaseTransitions?: number };
}

const collection = '/apis/coordination.k8s.io/v1/namespaces/default/leases';

/** Leases as the API server keeps them: created on the collection, read and replaced at the object's path. */
class FakeLeaseApi {
  readonly leases = new Map<string, StoredLease>();
  private version = 0;
  /** While set, every request fails as an unreachable API server would. */
  unreachable = false;
  /** While set, every request is refused with this answer (no rights in the namespace, say). */
  refusal: KubeApiError | undefined;
  /** While set, requests get no answer at all (a dead network): only their signal ends them. */
  silent = false;
  /** Requests received. */
  requests = 0;

  /** What happens before the API server looks at a request: the network, and refusals of every request. */
  private async arrive(signal: AbortSignal | undefined): Promise<void> {
    this.requests++;
    await Promise.resolve(); // answers come later, as over a network
    if (this.silent) {
      await new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    }
    if (this.unreachable) throw new Error('connect ECONNREFUSED');
    if (this.refusal) throw this.refusal;
  }

  async request<T>({ method, path, body, signal }: KubeRequest): Promise<T> {
    await this.arrive(signal);
    if (method === 'POST') {
      if (path !== collection) throw new KubeApiError(405, 'MethodNotAllowed', `POST ${path}`);
      return this.store(structuredClone(body) as StoredLease, undefined);
    }
    const name = path.startsWith(`${collection}/`) ? path.slice(collection.length + 1) : '';
    if (!name || name.includes('/')) throw new KubeApiError(404, 'NotFound', `no such path ${path}`);
    const stored = this.leases.get(name);
    if (method === 'GET') {
      if (!stored) throw new KubeApiError(404, 'NotFound', `leases "${name}" not found`);
      return structuredClone(stored) as T;
    }
    if (method !== 'PUT') throw new KubeApiError(405, 'MethodNotAllowed', `${method} ${path}`);
    const lease = structuredClone(body) as StoredLease;
    if (lease.metadata.name !== name) throw new KubeApiError(400, 'BadRequest', 'the name in the body differs');
    return this.store(lease, stored);
  }

  /** Stores a create (nothing there yet) or an update (from the stored resourceVersion), or refuses it. */
  private store<T>(lease: StoredLease, current: StoredLease | undefined): T {
    const existing = this.leases.get(lease.metadata.name);
    const conflict = current ? existing?.metadata.resourceVersion !== lease.metadata.resourceVersion : existing;
    if (conflict)
      throw new KubeApiError(409, 'Conflict', `leases "${lease.metadata.name}": the object has been modified`);
    lease.metadata.resourceVersion = String(++this.version);
    this.leases.set(lease.metadata.name, lease);
    return structuredClone(lease) as T;
  }
}

const retryPeriodMs = 2_000;
const leaseDurationMs = 15_000;
const renewDeadlineMs = 10_000;

/** Replicas competing for one lease on a shared API and clock, each leading until stopped or deposed. */
function cluster() {
  const api = new FakeLeaseApi();
  const clock = new ManualClock(1_000_000);
  const logs: string[] = [];
  const errors: unknown[] = [];
  const start = (identity: string, leaseDuration = leaseDurationMs) => {
    const elector = new LeaderElector(api, {
      namespace: 'default',
      name: 'landlord-operator',
      identity,
      leaseDurationMs: leaseDuration,
      renewDeadlineMs,
      retryPeriodMs,
      releaseTimeoutMs: 50,
      clock,
      log: (line) => logs.push(line),
      onError: (error) => errors.push(error),
    });
    const stop = new AbortController();
    let deposed = false;
    const running = elector.run(
      stop.signal,
      (signal) =>
        new Promise((resolve) =>
          signal.addEventListener('abort', () => {
            deposed = !stop.signal.aborted;
            resolve();
          }),
        ),
    );
    let ended = false;
    void running.then(() => (ended = true));
    const halt = async () => {
      stop.abort();
      await running;
    };
    return { elector, halt, ended: () => ended, deposed: () => deposed };
  };
  const lease = () => api.leases.get('landlord-operator');
  return { api, clock, lease, start, logs, errors };
}

/** Advances the clock in steps of a quarter retry period, failing if two replicas ever lead at once. */
async function advanceWatching(clock: ManualClock, ms: number, electors: LeaderElector[]) {
  const step = retryPeriodMs / 4;
  for (let done = 0; done < ms; done += step) {
    await clock.advance(Math.min(step, ms - done));
    assert.ok(electors.filter((elector) => elector.isLeader).length <= 1, 'two leaders at once');
  }
}

const renewedAt = (lease: StoredLease | undefined) => Date.parse(lease?.spec.renewTime ?? '');

describe('Lease leader election', () => {
  it('elects exactly one of two replicas starting together; the other waits as long as the leader renews', async () => {
    const { clock, lease, start } = cluster();
    const a = start('replica-a');
    const b = start('replica-b');
    await clock.advance(0);
    assert.equal([a, b].filter((replica) => replica.elector.isLeader).length, 1, 'one of them won the create race');
    const holder = a.elector.isLeader ? 'replica-a' : 'replica-b';
    assert.equal(lease()?.spec.holderIdentity, holder);
    const acquired = lease()?.spec.acquireTime;
    await advanceWatching(clock, 10 * leaseDurationMs, [a.elector, b.elector]);
    assert.equal(lease()?.spec.holderIdentity, holder, 'still the same leader');
    assert.equal(lease()?.spec.acquireTime, acquired, 'in the same term');
    assert.ok(clock.now() - renewedAt(lease()) <= retryPeriodMs, 'renewed every retry period');
    assert.equal(lease()?.spec.leaseTransitions, 0);
    await Promise.all([a.halt(), b.halt()]);
  });

  it('takes over from a leader that died one lease duration after it saw the last renewal, not before', async () => {
    const { clock, lease, start } = cluster();
    const a = start('replica-a');
    await clock.advance(retryPeriodMs / 2);
    assert.equal(a.elector.isLeader, true);
    // b asks half a retry period after each of a's renewals: it sees each one that much later.
    const b = start('replica-b');
    await advanceWatching(clock, 3 * leaseDurationMs, [a.elector, b.elector]);
    assert.equal(b.elector.isLeader, false);
    // replica-a dies: it stops renewing and does not release the lease.
    await a.halt();
    const seen = renewedAt(lease()) + retryPeriodMs / 2;
    await advanceWatching(clock, seen + leaseDurationMs - 1 - clock.now(), [b.elector]);
    assert.equal(b.elector.isLeader, false, 'not before the lease expired');
    await advanceWatching(clock, retryPeriodMs, [b.elector]);
    assert.equal(b.elector.isLeader, true, 'at its first try after the expiry');
    assert.equal(lease()?.spec.holderIdentity, 'replica-b');
    assert.equal(lease()?.spec.leaseTransitions, 1);
    await b.halt();
  });

  it('hands the released lease to exactly one waiting replica within a retry period, however long the lease', async () => {
    const { clock, lease, start } = cluster();
    const hour = 3_600_000;
    const a = start('replica-a', hour);
    await clock.advance(0);
    const [b, c] = [start('replica-b', hour), start('replica-c', hour)];
    await advanceWatching(clock, retryPeriodMs, [a.elector, b.elector, c.elector]);
    await a.halt();
    await a.elector.release();
    assert.equal(lease()?.spec.holderIdentity, '');
    // b and c ask at the same instants: both see the free lease, and only one update may win.
    await advanceWatching(clock, retryPeriodMs, [b.elector, c.elector]);
    const leaders = [b, c].filter((replica) => replica.elector.isLeader);
    assert.equal(leaders.length, 1);
    assert.equal(lease()?.spec.holderIdentity, leaders[0] === b ? 'replica-b' : 'replica-c');
    await Promise.all([b.halt(), c.halt()]);
  });

  it('steps down when it cannot renew within the renew deadline, before the lease could pass to another', async () => {
    const { api, clock, start } = cluster();
    const a = start('replica-a');
    await clock.advance(0);
    await clock.advance(retryPeriodMs);
    const lastRenewal = clock.now();
    api.unreachable = true;
    await clock.advance(renewDeadlineMs);
    assert.equal(a.elector.isLeader, true, 'still within the renew deadline');
    await clock.advance(retryPeriodMs);
    assert.ok(clock.now() - lastRenewal < leaseDurationMs, 'the lease has not expired for the others yet');
    assert.equal(a.elector.isLeader, false, 'stepped down');
    assert.equal(a.deposed(), true, 'the lead callback was told to stop');
    assert.equal(a.ended(), true, 'run() returned');
  });

  it('keeps trying while the API server is unreachable, and leads once it answers', async () => {
    const { api, clock, start } = cluster();
    api.unreachable = true;
    const a = start('replica-a');
    await clock.advance(5 * retryPeriodMs);
    assert.equal(a.elector.isLeader, false);
    api.unreachable = false;
    await clock.advance(retryPeriodMs);
    assert.equal(a.elector.isLeader, true);
    await a.halt();
    assert.equal(a.deposed(), false, 'a stop is not a loss of leadership');
  });

  it('a standby says who leads; the leader says it leads', async () => {
    const { clock, start } = cluster();
    const a = start('replica-a');
    await clock.advance(0);
    const b = start('replica-b');
    await clock.advance(retryPeriodMs);
    assert.deepEqual(a.elector.participation, { state: 'leading' });
    assert.deepEqual(b.elector.participation, { state: 'standby', holder: 'replica-a' });
    await Promise.all([a.halt(), b.halt()]);
  });

  it("a replica refused the lease says why (the API server's reason and message), logs it once, counts each time", async () => {
    const { api, clock, start, logs, errors } = cluster();
    const message =
      'leases.coordination.k8s.io "landlord-operator" is forbidden: User "system:serviceaccount:landlord-system:' +
      'landlord-operator" cannot get resource "leases" in API group "coordination.k8s.io" in the namespace "default"';
    api.refusal = new KubeApiError(403, 'Forbidden', message);
    const a = start('replica-a');
    assert.deepEqual(a.elector.participation, { state: 'joining' }, 'nothing known before the first answer');
    await clock.advance(3 * retryPeriodMs);
    const participation = a.elector.participation;
    assert.equal(participation.state, 'failing', 'not a standby: it cannot take part');
    assert.equal(participation.state === 'failing' && participation.error, `Forbidden: ${message}`);
    assert.equal(errors.length, 4, 'one error counted per attempt');
    const told = logs.filter((line) => line.includes(message));
    assert.equal(told.length, 1, `logged once while it lasts: ${logs.join('\n')}`);
    assert.match(
      told[0] ?? '',
      /replica-a cannot take part in the election for lease default\/landlord-operator: Forbidden: /,
    );

    api.refusal = undefined;
    await clock.advance(retryPeriodMs);
    assert.deepEqual(a.elector.participation, { state: 'leading' }, 'leads once the lease can be had');
    assert.ok(logs.some((line) => /replica-a can take part in the election again/.test(line)));
    await a.halt();
  });

  it('a lease in a namespace that does not exist: refused on create, and said so', async () => {
    const { api, clock, start } = cluster();
    const a = start('replica-a');
    const create = api.request.bind(api);
    api.request = async <T>(request: KubeRequest): Promise<T> => {
      if (request.method === 'POST') throw new KubeApiError(404, 'NotFound', 'namespaces "default" not found');
      return create<T>(request);
    };
    await clock.advance(retryPeriodMs);
    const participation = a.elector.participation;
    assert.equal(participation.state === 'failing' && participation.error, 'NotFound: namespaces "default" not found');
    await a.halt();
  });

  it('stops at once while a request about the lease gets no answer, and releases nothing it never held', async () => {
    const { api, clock, start, logs, errors } = cluster();
    api.silent = true;
    const a = start('replica-a');
    await clock.advance(0);
    await within(a.halt(), 1000, 'run() after the stop');
    const asked = api.requests;
    await a.elector.release();
    assert.equal(api.requests, asked, 'a replica that never held the lease asks nothing on release');
    assert.deepEqual(errors, [], 'a request given up on stopping is no failure of the election');
    assert.deepEqual(logs, []);
  });

  it('a leader stops at once while its renewal gets no answer, and gives up releasing in bounded time', async () => {
    const { api, clock, start, logs } = cluster();
    const a = start('replica-a');
    await clock.advance(0);
    assert.equal(a.elector.isLeader, true);
    api.silent = true;
    await clock.advance(retryPeriodMs);
    await within(a.halt(), 1000, 'run() after the stop');
    await within(a.elector.release(), 1000, 'release()');
    assert.ok(
      logs.some((line) => /replica-a could not release the lease: .*abort/i.test(line)),
      logs.join('\n'),
    );
  });
});
