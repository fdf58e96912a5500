import type { PlatformConfig } from '../../api/platform-config.ts';
import type { Tenant } from '../../api/tenant.ts';
import { teamSource } from '../team-repository.ts';
import type { Manifest } from '../manifest.ts';
import { houseArgoCdNamespace, houseBootstrapApplicationName } from '../names.ts';
import { tenantLabels } from '../ownership.ts';

/** The folder of a house's App of Apps in the team's repository when its spec names none (the CRD's default aside). */
export const houseAppsPath = 'argocd-apps';

/** The CRD's default spec.gitops.path (a namespace tenant's ApplicationSet folder): a house reads argocd-apps instead. */
const namespaceTenantDefaultPath = 'applicationset';

/**
 * The team's App of Apps inside its house (the article's bootstrap.yaml), which Landlord owns and puts back: the
 * team's repository (spec.gitops, or its default one) at `argocd-apps/` unless the spec names another folder, into
 * the house itself, pruned and self-healed. No finalizer: a team deleting it by mistake loses none of its apps.
 */
export function buildHouseBootstrapApplication(tenant: Tenant, platform: PlatformConfig): Manifest {
  const source = teamSource(tenant, platform);
  const path = source.path && source.path !== namespaceTenantDefaultPath ? source.path : houseAppsPath;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: houseBootstrapApplicationName(tenant),
      namespace: houseArgoCdNamespace,
      labels: tenantLabels(tenant),
    },
    spec: {
      project: 'default',
      source: { repoURL: source.repoURL, path, targetRevision: source.targetRevision ?? 'main' },
      destination: { server: 'https://kubernetes.default.svc', namespace: houseArgoCdNamespace },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
  };
}
