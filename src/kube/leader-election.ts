import { KubeApiError, type KubeHttp, type KubeRequest } from './http.ts';
import { apiPath } from './api-path.ts';
import { resources } from './resources.ts';
import { type Clock, systemClock } from './clock.ts';

/** Where the lease lives and how long leadership lasts without renewal. */
export interface LeaderElectionOptions {
  namespace: string;
  name: string;
  /** This replica's identity, unique among replicas (pod name, or host and pid). */
  identity: string;
  leaseDurationMs?: number;
  /** A leader that has not renewed for this long steps down (before others may take over). */
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** How long one request about the lease may take (default: the renew deadline, at most 5 s). */
  requestTimeoutMs?: number;
  /** How long giving the lease up on shutdown may take, in all: then it is left to expire. */
  releaseTimeoutMs?: number;
  log?: (line: string) => void;
  /** Told of every failed attempt to read or write the lease (to count them); the elector keeps trying. */
  onError?: (error: unknown) => void;
  /** Where time comes from: the system's unless a test drives it. */
  clock?: Clock;
}

/**
 * Where this replica stands: not answered yet; standing by while another replica holds the lease; leading; or
 * failing, when its last attempt to read or write the lease failed (no rights in the namespace, no namespace,
 * no API server): then it cannot become leader at all, which is not the same as standing by.
 */
export type Participation =
  | { state: 'joining' }
  | { state: 'standby'; holder: string }
  | { state: 'leading' }
  | { state: 'failing'; error: string };

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

interface Lease {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: LeaseSpec;
}

/** Kubernetes MicroTime: RFC 3339 with exactly six fractional digits. */
function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * Lease-based leader election, after client-go's: a candidate takes the lease when it is free or when its
 * holder has not renewed it for a lease duration, measured by this replica's own clock from the moment it
 * saw the lease change (so clocks need not agree). Updates carry the resourceVersion, so two candidates
 * can never both win. The leader renews every retry period and steps down if it cannot within the deadline.
 */
export class LeaderElector {
  private readonly http: Pick<KubeHttp, 'request'>;
  private readonly options: Required<LeaderElectionOptions>;
  private observed: { resourceVersion?: string; at: number } = { at: 0 };
  private leading = false;
  /** Who held the lease when this replica last read it. */
  private holder: string | undefined;
  /** What the last attempt failed with, until one succeeds. */
  private failure: string | undefined;
  /** Whether this replica has ever written itself into the lease (else there is nothing to release). */
  private acquired = false;

  constructor(http: Pick<KubeHttp, 'request'>, options: LeaderElectionOptions) {
    this.http = http;
    const renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.options = {
      leaseDurationMs: 15_000,
      renewDeadlineMs,
      retryPeriodMs: 2_000,
      requestTimeoutMs: Math.min(renewDeadlineMs, 5_000),
      releaseTimeoutMs: 2_000,
      log: () => {},
      onError: () => {},
      clock: systemClock,
      ...options,
    };
  }

  /** Whether this replica holds the lease right now. */
  get isLeader(): boolean {
    return this.leading;
  }

  /** Where this replica stands in the election (readiness tells a standby from one that cannot take part). */
  get participation(): Participation {
    if (this.leading) return { state: 'leading' };
    if (this.failure !== undefined) return { state: 'failing', error: this.failure };
    if (this.holder !== undefined) return { state: 'standby', holder: this.holder };
    return { state: 'joining' };
  }

  /**
   * Waits until leadership is acquired, then leads by running `lead` with a signal that aborts when
   * leadership is lost or `stop` aborts. Resolves once `lead` has returned after either.
   */
  async run(stop: AbortSignal, lead: (signal: AbortSignal) => Promise<void>): Promise<void> {
    while (!stop.aborted && !(await this.attempt(stop))) {
      await this.options.clock.sleep(this.options.retryPeriodMs, stop);
    }
    if (stop.aborted) return;
    this.leading = true;
    this.options.log(`[leader] ${this.options.identity} leads ${this.options.namespace}/${this.options.name}`);
    const leadership = new AbortController();
    stop.addEventListener('abort', () => leadership.abort(), { once: true });
    const renewing = this.keepRenewing(leadership);
    await lead(leadership.signal);
    leadership.abort();
    await renewing;
    this.leading = false;
  }

  /**
   * Gives the lease up so another replica can take over at once (on graceful shutdown). Never throws: a lease
   * that cannot be released expires by itself. A replica that never held it asks nothing.
   */
  async release(): Promise<void> {
    if (!this.acquired) return;
    const within = AbortSignal.timeout(this.options.releaseTimeoutMs);
    try {
      const lease = await this.read(within);
      if (!lease || lease.spec.holderIdentity !== this.options.identity) return;
      lease.spec = { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(this.date()) };
      if (await this.write(lease, within)) this.options.log(`[leader] ${this.options.identity} released the lease`);
    } catch (error) {
      this.options.log(`[leader] ${this.options.identity} could not release the lease: ${(error as Error).message}`);
    }
  }

