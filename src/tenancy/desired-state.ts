import type { Tenant } from '../api/tenant.ts';
import { buildAppProject, buildInitializer, buildRepositorySecret } from './argocd.ts';
import { buildLimitRanges } from './limits.ts';
import type { Manifest } from './manifest.ts';
import { buildNamespaces } from './namespace.ts';
import { buildNetworkPolicies } from './network.ts';
import type { PlatformConfig } from '../api/platform-config.ts';
import { buildResourceQuotas } from './quota.ts';
import { buildAccessServiceAccount, buildRoleBindings } from './rbac.ts';

/** The concerns a tenant's status reports one condition for. */
export type Concern = 'Namespaces' | 'Quota' | 'NetworkPolicies' | 'RBAC' | 'ArgoCD';

/** Everything a namespace tenant should have, grouped by concern, in the order to apply them. */
export type DesiredState = { concern: Concern; objects: Manifest[] }[];

/**
 * The desired state of a namespace tenant. Pure: the operator applies it, `landlord render` writes it to Git,
 * so the two can never disagree. Namespaces come first (everything else lives in them) and Argo CD last (it
 * must find the namespaces locked down before it syncs anything into them).
 */
export function buildDesiredState(tenant: Tenant, platform: PlatformConfig): DesiredState {
  return [
    { concern: 'Namespaces', objects: buildNamespaces(tenant, platform) },
    { concern: 'Quota', objects: [...buildResourceQuotas(tenant, platform), ...buildLimitRanges(tenant, platform)] },
    { concern: 'NetworkPolicies', objects: buildNetworkPolicies(tenant, platform) },
    { concern: 'RBAC', objects: [buildAccessServiceAccount(tenant), ...buildRoleBindings(tenant)] },
    {
      concern: 'ArgoCD',
      objects: [
        buildAppProject(tenant, platform),
        buildRepositorySecret(tenant, platform),
        buildInitializer(tenant, platform),
      ],
    },
  ];
}
