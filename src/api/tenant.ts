import type { TenantSpec, TenantStatus } from './tenant.generated.ts';

export type { TenantSpec, TenantStatus } from './tenant.generated.ts';

/** A Tenant as stored by the API server, with the CRD's defaults applied. */
export interface Tenant {
  apiVersion: 'landlord.dev/v1alpha1';
  kind: 'Tenant';
  metadata: {
    name: string;
    uid?: string;
    generation?: number;
    resourceVersion?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
  };
  spec: TenantSpec;
  status?: TenantStatus;
}

/** One condition of status.conditions, as Kubernetes conventions define it. */
export type TenantCondition = NonNullable<TenantStatus['conditions']>[number];
