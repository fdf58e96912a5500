import type { Tenant } from '../api/tenant.ts';
import type { Manifest } from './manifest.ts';
import { appProjectName, deployerServiceAccountName, initializerName, tenantNamespaces } from './names.ts';
import { tenantLabels } from './ownership.ts';
import type { PlatformConfig } from '../api/platform-config.ts';
import type { KubernetesConcern } from './concern.ts';
import { buildRepositorySecret } from './repository-secret.ts';
import { teamSource } from './team-repository.ts';
import { teamRolePolicies } from './argocd-team-role.ts';
import { isHouse } from './house/is-house.ts';
import { buildHouseArgoCd } from './house/argocd.ts';
import { houseFile } from './house/layout.ts';

/** Namespaced kinds a team may not deploy from Git: they are the platform's (the article's list, plus LimitRange). */
export const deniedNamespacedKinds = [
  { group: 'argoproj.io', kind: 'AppProject' },
  { group: 'argoproj.io', kind: 'Application' },
  { group: 'argoproj.io', kind: 'ApplicationSet' },
  { group: '', kind: 'ResourceQuota' },
  { group: '', kind: 'LimitRange' },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
];

import { cascadeFinalizer } from './cascade-finalizer.ts';

/** Argo CD's finalizer that deletes an Application's resources with it (cascade). */
export { cascadeFinalizer };

/**
 * The AppProject, the contract between the platform and the team: exactly the tenant's namespaces as
 * destinations (never a pattern), only the team's repository, no cluster-scoped kinds, none of the platform's
 * namespaced kinds, a role for the team's group, Applications allowed in the team's own namespaces, and every
 * sync done as the team's deployer (Argo CD's sync impersonation), so the API server checks the team's rights.
 */
export function buildAppProject(tenant: Tenant, platform: PlatformConfig): Manifest {
  const name = appProjectName(tenant);
  const namespaces = tenantNamespaces(tenant);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name, namespace: platform.argocd.namespace, labels: tenantLabels(tenant) },
    spec: {
      description: `Applications of ${tenant.spec.teamName} (cost centre ${tenant.spec.costCenter}), managed by Landlord`,
      sourceRepos: [teamSource(tenant, platform).repoURL],
      destinations: namespaces.map((namespace) => ({ server: platform.argocd.destinationServer, namespace })),
      clusterResourceWhitelist: [],
      clusterResourceBlacklist: [{ group: '*', kind: '*' }],
      namespaceResourceBlacklist: deniedNamespacedKinds,
      sourceNamespaces: namespaces,
      // One catch-all entry (any server, any namespace): deleting an Application falls back to Argo CD's own
      // rights when nothing matches. Always namespace:name, never a name Argo CD resolves per Application.
      destinationServiceAccounts: [
        {
          server: '*',
          namespace: '*',
          defaultServiceAccount: `${platform.argocd.namespace}:${deployerServiceAccountName(tenant)}`,
        },
      ],
      roles: [
        {
          name: 'team',
          description: `Members of ${tenant.spec.adGroup}: their own applications, in the UI and the CLI`,
          groups: [tenant.spec.adGroup],
          policies: teamRolePolicies(name),
        },
      ],
    },
  };
}

/**
 * The App-of-Apps Application: syncs the team's repository into its first namespace, pruning and self-healing,
 * applied server-side so a refusal by the API server reaches the sync result with its reason.
 */
export function buildInitializer(tenant: Tenant, platform: PlatformConfig): Manifest {
  const source = teamSource(tenant, platform);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: initializerName(tenant),
      namespace: platform.argocd.namespace,
      labels: tenantLabels(tenant),
      finalizers: [cascadeFinalizer],
    },
    spec: {
      project: appProjectName(tenant),
      source: { repoURL: source.repoURL, path: source.path, targetRevision: source.targetRevision },
      destination: { server: platform.argocd.destinationServer, namespace: tenant.spec.teamName },
      // Server-side apply: on the client-side path Argo CD sends RBAC objects through `kubectl auth reconcile`,
      // which loses the API server's reason when it refuses a binding (a nil-pointer panic in its place).
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'] },
    },
  };
}

const argo = 'argoproj.io/v1alpha1';

/** Argo CD: the team's AppProject, its repository and the initializer. Last, so it syncs into locked namespaces. */
export const argoCdConcern: KubernetesConcern = {
  name: 'ArgoCD',
  condition: 'ArgoCDReady',
  holding: 'owned',
  kinds: [
    {
      apiVersion: argo,
      kind: 'AppProject',
      plural: 'appprojects',
      namespaced: true,
      watch: 'argocd-namespace',
      // Its roles carry no project tokens (spec.roles[].jwtTokens, and status.jwtTokensByRole, which Argo CD
      // checks a token against): one planted is removed, so no token the platform did not issue works.
      exact: ['spec', 'status'],
    },
    // Secrets only in Argo CD's namespace: cluster-wide they would be far too much to watch (and to be granted).
    { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true, watch: 'argocd-namespace' },
    // Argo CD writes the Application's status and operation; its spec is Landlord's whole.
    {
      apiVersion: argo,
      kind: 'Application',
      plural: 'applications',
      namespaced: true,
      watch: 'argocd-namespace',
      exact: ['spec'],
    },
  ],
  build: (tenant, platform) =>
    isHouse(tenant)
      ? buildHouseArgoCd(tenant, platform)
      : [
          buildAppProject(tenant, platform),
          buildRepositorySecret(tenant, platform),
          buildInitializer(tenant, platform),
        ],
  file: (object, tenant) => {
    if (isHouse(tenant)) return houseFile(object);
    if (object.kind === 'AppProject') return `argocd-project-${tenant.spec.teamName}.yaml`;
    return object.kind === 'Application' ? 'application-initializer.yaml' : 'gitrepository.yaml';
  },
};
