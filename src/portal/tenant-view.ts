import type { KubernetesObject } from '../kube/object.ts';
import { tenantResource } from '../api/crd.ts';
import type { Tenant } from '../api/tenant.ts';
import type { KubeHttp } from '../kube/http.ts';
import { Informer, type InformerEvent } from '../kube/informer.ts';
import { sumQuotas } from '../tenancy/quota-usage.ts';
import { tenantLabel } from '../tenancy/ownership.ts';
import { apiPath } from '../kube/api-path.ts';
import { resources } from '../kube/resources.ts';
import type { QuotaUsage } from './quota-usage.ts';

/** What changed: a tenant itself, or only its quota usage (the list does not show usage; the status page does). */
export type TenantChange = { name: string; tenant?: Tenant; previous?: Tenant; quotaOnly?: boolean };

/** Where the portal reads tenants from: caches kept current by watches, and a feed of what changes. */
export interface TenantView {
  list(): Tenant[];
  get(name: string): Tenant | undefined;
  quotaOf(name: string): QuotaUsage[];
  /** Calls the listener on every change until the returned function is called. */
  subscribe(listener: (change: TenantChange) => void): () => void;
}

/** The portal's TenantView on a cluster: an informer for Tenants and one for the tenants' ResourceQuotas. */
export class ClusterTenantView implements TenantView {
  private readonly tenants: Informer<Tenant>;
  private readonly quotas: Informer<KubernetesObject>;
  private readonly listeners = new Set<(change: TenantChange) => void>();

  constructor(http: KubeHttp, onError?: (error: unknown) => void) {
    this.tenants = new Informer<Tenant>(http, { path: apiPath(tenantResource), onError });
    this.quotas = new Informer<KubernetesObject>(http, {
      path: apiPath(resources.resourceQuota),
      labelSelector: tenantLabel,
      indexBy: (quota) => quota.metadata?.labels?.[tenantLabel],
      onError,
    });
    this.tenants.on((event) => this.emitTenant(event));
    this.quotas.on((event) => {
      const name = event.object.metadata?.labels?.[tenantLabel];
      if (name && event.type !== 'resync') this.emit({ name, tenant: this.get(name), quotaOnly: true });
    });
  }

  async start(): Promise<void> {
    await Promise.all([this.tenants.start(), this.quotas.start()]);
  }

  async stop(): Promise<void> {
    await Promise.all([this.tenants.stop(), this.quotas.stop()]);
  }

  list(): Tenant[] {
    return this.tenants.list();
  }

  get(name: string): Tenant | undefined {
    return this.tenants.get(name);
  }

  quotaOf(name: string): QuotaUsage[] {
    const totals = sumQuotas(this.quotas.byIndex(name));
    const resources = [...new Set(totals.map((total) => total.resource))].sort();
    const value = (resource: string, type: 'hard' | 'used') =>
      totals.find((total) => total.resource === resource && total.type === type)?.value ?? 0;
    return resources.map((resource) => ({ resource, hard: value(resource, 'hard'), used: value(resource, 'used') }));
  }

  subscribe(listener: (change: TenantChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emitTenant(event: InformerEvent<Tenant>): void {
    if (event.type === 'resync') return;
    const name = event.object.metadata.name;
    if (event.type === 'delete') this.emit({ name, previous: event.object });
    else this.emit({ name, tenant: event.object, previous: event.type === 'update' ? event.old : undefined });
  }

  private emit(change: TenantChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
