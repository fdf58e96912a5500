import { setTimeout as sleep } from 'node:timers/promises';
import type { KubernetesObject } from '../kube/object.ts';
import type { PlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import { Discovery } from '../kube/discovery.ts';
import { KubeHttp } from '../kube/http.ts';
import type { Connection } from '../kube/kubeconfig.ts';
import { Informer, type InformerEvent } from '../kube/informer.ts';
import { LeaderElector } from '../kube/leader-election.ts';
import { WorkQueue } from '../kube/workqueue.ts';
import type { Concern, HeldKind } from '../tenancy/concern.ts';
import { tenantConcerns } from '../tenancy/concerns.ts';
import { tenantLabel } from '../tenancy/ownership.ts';
import { Applier } from './applier.ts';
import { ClusterCache } from './cluster-cache.ts';
import type { ReconcileContext } from './context.ts';
import { EventRecorder } from './events.ts';
import { OperatorMetrics } from './metrics.ts';
import type { Integrations } from './external-integration.ts';
import { HeldKindTable } from './held-kinds.ts';
import { reconcileTenant } from './reconcile-tenant.ts';
import { tenantResource } from '../api/crd.ts';
import { apiPath } from '../kube/api-path.ts';

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
  /** The tenant's concerns, in apply order: tenancy/concerns.ts unless given (a test's throwaway concern). */
  concerns?: readonly Concern[];
  /** What keeps the things of external concerns (a Git forge), by the name the concerns give. */
  integrations?: Integrations;
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
  private synced = false;
  private readonly concerns: readonly Concern[];
  private readonly kinds: HeldKindTable;

  constructor(options: OperatorOptions) {
    this.options = options;
    this.http = new KubeHttp(options.kubeConfig, options.impersonate ? { user: options.impersonate } : undefined);
    this.log = options.log ?? (() => {});
    this.concerns = options.concerns ?? tenantConcerns;
    this.kinds = new HeldKindTable(this.concerns, options.platform.argocd.namespace);
  }

  /** Ready: a standby is always ready; a leader once its caches are filled. */
  get ready(): boolean {
    return this.elector ? !this.elector.isLeader || this.synced : this.synced;
  }

  /** Runs until the signal aborts (or leadership is lost), then stops gracefully and releases the lease. */
  async run(stop: AbortSignal): Promise<void> {
    const election = this.options.leaderElection;
    if (!election) return this.lead(stop);
    this.elector = new LeaderElector(this.http, { ...election, identity: this.options.identity, log: this.log });
    await this.elector.run(stop, (signal) => this.lead(signal));
    await this.elector.release();
  }

  /** Closes connections once the operator has stopped. */
  close(): void {
    this.http.close();
  }

  private async lead(signal: AbortSignal): Promise<void> {
    this.metrics.isLeader.set(1);
    const queue = new WorkQueue();
    const tenants = new Informer<Tenant>(this.http, {
      path: apiPath(tenantResource),
      resyncMs: this.options.resyncMs ?? 10 * 60_000,
      // Two tenants may not share a teamName: the index finds a rival without scanning every tenant.
      indexBy: (tenant) => tenant.spec.teamName,
      compact: true,
      onError: (error) => this.log(`[operator] watching tenants: ${(error as Error).message}`),
    });
    tenants.on((event) => queue.add(event.object.metadata.name));
    const owned = this.watchHeldKinds(queue);
    const informers = [tenants as unknown as Informer<KubernetesObject>, ...owned.values()];
    // A kind the API server does not serve yet (Argo CD's CRDs not installed) must not hold up the others.
    await Promise.all(informers.map((informer) => Promise.race([informer.start(), sleep(10_000)])));
    this.synced = true;
    const ctx = this.context(tenants, new ClusterCache(owned));
    const gauges = setInterval(() => this.updateGauges(tenants, queue), 1000);
    const reconcile = async (key: string) => {
      const result = await reconcileTenant(ctx, key);
      this.metrics.reconciles.inc({ result: 'success' });
      return result;
    };
    const running = queue.run(this.options.workers ?? 8, reconcile, (key, error) => {
      this.metrics.reconciles.inc({ result: 'error' });
      this.metrics.reconcileErrors.inc();
      this.log(`[operator] tenant ${key}: ${(error as Error).message} (will retry)`);
    });
    // Stopped while the caches were filling? Then the abort event has already fired.
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    clearInterval(gauges);
    queue.shutDown();
    await running;
    await Promise.all(informers.map((informer) => informer.stop()));
    this.synced = false;
    this.metrics.isLeader.set(0);
  }

  /** One informer per held kind, on Landlord's label only; any change requeues the holding tenant. */
  private watchHeldKinds(queue: WorkQueue): Map<HeldKind, Informer<KubernetesObject>> {
    const informers = new Map<HeldKind, Informer<KubernetesObject>>();
    for (const kind of this.kinds.all) {
      const informer = new Informer<KubernetesObject>(this.http, {
        path: this.kinds.collectionPath(kind),
        labelSelector: tenantLabel,
        indexBy: (object) => object.metadata?.labels?.[tenantLabel],
        compact: true,
        onError: (error) => this.log(`[operator] watching ${kind.kind}: ${(error as Error).message}`),
      });
      informer.on((event: InformerEvent<KubernetesObject>) => {
        const tenant = event.object.metadata?.labels?.[tenantLabel];
        if (tenant && event.type !== 'resync') queue.add(tenant);
      });
      informers.set(kind, informer);
    }
    return informers;
  }

  private context(tenants: Informer<Tenant>, cache: ClusterCache): ReconcileContext {
    const countWrite = (verb: string) => this.metrics.apiWrites.inc({ verb });
    const discovery = new Discovery(this.http);
    return {
      concerns: this.concerns,
      kinds: this.kinds,
      integrations: this.options.integrations ?? new Map(),
      http: this.http,
      tenants,
      cache,
      applier: new Applier({ http: this.http, discovery, cache, kinds: this.kinds, countWrite }),
      platform: this.options.platform,
      events: new EventRecorder(this.http, this.options.identity, countWrite),
      metrics: this.metrics,
      countWrite,
      log: this.log,
    };
  }

  private updateGauges(tenants: Informer<Tenant>, queue: WorkQueue): void {
    this.metrics.queueDepth.set(queue.depth);
    const phases = ['Pending', 'Provisioning', 'Ready', 'Failed', 'Terminating'];
    const counts = new Map(phases.map((phase) => [phase, 0]));
    for (const tenant of tenants.list()) {
      const phase = tenant.status?.phase ?? 'Pending';
      counts.set(phase, (counts.get(phase) ?? 0) + 1);
    }
    for (const [phase, count] of counts) this.metrics.tenantsByPhase.set({ phase }, count);
  }
}
