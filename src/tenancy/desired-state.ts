import type { PlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import { type Concern, isKubernetesConcern, type KubernetesConcern } from './concern.ts';
import { tenantConcerns } from './concerns.ts';
import type { Manifest } from './manifest.ts';

/** Everything a tenant should have in Kubernetes, grouped by concern, in the order to apply them. */
export type DesiredState = { concern: KubernetesConcern; objects: Manifest[] }[];

/**
 * The desired state of a tenant. Pure: the operator applies it, `landlord render` writes it to Git, so the
 * two can never disagree. Objects a concern builds must be of the kinds it declares (checked here, so a
 * concern cannot hold a kind the operator does not watch).
 */
export function buildDesiredState(
  tenant: Tenant,
  platform: PlatformConfig,
  concerns: readonly Concern[] = tenantConcerns,
): DesiredState {
  return concerns.filter(isKubernetesConcern).map((concern) => {
    const objects = concern.build(tenant, platform);
    for (const object of objects) {
      if (!concern.kinds.some((kind) => kind.apiVersion === object.apiVersion && kind.kind === object.kind))
        throw new Error(`concern ${concern.name} built a ${object.kind} (${object.apiVersion}) it does not declare`);
    }
    return { concern, objects };
  });
}
