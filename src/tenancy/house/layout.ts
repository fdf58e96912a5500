import type { Manifest } from '../manifest.ts';

/**
 * Where an object of a house goes in the rendered layout, under `vclusters/<team>/` (the article's): the
 * Application in vcluster-application.yaml, the host namespace's objects under resources/.
 */
export function houseFile(object: Manifest): string {
  switch (object.kind) {
    case 'Application':
      return 'vcluster-application.yaml';
    case 'AppProject':
      return 'vcluster-project.yaml';
    case 'Secret':
      return 'vcluster-registration.yaml';
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
