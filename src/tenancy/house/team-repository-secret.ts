import type { PlatformConfig } from '../../api/platform-config.ts';
import type { Tenant } from '../../api/tenant.ts';
import { teamSource } from '../team-repository.ts';
import type { Manifest } from '../manifest.ts';
import { houseArgoCdNamespace } from '../names.ts';
import { tenantLabels } from '../ownership.ts';

/** The house's Argo CD's repository Secret for the team's repository (the Git factory's reader's credentials). */
export const houseRepositorySecretName = 'landlord-team-repository';

/**
 * The team's repository as the house's Argo CD reads it: its URL and the read-only reader's name and token the Git
 * factory keeps on the host. The team is cluster-admin in its house and may read it: the token reads this one
 * repository and nothing else.
 */
export function buildHouseRepositorySecret(
  tenant: Tenant,
  platform: PlatformConfig,
  reader: { username: string; token: string },
): Manifest {
  const encode = (value: string) => Buffer.from(value).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: houseRepositorySecretName,
      namespace: houseArgoCdNamespace,
      labels: {
        ...tenantLabels(tenant),
        'app.kubernetes.io/part-of': 'argocd',
        'argocd.argoproj.io/secret-type': 'repository',
      },
    },
    type: 'Opaque',
    data: {
      type: encode('git'),
      url: encode(teamSource(tenant, platform).repoURL),
      username: encode(reader.username),
      password: encode(reader.token),
    },
  };
}