  private async keepRenewing(leadership: AbortController): Promise<void> {
    let lastRenewal = this.options.clock.now();
    while (!leadership.signal.aborted) {
      await this.options.clock.sleep(this.options.retryPeriodMs, leadership.signal);
      if (leadership.signal.aborted) return;
      if (await this.attempt(leadership.signal)) lastRenewal = this.options.clock.now();
      else if (this.options.clock.now() - lastRenewal > this.options.renewDeadlineMs) {
        this.options.log(`[leader] ${this.options.identity} lost the lease: stepping down`);
        leadership.abort();
      }
    }
  }

  /**
   * One try at taking or renewing the lease, given up when `signal` aborts; a failure is counted and logged (once
   * while it lasts), never thrown.
   */
  private async attempt(signal: AbortSignal): Promise<boolean> {
    const { identity, namespace, name } = this.options;
    try {
      const won = await this.tryAcquireOrRenew(signal);
      if (this.failure !== undefined) this.options.log(`[leader] ${identity} can take part in the election again`);
      this.failure = undefined;
      return won;
    } catch (error) {
      // Given up because this replica stops: not a failure of the election.
      if (signal.aborted) return false;
      this.options.onError(error);
      const failure = error instanceof KubeApiError ? `${error.reason}: ${error.message}` : (error as Error).message;
      if (failure !== this.failure) {
        this.options.log(
          `[leader] ${identity} cannot take part in the election for lease ${namespace}/${name}: ${failure}`,
        );
      }
      this.failure = failure;
      return false;
    }
  }

  private async tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    const now = this.date();
    const lease = await this.read(signal);
    if (!lease) return this.create(now, signal);
    if (lease.metadata.resourceVersion !== this.observed.resourceVersion) {
      this.observed = { resourceVersion: lease.metadata.resourceVersion, at: this.options.clock.now() };
    }
    const holder = lease.spec.holderIdentity;
    this.holder = holder ?? '';
    const durationMs = (lease.spec.leaseDurationSeconds ?? 0) * 1000;
    const held = holder && holder !== this.options.identity && this.observed.at + durationMs > this.options.clock.now();
    if (held) return false;
    const renewing = holder === this.options.identity;
    lease.spec = {
      holderIdentity: this.options.identity,
      leaseDurationSeconds: Math.ceil(this.options.leaseDurationMs / 1000),
      acquireTime: renewing ? lease.spec.acquireTime : microTime(now),
      renewTime: microTime(now),
      leaseTransitions: (lease.spec.leaseTransitions ?? 0) + (renewing ? 0 : 1),
    };
    const won = await this.write(lease, signal);
    this.acquired ||= won;
    return won;
  }

  private date(): Date {
    return new Date(this.options.clock.now());
  }

  /** The Lease's path; the collection's for a create. (Not a default parameter: undefined would pick it.) */
  private path(of: 'lease' | 'collection' = 'lease'): string {
    const name = of === 'lease' ? this.options.name : undefined;
    return apiPath(resources.lease, { namespace: this.options.namespace, name });
  }

  /** A request about the lease: bounded in time, and given up when the signal aborts. */
  private request<T>(req: KubeRequest, signal: AbortSignal): Promise<T> {
    return this.http.request<T>({ ...req, timeoutMs: this.options.requestTimeoutMs, signal });
  }

  private async read(signal: AbortSignal): Promise<Lease | undefined> {
    try {
      return await this.request<Lease>({ method: 'GET', path: this.path() }, signal);
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  private async create(now: Date, signal: AbortSignal): Promise<boolean> {
    const lease: Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.options.name, namespace: this.options.namespace },
      spec: {
        holderIdentity: this.options.identity,
        leaseDurationSeconds: Math.ceil(this.options.leaseDurationMs / 1000),
        acquireTime: microTime(now),
        renewTime: microTime(now),
        leaseTransitions: 0,
      },
    };
    try {
      const created = await this.request<Lease>({ method: 'POST', path: this.path('collection'), body: lease }, signal);
      this.observed = { resourceVersion: created.metadata.resourceVersion, at: this.options.clock.now() };
      this.acquired = true;
      return true;
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 409) return false;
      throw error;
    }
  }

  /** Replaces the lease if nobody changed it since it was read (resourceVersion precondition). */
  private async write(lease: Lease, signal: AbortSignal): Promise<boolean> {
    try {
      const written = await this.request<Lease>({ method: 'PUT', path: this.path(), body: lease }, signal);
      this.observed = { resourceVersion: written.metadata.resourceVersion, at: this.options.clock.now() };
      return true;
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 409) return false;
      throw error;
    }
  }
}
