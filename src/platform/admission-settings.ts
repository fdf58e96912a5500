import type { PlatformConfig } from '../api/platform-config.ts';
import type { Manifest } from '../tenancy/manifest.ts';
import { landlordNamespace } from './platform-network.ts';

/** The ConfigMap the admission policies take their parameters from (deploy/admission/*.yaml `paramRef`). */
export const admissionSettingsName = 'landlord-admission';

/** The platform settings admission policies enforce, as their parameter object. */
export function buildAdmissionSettings(platform: PlatformConfig): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: admissionSettingsName,
      namespace: landlordNamespace,
      labels: { 'app.kubernetes.io/part-of': 'landlord' },
    },
    data: {
      tenantNetworkPolicies: platform.tenantNetworkPolicies,
      // The guardrails' parameters (deploy/admission/guard-*.yaml): a ConfigMap holds strings only.
      allowedRegistries: platform.allowedRegistries.join(','),
      domain: platform.domain,
      platformHosts: new URL(platform.argocd.url).hostname,
      // Node placement (deploy/admission/node-placement.yaml, guard-node-placement.yaml): the keys of nodePools.
      nodePlacementLabel: platform.nodePools.placementLabel,
      nodeTaintKey: platform.nodePools.taintKey,
      spareTaintKey: platform.nodePools.spare.label,
    },
  };
}
