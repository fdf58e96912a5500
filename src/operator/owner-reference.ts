import type { KubernetesObject } from '../kube/object.ts';
import { tenantApiVersion, tenantKind } from '../api/crd.ts';
import type { Tenant } from '../api/tenant.ts';
import type { Manifest } from '../tenancy/manifest.ts';

/**
 * Proof of ownership: a controller reference to the Tenant's UID. A label can be forged by whoever can
 * label an object; the UID of a live Tenant cannot be guessed in advance.
 */
export function withOwnerReference(manifest: Manifest, tenant: Tenant): Manifest {
  return {
    ...manifest,
    metadata: {
      ...manifest.metadata,
      ownerReferences: [
        {
          apiVersion: tenantApiVersion,
          kind: tenantKind,
          name: tenant.metadata.name,
          uid: tenant.metadata.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
  };
}

/** Whether the object is controlled by this Tenant (same UID): only such objects are ever changed or deleted. */
export function isOwnedBy(object: KubernetesObject, tenant: Tenant): boolean {
  return (object.metadata?.ownerReferences ?? []).some(
    (reference) => reference.controller && reference.kind === tenantKind && reference.uid === tenant.metadata.uid,
  );
}
