import type { PlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import type { Manifest } from './manifest.ts';
import { appProjectName, repositorySecretName } from './names.ts';
import { tenantLabels } from './ownership.ts';
import { teamSource } from './team-repository.ts';

/**
 * The Argo CD repository Secret of the team's repository, scoped to its project so no other project can use
 * it. Credentials are added by the Git provider integration, never written here or rendered to Git.
 */
export function buildRepositorySecret(tenant: Tenant, platform: PlatformConfig): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: repositorySecretName(tenant),
      namespace: platform.argocd.namespace,
      labels: { ...tenantLabels(tenant), 'argocd.argoproj.io/secret-type': 'repository' },
    },
    type: 'Opaque',
    stringData: { type: 'git', url: teamSource(tenant, platform).repoURL, project: appProjectName(tenant) },
  };
}
