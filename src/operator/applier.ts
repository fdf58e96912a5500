import type { Tenant } from '../api/tenant.ts';
import { applyObject } from '../kube/apply.ts';
import type { Discovery } from '../kube/discovery.ts';
import { KubeApiError, type KubeHttp } from '../kube/http.ts';
import { describeObject, type KubernetesObject } from '../kube/object.ts';
import { errorAbout } from '../kube/api-error.ts';
import type { Manifest } from '../tenancy/manifest.ts';
import { tenantLabel } from '../tenancy/ownership.ts';
import type { ClusterCache } from './cluster-cache.ts';
import type { HeldKindTable } from './held-kinds.ts';
import { exactFieldsPatch, inexactFields } from './exact-fields.ts';
import { isHeldBy } from './held-record.ts';
import { withOwnerReference } from './owner-reference.ts';
import { isSubset } from './subset.ts';
import { appliedHashOf, desiredHash, withAppliedHash } from './applied-hash.ts';

/** An object exists that the tenant wants but does not own: Landlord never takes it over. */
export class NotOursError extends Error {
  override name = 'NotOursError';
}

/** A claimed object is not there: Landlord claims what exists and never creates it. */
export class NothingToClaimError extends Error {
  override name = 'NothingToClaimError';
}

/** Counts of what the API server was asked to do, for the benchmark and metrics. */
export interface WriteCounter {
  (
    verb:
      | 'apply'
      | 'delete'
      | 'release'
      | 'status'
      | 'finalizer'
      | 'event'
      | 'terminate-sync'
      // Dedicated node pools (operator/node-pool/).
      | 'node-cordon'
      | 'node-keep'
      | 'eviction'
      // Houses (operator/house/): the registration's credentials; the team's Argo CD (its SSO Secret and bootstrap
      // Application inside the house, a refresh of its host Application).
      | 'registration'
      | 'house-argocd'
      | 'refresh'
      // The Git factory (operator/git/): the reader's credentials in the team's repository Secret.
      | 'repository-credentials',
  ): void;
}

/** What the applier works with: the API, the caches, and the kinds the concerns hold. */
export interface ApplierDependencies {
  http: KubeHttp;
  discovery: Discovery;
  cache: ClusterCache;
  kinds: HeldKindTable;
  countWrite: WriteCounter;
}

/**
 * Applies a tenant's objects, writing only what differs. An object is left alone when it still is exactly
 * what Landlord last applied (same content hash, same resourceVersion), or when its applied-hash annotation
 * says Landlord last applied what it would apply now and it still carries every desired field. So a resync of
 * an unchanged cluster writes nothing, any drift is applied back, and a field the builders no longer make (an
 * upgrade, a platform configuration change) is removed by server-side apply, even after a restart.
 * Owned objects get a controller ownerReference; claimed ones are only patched, and released when let go.
 */
export class Applier {
  private readonly deps: ApplierDependencies;
  private readonly lastApplied = new Map<string, { hash: string; resourceVersion: string }>();

  constructor(deps: ApplierDependencies) {
    this.deps = deps;
  }

  /**
   * Makes the live object match the desired one, if it does not already, as its kind is held (owned or
   * claimed). Returns the live object as it now is (its UID goes into the tenant's record).
   */
  async ensure(desired: Manifest, tenant: Tenant, force: boolean): Promise<KubernetesObject> {
    const kind = this.deps.kinds.of(desired.apiVersion, desired.kind);
    const held = kind.holding === 'owned' ? withOwnerReference(desired, tenant) : desired;
    const key = identity(desired);
    const hash = desiredHash(held);
    const live = await this.live(desired);
    if (kind.holding === 'owned' && live) refuseIfNotOurs(live, desired, tenant);
    if (kind.holding === 'claimed') refuseIfNotClaimable(live, desired, tenant);
    const exact = kind.exact ?? [];
    if (live && !force && this.isUpToDate(key, hash, held, live, exact)) return live;
    let applied: KubernetesObject = await applyObject(this.deps.http, this.deps.discovery, withAppliedHash(held, hash));
    this.deps.countWrite('apply');
    const inexact = inexactFields(held, applied, exact);
    if (inexact.length > 0) applied = await this.replaceFields(held, applied, inexact);
    this.lastApplied.set(key, { hash, resourceVersion: applied.metadata?.resourceVersion ?? '' });
    return applied;
  }

