import type { PlatformConfig } from '../../api/platform-config.ts';
import type { Tenant } from '../../api/tenant.ts';
import { cascadeFinalizer } from '../cascade-finalizer.ts';
import { usesGitFactory } from '../git-repository.ts';
import { buildRepositorySecret } from '../repository-secret.ts';
import { houseServerURL } from '../house-address.ts';
import type { Manifest } from '../manifest.ts';
import { houseArgoName, houseChartDeployerName, houseNamespaceName, houseReleaseName } from '../names.ts';
import { tenantLabels } from '../ownership.ts';
import { buildTenantArgoCd, hasHouseArgoCd } from './tenant-argocd.ts';
import { buildHouseValues, houseInnerDeployer } from './values.ts';

/** The label Argo CD finds cluster Secrets by. */
export const clusterSecretTypeLabel = 'argocd.argoproj.io/secret-type';

/**
 * The house's AppProject: the chart's repository as the only source; exact destinations (the house namespace on the
 * host, and the house itself); no cluster-scoped kind on the host; every sync impersonated: the chart deployer on the
 * host, the house's own deployer inside the house. No role: the team reaches its house inside it (next issue).
 */
export function buildHouseAppProject(tenant: Tenant, platform: PlatformConfig): Manifest {
  const namespace = houseNamespaceName(tenant);
  const host = platform.argocd.destinationServer;
  const house = houseServerURL(tenant, platform);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: houseArgoName(tenant), namespace: platform.argocd.namespace, labels: tenantLabels(tenant) },
    spec: {
      description: `The house (virtual cluster) of ${tenant.spec.teamName}, managed by Landlord`,
      // The chart's repository; and upstream's Argo CD manifests when the team has its own Argo CD.
      sourceRepos: [
        platform.houses.chart.repoURL,
        ...(hasHouseArgoCd(tenant) ? [platform.houses.argocd.manifests.repoURL] : []),
      ],
      destinations: [
        { server: host, namespace },
        { server: house, namespace: '*' },
      ],
      // Cluster-scoped kinds only inside the house (its own cluster); on the host none.
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      clusterResourceBlacklist: [],
      destinationServiceAccounts: [
        { server: host, namespace, defaultServiceAccount: `${namespace}:${houseChartDeployerName}` },
        {
          server: house,
          namespace: '*',
          defaultServiceAccount: `${houseInnerDeployer.namespace}:${houseInnerDeployer.name}`,
        },
      ],
      sourceNamespaces: [],
      roles: [],
    },
  };
}

/**
 * The Application installing the vCluster chart into the house namespace: chart and version from the platform,
 * values from the tenant, pruned and self-healed, deleted with what it deployed (cascade).
 */
export function buildHouseApplication(tenant: Tenant, platform: PlatformConfig): Manifest {
  const chart = platform.houses.chart;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: houseArgoName(tenant),
      namespace: platform.argocd.namespace,
      labels: tenantLabels(tenant),
      // Compared as the API server would apply it: the defaults it fills into the StatefulSet's claim templates
      // (volumeMode, status) are then no difference, and nothing needs ignoring.
      annotations: { 'argocd.argoproj.io/compare-options': 'ServerSideDiff=true' },
      finalizers: [cascadeFinalizer],
    },
    spec: {
      project: houseArgoName(tenant),
      source: {
        repoURL: chart.repoURL,
        chart: chart.name,
        targetRevision: chart.version,
        helm: { releaseName: houseReleaseName(tenant), valuesObject: buildHouseValues(tenant, platform) },
      },
      destination: { server: platform.argocd.destinationServer, namespace: houseNamespaceName(tenant) },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['ServerSideApply=true'],
      },
    },
  };
}

/**
 * The house's registration in the host Argo CD, without its credentials: the operator adds `config` from the
 * house's kubeconfig Secret (registration), so no credential is ever in the desired state, a hash or Git.
 */
export function buildHouseClusterSecret(tenant: Tenant, platform: PlatformConfig): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: houseArgoName(tenant),
      namespace: platform.argocd.namespace,
      labels: {
        ...tenantLabels(tenant),
        [clusterSecretTypeLabel]: 'cluster',
        env: 'vcluster',
        tenant: tenant.spec.teamName,
      },
    },
    type: 'Opaque',
    stringData: {
      name: houseArgoName(tenant),
      server: houseServerURL(tenant, platform),
      project: houseArgoName(tenant),
    },
  };
}

/**
 * Everything of the house in the host Argo CD: project first, the registration, the house's Application, then the
 * team's own Argo CD (tenant-argocd.ts) installed into the house once it is registered.
 */
export function buildHouseArgoCd(tenant: Tenant, platform: PlatformConfig): Manifest[] {
  return [
    buildHouseAppProject(tenant, platform),
    buildHouseClusterSecret(tenant, platform),
    buildHouseApplication(tenant, platform),
    ...buildTenantArgoCd(tenant, platform),
    // The Git factory's reader's credentials land here (host side), for the house's Argo CD to be given them.
    ...(usesGitFactory(tenant, platform) ? [buildRepositorySecret(tenant, platform)] : []),
  ];
}
