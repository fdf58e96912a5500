import type { PlatformConfig } from '../../api/platform-config.ts';
import type { Tenant } from '../../api/tenant.ts';
import type { Manifest } from '../manifest.ts';
import { houseNamespaceName } from '../names.ts';
import { placementAnnotations } from '../node-pool.ts';
import { costCenterLabel, tenantLabels } from '../ownership.ts';

/** The label `landlord vcluster list` selects house namespaces by. */
export const houseLabel = 'landlord.dev/vcluster';

/**
 * The house's host namespace: everything the house runs is synced into it. Pod Security `restricted` whatever the
 * platform's level for namespace tenants (the chart is told to comply, the namespace is never relaxed); no directory
 * group annotation: no RoleBinding there may name the team's group. With a pool, its placement annotation, so the
 * admission policies put the house's pods on the team's nodes.
 */
export function buildHouseNamespace(tenant: Tenant, _platform: PlatformConfig): Manifest[] {
  const pss = Object.fromEntries(
    ['enforce', 'audit', 'warn'].flatMap((mode) => [
      [`pod-security.kubernetes.io/${mode}`, 'restricted'],
      [`pod-security.kubernetes.io/${mode}-version`, 'latest'],
    ]),
  );
  const annotations = placementAnnotations(tenant);
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: houseNamespaceName(tenant),
        ...(Object.keys(annotations).length ? { annotations } : {}),
        labels: { ...tenantLabels(tenant), [costCenterLabel]: tenant.spec.costCenter, [houseLabel]: 'true', ...pss },
      },
    },
  ];
}
