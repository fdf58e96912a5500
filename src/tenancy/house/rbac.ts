import type { PlatformConfig } from '../../api/platform-config.ts';
import type { Tenant } from '../../api/tenant.ts';
import type { Manifest } from '../manifest.ts';
import { houseChartDeployerName, houseNamespaceName } from '../names.ts';
import { tenantLabels } from '../ownership.ts';
import { operatorNamespace } from './network.ts';

/**
 * The ClusterRole (deploy/rbac/operator.yaml) the chart deployer holds in its house namespace: what the vCluster chart
 * creates there and, since whoever creates a Role must hold its rights, what the chart's Role grants. Bound per
 * namespace, never cluster-wide; the operator may `bind` it and holds none of its rights.
 */
export const houseDeployerRole = 'landlord-house-deployer';

/**
 * The ClusterRole (deploy/rbac/operator.yaml) that lets the operator read Secrets, bound in house namespaces only:
 * RBAC cannot grant by a name prefix, so this is how the operator reads `vc-<team>` without reading every Secret.
 */
export const houseRegistrarRole = 'landlord-house-registrar';

/** The operator's own ServiceAccount, which reads the house's kubeconfig Secret to register the house. */
export const operatorServiceAccount = { name: 'landlord-operator', namespace: operatorNamespace };

/**
 * The house's RBAC on the host: the chart deployer Argo CD impersonates (a ServiceAccount in the house namespace,
 * no token) with the deployer role there, and the operator's read of Secrets there. The team's directory group gets
 * nothing: the house namespace holds `vc-<team>`, a long-lived admin certificate nobody can revoke.
 */
export function buildHouseRbac(tenant: Tenant, _platform: PlatformConfig): Manifest[] {
  const namespace = houseNamespaceName(tenant);
  const labels = tenantLabels(tenant);
  const binding = (name: string, role: string, subject: { name: string; namespace: string }): Manifest => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ kind: 'ServiceAccount', ...subject }],
  });
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: houseChartDeployerName, namespace, labels },
      automountServiceAccountToken: false,
    },
    binding(houseChartDeployerName, houseDeployerRole, { name: houseChartDeployerName, namespace }),
    binding(houseRegistrarRole, houseRegistrarRole, operatorServiceAccount),
  ];
}
