import { createHash } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Tenant } from '../api/tenant.ts';
import { applyObject } from '../kube/apply.ts';
import type { Discovery } from '../kube/discovery.ts';
import { KubeApiError, type KubeHttp } from '../kube/http.ts';
import type { Manifest } from '../tenancy/manifest.ts';
import type { ClusterCache } from './cluster-cache.ts';
import { objectPathOf, ownedKindOf } from './owned-kinds.ts';
import { isOwnedBy, withOwnerReference } from './owner-reference.ts';
import { isSubset } from './subset.ts';

/** An object exists that the tenant wants but does not own: Landlord never takes it over. */
export class NotOursError extends Error {
  override name = 'NotOursError';
}

/** Counts of what the API server was asked to do, for the benchmark and metrics. */
export interface WriteCounter {
  (verb: 'apply' | 'delete' | 'status' | 'finalizer' | 'event'): void;
}

/**
 * Applies a tenant's objects, writing only what differs. An object is left alone when it still is exactly
 * what Landlord last applied (same content hash, same resourceVersion), or when it already carries every
 * desired field. So a resync of an unchanged cluster writes nothing, while any drift is applied back.
 */
export class Applier {
  private readonly http: KubeHttp;
  private readonly discovery: Discovery;
  private readonly cache: ClusterCache;
  private readonly countWrite: WriteCounter;
  private readonly lastApplied = new Map<string, { hash: string; resourceVersion: string }>();

  constructor(http: KubeHttp, discovery: Discovery, cache: ClusterCache, countWrite: WriteCounter) {
    this.http = http;
    this.discovery = discovery;
    this.cache = cache;
    this.countWrite = countWrite;
  }

  /** Makes the live object match the desired one, if it does not already; returns whether it wrote. */
  async ensure(desired: Manifest, tenant: Tenant, force: boolean): Promise<boolean> {
    const owned = withOwnerReference(desired, tenant);
    const key = `${desired.kind}/${desired.metadata.namespace ?? ''}/${desired.metadata.name}`;
    const hash = createHash('sha256').update(JSON.stringify(owned)).digest('base64url');
    const live = await this.live(desired);
    if (live && !isOwnedBy(live, tenant)) {
      const where = desired.metadata.namespace ? ` in namespace ${desired.metadata.namespace}` : '';
      throw new NotOursError(
        `${desired.kind} ${desired.metadata.name}${where} already exists and is not this tenant's`,
      );
    }
    if (live && !force) {
      const previous = this.lastApplied.get(key);
      const unchanged = previous?.hash === hash && previous.resourceVersion === live.metadata?.resourceVersion;
      if (unchanged || isSubset(owned, live)) {
        this.lastApplied.set(key, { hash, resourceVersion: live.metadata?.resourceVersion ?? '' });
        return false;
      }
    }
    const applied: KubernetesObject = await applyObject(this.http, this.discovery, owned);
    this.countWrite('apply');
    this.lastApplied.set(key, { hash, resourceVersion: applied.metadata?.resourceVersion ?? '' });
    return true;
  }

  /** Deletes an object the tenant owns; others are never touched. Returns whether a delete was sent. */
  async deleteOwned(object: KubernetesObject, tenant: Tenant): Promise<boolean> {
    if (!isOwnedBy(object, tenant) || object.metadata?.deletionTimestamp) return false;
    const kind = ownedKindOf(object.apiVersion ?? '', object.kind ?? '');
    const { name = '', namespace, uid } = object.metadata ?? {};
    try {
      // The UID precondition makes sure we delete the very object we judged ours, not a namesake.
      await this.http.request({
        method: 'DELETE',
        path: objectPathOf(kind, name, namespace),
        body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid }, propagationPolicy: 'Background' },
      });
      this.countWrite('delete');
    } catch (error) {
      if (!(error instanceof KubeApiError && (error.status === 404 || error.status === 409))) throw error;
    }
    this.lastApplied.delete(`${object.kind}/${namespace ?? ''}/${name}`);
    return true;
  }

  /** The live object: from the cache, or (when the cache has none, as for unlabelled objects) from the server. */
  private async live(desired: Manifest): Promise<KubernetesObject | undefined> {
    const cached = this.cache.get(desired.kind, desired.metadata.name, desired.metadata.namespace);
    if (cached) return cached;
    const kind = ownedKindOf(desired.apiVersion, desired.kind);
    try {
      return await this.http.request<KubernetesObject>({
        method: 'GET',
        path: objectPathOf(kind, desired.metadata.name, desired.metadata.namespace),
      });
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return undefined;
      throw error;
    }
  }
}
