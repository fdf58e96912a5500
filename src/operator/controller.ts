import { HouseCredentialWatches } from './house/credential-watches.ts';
import type { KubernetesObject } from '../kube/object.ts';
import type { PlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import { Discovery } from '../kube/discovery.ts';
import { KubeHttp } from '../kube/http.ts';
import type { Connection } from '../kube/kubeconfig.ts';
import { Informer, type InformerEvent } from '../kube/informer.ts';
import { LeaderElector } from '../kube/leader-election.ts';
import { KubeApiError } from '../kube/api-error.ts';
import { systemClock } from '../kube/clock.ts';
import { WorkQueue } from '../kube/workqueue.ts';
import type { Concern, HeldKind } from '../tenancy/concern.ts';
import { tenantConcerns } from '../tenancy/concerns.ts';
import { tenantLabel } from '../tenancy/ownership.ts';
import { Applier } from './applier.ts';
import { ClusterCache } from './cluster-cache.ts';
import type { ReconcileContext } from './context.ts';
import type { OidcClientRegistry } from '../integrations/identity/oidc-client-registry.ts';
import { EventRecorder } from './events.ts';
import { OperatorMetrics } from './metrics.ts';
import type { Integrations } from './external-integration.ts';
import { HeldKindTable } from './held-kinds.ts';
import { reconcileTenant } from './reconcile-tenant.ts';
import { tenantsMeeting } from './name-verdict.ts';
import { PhaseCounts } from './phase-counts.ts';
import { recordQuotaMetrics } from './quota-metrics.ts';
import { changesOnlyStatus } from './status-only.ts';
import { tenantIndexKeys } from './tenant-index.ts';
import type { Readiness } from './server.ts';
import { tenantResource } from '../api/crd.ts';
import { apiPath } from '../kube/api-path.ts';
import { heldBackInGroup } from './within-limits.ts';
import { nodePoolsFor, type NodePools } from './node-pool/node-pools.ts';
import { unguardedNamespaces } from '../platform/guardrails.ts';

/** How the operator runs. */
export interface OperatorOptions {
  kubeConfig: Connection;
  platform: PlatformConfig;
  /** This replica's name, in the lease and in events. */
  identity: string;
  workers?: number;
  /** Every tenant is reconciled again this often, even with no event (a missed event cannot stick). */
  resyncMs?: number;
  /** With a lease, only the replica holding it reconciles; without, this one always does. */
  leaderElection?: {
    namespace: string;
    name: string;
    leaseDurationMs?: number;
    renewDeadlineMs?: number;
    retryPeriodMs?: number;
  };
  /** Act as this user on every request (run with a ServiceAccount's rights from an admin kubeconfig). */
  impersonate?: string;
  log?: (line: string) => void;
  /** How long a stop waits for tenants being reconciled before aborting their requests (default 5 s). */
  drainMs?: number;
  /** The tenant's concerns, in apply order: tenancy/concerns.ts unless given (a test's throwaway concern). */
  concerns?: readonly Concern[];
  /** What keeps the things of external concerns (a Git forge), by the name the concerns give. */
  integrations?: Integrations;
  /** The platform's identity provider's clients (houses' Argo CD); its owner closes it after the operator stops. */
  oidcClients?: OidcClientRegistry;
}

/**
 * The tenant operator: watches Tenants and every kind it owns, and reconciles a tenant whenever it or one of
 * its objects changes. Standby replicas wait for the lease and watch nothing.
 */
export class TenantOperator {
  readonly metrics = new OperatorMetrics();
  private readonly options: OperatorOptions;
  private readonly http: KubeHttp;
  private readonly log: (line: string) => void;
  private elector: LeaderElector | undefined;
  /** The informers of the current leadership, by what they watch ("Tenant", "Application argoproj.io/v1alpha1"). */
  private watching: { what: string; informer: Informer<KubernetesObject> }[] | undefined;
  private readonly concerns: readonly Concern[];
  private readonly kinds: HeldKindTable;

  constructor(options: OperatorOptions) {
    this.options = options;
    // The lease's client; each leadership has its own for its work (see lead).
    this.http = new KubeHttp(options.kubeConfig, { user: options.impersonate });
    this.log = options.log ?? (() => {});
    this.concerns = options.concerns ?? tenantConcerns;
    this.kinds = new HeldKindTable(this.concerns, options.platform.argocd.namespace);
  }

  /**
   * Ready: a standby while another replica leads; a leader once every informer has listed once. Not ready, with
   * the reason: a replica that cannot take part in the election (no rights on the lease, no namespace), or a
   * leader with a kind still unlisted (a CRD not installed, say: that kind is named, with the API server's answer).
   */
  get readiness(): Readiness {
    const election = this.options.leaderElection;
    const participation = this.elector?.participation;
    const lease = `lease ${election?.namespace}/${election?.name}`;
    if (participation?.state === 'failing')
      return { ready: false, reason: `cannot take part in the leader election (${lease}): ${participation.error}` };
    if (participation?.state === 'joining') return { ready: false, reason: `joining the leader election (${lease})` };
    if (participation?.state === 'standby') return { ready: true };
    return this.cachesReadiness();
  }

  /** Whether /readyz answers ok. */
  get ready(): boolean {
    return this.readiness.ready;
  }

  /** Runs until the signal aborts (or leadership is lost), then stops gracefully and releases the lease. */
  async run(stop: AbortSignal): Promise<void> {
    const election = this.options.leaderElection;
    if (!election) return this.lead(stop);
    this.elector = new LeaderElector(this.http, {
      ...election,
      identity: this.options.identity,
      log: this.log,
      onError: (error) =>
        this.metrics.leaderElectionErrors.inc({ reason: error instanceof KubeApiError ? error.reason : 'NoAnswer' }),
    });
    await this.elector.run(stop, (signal) => this.lead(signal));
    await this.elector.release();
  }

  /** Closes connections once the operator has stopped. */
  close(): void {
    this.http.close();
  }

  private async lead(signal: AbortSignal): Promise<void> {
    this.metrics.isLeader.set(1);
    // This leadership's requests: aborted when a stop's drain runs out of time (an API server that never answers).
    const work = new AbortController();
    const http = new KubeHttp(this.options.kubeConfig, { user: this.options.impersonate, signal: work.signal });
    const queue = new WorkQueue();
    const tenants = new Informer<Tenant>(http, {
      path: apiPath(tenantResource),
      resyncMs: this.options.resyncMs ?? 10 * 60_000,
      // Two tenants may not share a teamName, nor names in each other's space: the index finds a rival without
      // scanning every tenant; a group's tenants are summed against its budget, and its held-back ones found, the same way.
      indexBy: tenantIndexKeys,
      compact: true,
      onError: (error) => this.log(`[operator] watching tenants: ${(error as Error).message}`),
    });
    const phases = new PhaseCounts();
    tenants.on((event) => {
      phases.observe(event);
      queue.add(event.object.metadata.name);
      // A resync changed nothing: what the tenant frees or claims was handled when it changed.
      if (event.type === 'resync') return;
      // A tenant that comes or goes may decide another's names: the tenants its team's space meets look again.
      if (event.type === 'add' || event.type === 'delete')
        for (const other of tenantsMeeting(tenants, event.object.spec.teamName)) queue.add(other.metadata.name);
      for (const name of heldBackInGroup(tenants, event.object)) queue.add(name);
    });
    const owned = this.watchHeldKinds(http, queue);
    const cache = new ClusterCache(owned);
    // Quota usage changes on every counted create in a namespace: the gauges follow it without a reconcile.
    for (const [kind, informer] of owned) {
      if (kind.kind !== 'ResourceQuota') continue;
      informer.on((event) => {
        const tenant = event.object.metadata?.labels?.[tenantLabel];
        if (tenant && event.type !== 'resync') recordQuotaMetrics(this.metrics, cache, tenant);
      });
    }
    const settings = this.options.platform.nodePools;
    const platformNamespaces = unguardedNamespaces(this.options.platform);
    const wiring = { http, queue, tenants, settings, platformNamespaces, metrics: this.metrics, log: this.log };
    const pools = nodePoolsFor(this.concerns, wiring);
    this.watching = [
      { what: 'Tenant', informer: tenants as unknown as Informer<KubernetesObject> },
      ...[...owned].map(([kind, informer]) => ({ what: `${kind.kind} ${kind.apiVersion}`, informer })),
      ...(pools ? [{ what: 'Node v1', informer: pools.informer as unknown as Informer<KubernetesObject> }] : []),
    ];
    const informers = this.watching.map(({ informer }) => informer);
    // Workers start once every cache is filled, or after a grace period: a kind the API server does not serve
    // (Argo CD's CRDs not installed) must not hold the other kinds' work up. Readiness names it until it lists.
    await Promise.race([Promise.all(informers.map((informer) => informer.start())), systemClock.sleep(10_000, signal)]);
    const houseCredentials = new HouseCredentialWatches(http, (name) => queue.add(name));
    const ctx = { ...this.context(http, tenants, cache, pools), houseCredentials };
    if (!signal.aborted) await this.work(signal, work, ctx, queue, phases);
    houseCredentials.stopAll();
    await Promise.all(informers.map((informer) => informer.stop()));
    http.close();
    this.watching = undefined;
    this.metrics.isLeader.set(0);
  }

  /**
   * Reconciles tenants from the queue until the signal aborts, then drains: workers finish their tenants within
   * the drain time, after which their requests are aborted (a stop never waits on an API server that does not
   * answer).
   */
  private async work(
    signal: AbortSignal,
    work: AbortController,
    ctx: ReconcileContext,
    queue: WorkQueue,
    phases: PhaseCounts,
  ) {
    const gauges = setInterval(() => this.updateGauges(phases, queue), 1000);
    const reconcile = async (key: string) => {
      const result = await reconcileTenant(ctx, key);
      this.metrics.reconciles.inc({ result: 'success' });
      return result;
    };
    const running = queue.run(this.options.workers ?? 8, reconcile, (key, error) => {
      // Requests cut short by the stop: the next leader reconciles the tenant, nothing failed.
      if (work.signal.aborted) return;
      this.metrics.reconciles.inc({ result: 'error' });
      this.metrics.reconcileErrors.inc();
      this.log(`[operator] tenant ${key}: ${(error as Error).message} (will retry)`);
    });
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    clearInterval(gauges);
    queue.shutDown();
    const drainMs = this.options.drainMs ?? 5000;
    if (!(await settlesWithin(running, drainMs))) {
      this.log(`[operator] tenants still reconciling ${drainMs} ms after the stop: aborting their requests`);
      work.abort();
      await running;
    }
  }

  /** Ready once every informer has listed; else the kinds still waiting, each with the last answer it got. */
  private cachesReadiness(): Readiness {
    if (!this.watching) return { ready: false, reason: 'informers not started' };
    const waiting = this.watching.filter(({ informer }) => !informer.hasSynced);
    if (waiting.length === 0) return { ready: true };
    const kinds = waiting.map(({ what, informer }) => {
      const error = informer.lastError;
      return error ? `${what} (${error instanceof Error ? error.message : String(error)})` : what;
    });
    return { ready: false, reason: `waiting for the first list of ${kinds.join('; ')}` };
  }

  /**
   * One informer per held kind, on Landlord's label only; any change requeues the holding tenant, but a change of
   * status alone where Landlord does not hold the status (a quota's usage, an Application's sync): that is no drift.
   */
  private watchHeldKinds(http: KubeHttp, queue: WorkQueue): Map<HeldKind, Informer<KubernetesObject>> {
    const informers = new Map<HeldKind, Informer<KubernetesObject>>();
    for (const kind of this.kinds.all) {
      const informer = new Informer<KubernetesObject>(http, {
        path: this.kinds.collectionPath(kind),
        labelSelector: tenantLabel,
        indexBy: (object) => object.metadata?.labels?.[tenantLabel],
        compact: true,
        onError: (error) => this.log(`[operator] watching ${kind.kind}: ${(error as Error).message}`),
      });
      const holdsStatus = kind.exact?.includes('status') ?? false;
      informer.on((event: InformerEvent<KubernetesObject>) => {
        const tenant = event.object.metadata?.labels?.[tenantLabel];
        if (!tenant || event.type === 'resync') return;
        if (event.type === 'update' && !holdsStatus && changesOnlyStatus(event.old, event.object)) return;
        queue.add(tenant);
      });
      informers.set(kind, informer);
    }
    return informers;
  }

  private context(http: KubeHttp, tenants: Informer<Tenant>, cache: ClusterCache, pools?: NodePools): ReconcileContext {
    const countWrite = (verb: string) => this.metrics.apiWrites.inc({ verb });
    const discovery = new Discovery(http);
    return {
      concerns: this.concerns,
      kinds: this.kinds,
      integrations: this.options.integrations ?? new Map(),
      http,
      tenants,
      cache,
      applier: new Applier({ http, discovery, cache, kinds: this.kinds, countWrite }),
      platform: this.options.platform,
      events: new EventRecorder(http, this.options.identity, countWrite),
      metrics: this.metrics,
      countWrite,
      log: this.log,
      nodePools: pools,
      oidcClients: this.options.oidcClients,
    };
  }

  private updateGauges(phases: PhaseCounts, queue: WorkQueue): void {
    this.metrics.queueDepth.set(queue.depth);
    for (const [phase, count] of phases.counts()) this.metrics.tenantsByPhase.set({ phase }, count);
  }
}

/** Whether the promise settles within `ms` (it keeps running either way). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const settled = promise.then(
    () => true,
    () => true,
  );
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}