  /**
   * Still what we last applied (same content, same resourceVersion), or recorded as applied from the same desired
   * object (its applied-hash annotation) and still carrying every desired field, exactly where the kind says.
   */
  private isUpToDate(key: string, hash: string, held: Manifest, live: KubernetesObject, exact: string[]): boolean {
    const previous = this.lastApplied.get(key);
    const resourceVersion = live.metadata?.resourceVersion ?? '';
    const untouched = previous?.hash === hash && previous.resourceVersion === resourceVersion;
    const intact =
      appliedHashOf(live) === hash && isSubset(held, live) && inexactFields(held, live, exact).length === 0;
    if (!untouched && !intact) return false;
    this.lastApplied.set(key, { hash, resourceVersion });
    return true;
  }

  /** Sets fields Landlord manages whole to exactly what it wants, dropping what other writers added. */
  private async replaceFields(held: Manifest, live: KubernetesObject, fields: string[]): Promise<KubernetesObject> {
    const { apiVersion, kind, metadata } = held;
    try {
      const replaced = await this.deps.http.request<KubernetesObject>({
        method: 'PATCH',
        path: this.deps.kinds.objectPath(apiVersion, kind, metadata.name, metadata.namespace),
        body: exactFieldsPatch(held, live, fields),
        contentType: 'application/json-patch+json',
      });
      this.deps.countWrite('apply');
      return replaced;
    } catch (error) {
      throw errorAbout(`restore ${fields.join(', ')} of ${describeObject(held)}`, error);
    }
  }

  /** Deletes an object the tenant owns; others are never touched. Returns whether a delete was sent. */
  async deleteOwned(object: KubernetesObject, tenant: Tenant): Promise<boolean> {
    if (!isHeldBy(object, tenant) || object.metadata?.deletionTimestamp) return false;
    const { name = '', namespace, uid } = object.metadata ?? {};
    const path = this.deps.kinds.objectPath(object.apiVersion ?? '', object.kind ?? '', name, namespace);
    // The UID precondition makes sure we delete the very object we judged ours, not a namesake.
    const body = { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid }, propagationPolicy: 'Background' };
    try {
      await this.deps.http.request({ method: 'DELETE', path, body });
    } catch (error) {
      // Gone already (404) or replaced by a namesake (409, the UID precondition): nothing of ours to delete.
      if (!(error instanceof KubeApiError && (error.status === 404 || error.status === 409)))
        throw errorAbout(`delete ${describeObject(object)}`, error);
    }
    this.deps.countWrite('delete');
    this.lastApplied.delete(identity(object as Manifest));
    return true;
  }

  /**
   * Lets a claimed object go: applies nothing under Landlord's field manager, so the API server removes every
   * field Landlord set (its labels, taints...) and keeps everyone else's. The object itself stays.
   */
  async release(object: KubernetesObject, tenant: Tenant): Promise<boolean> {
    if (object.metadata?.labels?.[tenantLabel] !== tenant.metadata.name) return false;
    const { apiVersion = '', kind = '', metadata } = object;
    const bare = { apiVersion, kind, metadata: { name: metadata?.name ?? '', namespace: metadata?.namespace } };
    try {
      await applyObject(this.deps.http, this.deps.discovery, bare);
    } catch (error) {
      if (!(error instanceof KubeApiError && error.status === 404))
        throw errorAbout(`release ${describeObject(object)}`, error);
    }
    this.deps.countWrite('release');
    this.lastApplied.delete(identity(bare));
    return true;
  }

  /** The live object: from the cache, or (when the cache has none, as for unlabelled objects) from the server. */
  private async live(desired: Manifest): Promise<KubernetesObject | undefined> {
    const cached = this.deps.cache.get(desired.kind, desired.metadata.name, desired.metadata.namespace);
    if (cached) return cached;
    const { apiVersion, kind, metadata } = desired;
    try {
      return await this.deps.http.request<KubernetesObject>({
        method: 'GET',
        path: this.deps.kinds.objectPath(apiVersion, kind, metadata.name, metadata.namespace),
      });
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return undefined;
      throw error;
    }
  }
}

function identity(object: Pick<Manifest, 'kind' | 'metadata'>): string {
  return `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

function refuseIfNotOurs(live: KubernetesObject, desired: Manifest, tenant: Tenant): void {
  if (isHeldBy(live, tenant)) return;
  const where = desired.metadata.namespace ? ` in namespace ${desired.metadata.namespace}` : '';
  throw new NotOursError(`${desired.kind} ${desired.metadata.name}${where} already exists and is not this tenant's`);
}

/** A claim needs the object to exist, and not to be claimed by another tenant already. */
function refuseIfNotClaimable(live: KubernetesObject | undefined, desired: Manifest, tenant: Tenant): void {
  if (!live)
    throw new NothingToClaimError(`${describeObject(desired)} does not exist: Landlord claims, never creates, it`);
  const holder = live.metadata?.labels?.[tenantLabel];
  if (holder && holder !== tenant.metadata.name)
    throw new NotOursError(`${describeObject(desired)} is claimed by Tenant ${holder}`);
}
