import type { Manifest } from '../manifest.ts';

/** The file of the team's own Argo CD's host Application (tenant-argocd.ts), beside the house's. */
export const tenantArgoCdFile = 'argocd-application.yaml';

/**
 * Where an object of a house goes in the rendered layout, under `vclusters/<team>/` (the article's): the
 * Application in vcluster-application.yaml, the team's Argo CD's in argocd-application.yaml, the host namespace's
 * objects under resources/.
 */
export function houseFile(object: Manifest): string {
  switch (object.kind) {
    case 'Application':
      return object.metadata.name.startsWith('argocd-') ? tenantArgoCdFile : 'vcluster-application.yaml';
    case 'AppProject':
      return 'vcluster-project.yaml';
    case 'Secret':
      // The cluster's registration, or the team repository's (the Git factory's reader's credentials are added live).
      return object.metadata.name.startsWith('repo-') ? 'gitrepository.yaml' : 'vcluster-registration.yaml';
    case 'NetworkPolicy':
      return 'resources/network-policy.yaml';
    case 'ServiceAccount':
    case 'RoleBinding':
      return 'resources/rbac.yaml';
    case 'Namespace':
      return 'resources/namespace.yaml';
    default:
      return 'resources/quota.yaml';
  }
}

/** The folder of a house in the rendered layout. */
export function houseFolder(team: string): string {
  return `vclusters/${team}`;
}
