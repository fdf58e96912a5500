import { createHash } from 'node:crypto';
import type { KubernetesObject } from '../kube/object.ts';
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
  (verb: 'apply' | 'delete' | 'status' | 'finalizer' | 'event' | 'terminate-sync'): void;
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
    const key = identity(desired);
    const hash = createHash('sha256').update(JSON.stringify(owned)).digest('base64url');
    const live = await this.live(desired);
    if (live) refuseIfNotOurs(live, desired, tenant);
    if (live && !force && this.isUpToDate(key, hash, owned, live)) return false;
    const applied: KubernetesObject = await applyObject(this.http, this.discovery, owned);
    this.countWrite('apply');
    this.lastApplied.set(key, { hash, resourceVersion: applied.metadata?.resourceVersion ?? '' });
    return true;
  }

  /** Still what we last applied (same content, same resourceVersion), or already carrying every desired field. */
  private isUpToDate(key: string, hash: string, owned: Manifest, live: KubernetesObject): boolean {
    const previous = this.lastApplied.get(key);
    const resourceVersion = live.metadata?.resourceVersion ?? '';
    if (!(previous?.hash === hash && previous.resourceVersion === resourceVersion) && !isSubset(owned, live))
      return false;
    this.lastApplied.set(key, { hash, resourceVersion });
    return true;
  }

  /** Deletes an object the tenant owns; others are never touched. Returns whether a delete was sent. */
  async deleteOwned(object: KubernetesObject, tenant: Tenant): Promise<boolean> {
    if (!isOwnedBy(object, tenant) || object.metadata?.deletionTimestamp) return false;
    const { name = '', namespace, uid } = object.metadata ?? {};
    const path = objectPathOf(ownedKindOf(object.apiVersion ?? '', object.kind ?? ''), name, namespace);
    // The UID precondition makes sure we delete the very object we judged ours, not a namesake.
    const body = { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid }, propagationPolicy: 'Background' };
    const { status } = await this.http.send({ method: 'DELETE', path, body });
    if (status >= 400 && status !== 404 && status !== 409)
      throw new Error(`deleting ${object.kind} ${name}: HTTP ${status}`);
    this.countWrite('delete');
    this.lastApplied.delete(identity(object as Manifest));
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

function identity(object: Pick<Manifest, 'kind' | 'metadata'>): string {
  return `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

function refuseIfNotOurs(live: KubernetesObject, desired: Manifest, tenant: Tenant): void {
  if (isOwnedBy(live, tenant)) return;
  const where = desired.metadata.namespace ? ` in namespace ${desired.metadata.namespace}` : '';
  throw new NotOursError(`${desired.kind} ${desired.metadata.name}${where} already exists and is not this tenant's`);
}
