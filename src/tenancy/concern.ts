import type { PlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import type { Manifest } from './manifest.ts';
import type { PoolRequest } from './node-pool.ts';

/**
 * How a tenant holds the things of a concern:
 * - owned: created, applied, watched and pruned by Landlord, with a controller ownerReference to the Tenant;
 * - claimed: patched and released, never created or deleted, never given an ownerReference (nodes of a pool);
 * - external: outside Kubernetes or outside Landlord's lifetime, kept by an integration, never deleted by it
 *   (a Git repository, which is archived).
 */
export type Holding = 'owned' | 'claimed' | 'external';

/** Where the operator lists and watches a kind: everywhere, or in Argo CD's namespace only. */
export type WatchScope = 'cluster' | 'argocd-namespace';

/** A kind a concern holds, as the API serves it. */
export interface ConcernKind {
  apiVersion: string;
  kind: string;
  /** The resource name in API paths and RBAC rules (`networkpolicies`). */
  plural: string;
  namespaced: boolean;
  watch: WatchScope;
  /**
   * Top-level fields Landlord manages whole (security-relevant ones: `spec`, `subjects`): anything another
   * writer adds there is drift and is removed, not just what Landlord set changed back.
   */
  exact?: string[];
}

/** An API right the operator needs beyond holding its kinds, such as binding one ClusterRole. */
export interface ExtraRight {
  apiGroup: string;
  resource: string;
  verbs: string[];
  resourceNames?: string[];
  scope: WatchScope;
}

/** What every concern declares: its name, the condition it reports and any extra API rights. */
interface ConcernBase {
  /** Names the concern in logs and in the Waiting messages of later concerns (`Quota`). */
  name: string;
  /** The condition type in the Tenant's status (`QuotaReady`). */
  condition: string;
  extraRights?: ExtraRight[];
}

/** A concern whose things are Kubernetes objects, owned or claimed. */
export interface KubernetesConcern extends ConcernBase {
  holding: 'owned' | 'claimed';
  /** The kinds it holds, in apply order (teardown runs the other way). */
  kinds: ConcernKind[];
  /** The objects the tenant should have. Pure. */
  build(tenant: Tenant, platform: PlatformConfig): Manifest[];
  /** The file under `teams/<team>/` of the GitOps folder an object of this concern belongs in. */
  file(object: Manifest, tenant: Tenant): string;
}

/** Something outside Kubernetes a tenant has (a Git repository), described purely and kept by an integration. */
export interface ExternalThing {
  /** The integration that keeps it (`git`). */
  integration: string;
  /** Stable identity, for logs and status. */
  name: string;
  /** What the integration needs to know, as plain data. */
  spec: Record<string, unknown>;
}

/** A concern whose thing lives outside Kubernetes: ensured while the tenant lives, retired (never deleted) after. */
export interface ExternalConcern extends ConcernBase {
  holding: 'external';
  describe(tenant: Tenant, platform: PlatformConfig): ExternalThing[];
  /**
   * What teardown retires: what may have been made for the tenant, described or not now (the default: `describe`).
   * A retire must leave alone what was not made for this tenant.
   */
  retirable?(tenant: Tenant, platform: PlatformConfig): ExternalThing[];
  /** What the condition says when the tenant needs none of these things. */
  idle: string;
}

/**
 * A concern whose things are whole nodes a provider hands out (a dedicated pool): which nodes is decided when
 * claimed, so the concern says what the tenant asks for and the operator's node claims do the rest (claim, drain,
 * give back). A shortage is a state the tenant waits in, not a failure.
 */
export interface NodePoolConcern extends ConcernBase {
  holding: 'node-pool';
  /** The pool the tenant asks for, or undefined (shared nodes). Pure. */
  request(tenant: Tenant, platform: PlatformConfig): PoolRequest | undefined;
}

/** One concern of a tenant: one file in `src/tenancy/`, one line in the list of concerns. */
export type Concern = KubernetesConcern | ExternalConcern | NodePoolConcern;

/** Whether the concern's things are Kubernetes objects (owned or claimed). */
export function isKubernetesConcern(concern: Concern): concern is KubernetesConcern {
  return concern.holding === 'owned' || concern.holding === 'claimed';
}

/** A kind with the way its concern holds it. */
export type HeldKind = ConcernKind & { holding: 'owned' | 'claimed' };

/** Every kind the concerns hold, in teardown order: concerns last to first, each one's kinds last to first. */
export function heldKinds(concerns: readonly Concern[]): HeldKind[] {
  const kinds: HeldKind[] = [];
  for (const concern of [...concerns].reverse()) {
    if (!isKubernetesConcern(concern)) continue;
    for (const kind of [...concern.kinds].reverse()) {
      if (kinds.some((seen) => seen.apiVersion === kind.apiVersion && seen.kind === kind.kind))
        throw new Error(`${kind.kind} is held by two concerns: one concern per kind`);
      kinds.push({ ...kind, holding: concern.holding });
    }
  }
  return kinds;
}

/** The API group of an apiVersion (`''` for the core group). */
export function apiGroupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}
