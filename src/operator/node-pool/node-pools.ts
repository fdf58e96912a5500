import type { Node } from 'kubernetes-types/core/v1.js';
import type { NodePoolSettings } from '../../api/node-pool-settings.ts';
import type { Tenant } from '../../api/tenant.ts';
import { readNode } from '../../integrations/node-pool/node-patch.ts';
import type { NodePoolProvider } from '../../integrations/node-pool/provider.ts';
import { SparePoolProvider } from '../../integrations/node-pool/spare-pool.ts';
import { apiPath } from '../../kube/api-path.ts';
import type { KubeHttp } from '../../kube/http.ts';
import { Informer, type InformerEvent } from '../../kube/informer.ts';
import { resources } from '../../kube/resources.ts';
import type { WorkQueue } from '../../kube/workqueue.ts';
import type { Concern } from '../../tenancy/concern.ts';
import {
  claimHolder,
  isClaimedBy,
  isFreeSpare,
  type NodeHolder,
  nodeOwner,
  type PoolRequest,
  readPoolNode,
} from '../../tenancy/node-pool.ts';
import { claimableNow } from './claim-order.ts';
import type { OperatorMetrics } from '../metrics.ts';
import { conditionOf } from '../tenant-status.ts';

/** What the operator's node claims are given by the controller. */
export interface NodePoolWiring {
  http: KubeHttp;
  queue: WorkQueue;
  tenants: Informer<Tenant>;
  settings: NodePoolSettings;
  /** The platform's namespaces: only their DaemonSet and mirror pods stay on a node given back. */
  platformNamespaces: readonly string[];
  metrics: OperatorMetrics;
  log: (line: string) => void;
}

/** The reason of a NodePoolReady condition while the tenant waits for free nodes. */
export const notEnoughNodes = 'NotEnoughNodes';

/**
 * The operator's view of nodes for dedicated pools: one Node informer (indexed by Landlord's ownership label),
 * the provider claims go through, and the names claimed but not yet seen in the cache (so a reconcile right after
 * a claim neither claims again nor counts the node as free).
 */
export class NodePools {
  readonly informer: Informer<Node>;
  readonly provider: NodePoolProvider;
  readonly settings: NodePoolSettings;
  readonly platformNamespaces: readonly string[];
  private readonly http: KubeHttp;
  private readonly log: (line: string) => void;
  /** Nodes with a tenant's ownership label but not Landlord's whole claim, already logged (once each). */
  private readonly notOursLogged = new Set<string>();
  private readonly metrics: OperatorMetrics;
  private readonly tenants: Informer<Tenant>;
  /** Tenant -> nodes it claimed that the cache may not show as its yet. */
  private readonly recentClaims = new Map<string, Set<string>>();
  /** The node-count series set for a tenant, to remove the ones that no longer apply. */
  private readonly tenantSeries = new Map<string, string[]>();

  constructor(wiring: NodePoolWiring) {
    const { http, settings } = wiring;
    this.http = http;
    this.settings = settings;
    this.platformNamespaces = wiring.platformNamespaces;
    this.log = wiring.log;
    this.tenants = wiring.tenants;
    this.metrics = wiring.metrics;
    this.informer = new Informer<Node>(http, {
      path: apiPath(resources.node),
      indexBy: (node) => nodeOwner(node, settings),
      onError: (error) => wiring.log(`[operator] watching nodes: ${(error as Error).message}`),
    });
    this.provider = new SparePoolProvider({
      http,
      nodes: () => this.nodesAsKnown(),
      settings,
      countWrite: (verb) => wiring.metrics.apiWrites.inc({ verb }),
    });
    this.informer.on((event) => this.onNodeEvent(event, wiring));
  }

  /**
   * Every node the holder claimed (Landlord's whole mark with its UID): the cache, and what it claimed that the
   * cache has not seen yet. A node with the tenant's ownership label but not the rest is left alone (logged once).
   */
  async held(holder: NodeHolder): Promise<Node[]> {
    const { tenant, uid } = holder;
    const labelled = this.informer.byIndex(tenant);
    const cached = labelled.filter((node) => isClaimedBy(node, tenant, uid, this.settings));
    this.logNotClaimed(labelled.filter((node) => !claimHolder(node, this.settings)));
    const pending = [...(this.recentClaims.get(tenant) ?? [])].filter(
      (name) => !cached.some((node) => node.metadata?.name === name),
    );
    const fresh: Node[] = [];
    for (const name of pending) {
      const node = await readNode(this.http, name);
      if (node && isClaimedBy(node, tenant, uid, this.settings)) fresh.push(node);
      else this.recentClaims.get(tenant)?.delete(name);
    }
    return [...cached, ...fresh];
  }

  /** The holders (one per Tenant UID) of the cached nodes claimed under a Tenant's name. */
  claimHolders(tenant: string): NodeHolder[] {
    const uids = new Set<string>();
    for (const node of this.informer.byIndex(tenant)) {
      const holder = claimHolder(node, this.settings);
      if (holder?.tenant === tenant) uids.add(holder.uid);
    }
    this.logNotClaimed(this.informer.byIndex(tenant).filter((node) => !claimHolder(node, this.settings)));
    return [...uids].map((uid) => ({ tenant, uid }));
  }

  /** Says once per node that an ownership label without Landlord's whole claim is not acted on. */
  private logNotClaimed(nodes: Node[]): void {
    for (const node of nodes) {
      const name = node.metadata?.name ?? '';
      const owner = nodeOwner(node, this.settings);
      if (this.notOursLogged.has(`${name}\n${owner}`)) continue;
      this.notOursLogged.add(`${name}\n${owner}`);
      this.log(
        `[operator] node ${name} is labelled ${this.settings.ownerLabel}=${owner} without Landlord's claim ` +
          `(${this.settings.spare.label}=${this.settings.spare.claimedValue} and the Tenant's UID): left untouched`,
      );
    }
  }

  /** How many of `wanted` nodes the tenant may claim now, older tenants short of nodes of the type served first. */
  claimable(request: PoolRequest, wanted: number): number {
    const free = this.provider.freeByType().get(request.instanceType) ?? 0;
    return claimableNow(request, wanted, free, {
      tenants: this.tenants,
      nodes: this.informer,
      settings: this.settings,
    });
  }

  /** Remembers nodes just claimed for a tenant, until the cache shows them as claimed. */
  remember(tenant: string, names: string[]): void {
    if (names.length === 0) return;
    const known = this.recentClaims.get(tenant) ?? new Set<string>();
    for (const name of names) known.add(name);
    this.recentClaims.set(tenant, known);
  }

  /** Sets the tenant's node gauges (by state and instance type); none once it holds no node. */
  recordNodes(tenant: string, nodes: { state: string; instanceType?: string }[]): void {
    for (const series of this.tenantSeries.get(tenant) ?? []) {
      const [state, instanceType] = series.split('\n');
      this.metrics.tenantNodes.remove({ tenant, state, instance_type: instanceType });
    }
    const counts = new Map<string, number>();
    for (const { state, instanceType = '' } of nodes)
      counts.set(`${state}\n${instanceType}`, (counts.get(`${state}\n${instanceType}`) ?? 0) + 1);
    for (const [series, count] of counts) {
      const [state, instanceType] = series.split('\n');
      this.metrics.tenantNodes.set({ tenant, state, instance_type: instanceType }, count);
    }
    this.tenantSeries.set(tenant, [...counts.keys()]);
  }

  /** The cached nodes, without the stale copies of nodes claimed since (they are not free). */
  private nodesAsKnown(): Node[] {
    const claimed = new Set<string>();
    for (const [tenant, names] of this.recentClaims) {
      for (const name of names) {
        const cached = this.informer.get(name);
        // Seen as claimed (by anyone): the cache has caught up, no need to remember it.
        if (cached && nodeOwner(cached, this.settings)) names.delete(name);
        else claimed.add(name);
      }
      if (names.size === 0) this.recentClaims.delete(tenant);
    }
    return this.informer.list().filter((node) => !claimed.has(node.metadata?.name ?? ''));
  }

  /**
   * A node's owner is reconciled when what Landlord reads of it changes (not on heartbeats); a node turning free
   * or taken wakes the tenants waiting for nodes; a node owned by a Tenant that no longer exists queues that name (an orphan).
   */
  private onNodeEvent(event: InformerEvent<Node>, wiring: NodePoolWiring): void {
    if (event.type === 'resync') return;
    const old = event.type === 'update' ? event.old : undefined;
    if (old && signature(old, this.settings) === signature(event.object, this.settings)) return;
    for (const owner of [old, event.object].map((node) => node && nodeOwner(node, this.settings)))
      if (owner) wiring.queue.add(owner);
    this.recordFree();
    // Free nodes came or went: the tenants waiting for nodes claim them, or say how many are free now.
    if (this.freeChanged(event, old)) wakeWaiting(wiring);
  }

  private freeChanged(event: InformerEvent<Node>, old: Node | undefined): boolean {
    const now = event.type !== 'delete' && isFree(event.object, this.settings);
    const before = event.type === 'delete' ? isFree(event.object, this.settings) : !!old && isFree(old, this.settings);
    return now !== before;
  }

  private recordFree(): void {
    for (const [instanceType, count] of this.provider.freeByType())
      this.metrics.freeSpareNodes.set({ instance_type: instanceType }, count);
  }
}

/** Queues the tenants waiting for free nodes. */
function wakeWaiting({ tenants, queue }: NodePoolWiring): void {
  for (const tenant of tenants.list())
    if (conditionOf(tenant.status, 'NodePoolReady')?.reason === notEnoughNodes) queue.add(tenant.metadata.name);
}

function isFree(node: Node, settings: NodePoolSettings): boolean {
  const type = node.metadata?.labels?.[settings.instanceTypeLabel];
  return type !== undefined && isFreeSpare(node, type, settings);
}

/** What Landlord reads of a node: labels, taints, cordon, drain mark and readiness (not heartbeats). */
function signature(node: Node, settings: NodePoolSettings): string {
  const { labels, annotations } = node.metadata ?? {};
  return JSON.stringify([
    labels,
    node.spec?.taints,
    node.spec?.unschedulable,
    annotations,
    readPoolNode(node, settings),
  ]);
}

/** The operator's node claims when a concern holds a node pool; none otherwise (a test's own concerns). */
export function nodePoolsFor(concerns: readonly Concern[], wiring: NodePoolWiring): NodePools | undefined {
  return concerns.some((concern) => concern.holding === 'node-pool') ? new NodePools(wiring) : undefined;
}
