import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { defaultPlatformConfig } from '../api/platform-config.ts';
import { platformProjectName } from '../platform/platform-application.ts';
import type { PortalServerSettings } from '../portal/server.ts';
import { environmentPorts, type LocalCluster } from './cluster/local-cluster.ts';
import { gitDir, localPlatformConfig } from './environment.ts';
import { exampleDirectory, platformAdminsGroup } from './identity/directory.ts';
import { dexIssuer } from './identity/dex-config.ts';
import { dexClients, identitySecrets } from './identity/lifecycle.ts';
import { repoURL } from './git/local-repos.ts';

/**
 * The portal's settings on the local environment: Dex over the example directory, GitOps mode on the local
 * platform repository, mail to the environment's SMTP catcher, loopback only. Sessions are signed with a
 * secret made per run: a restart signs everyone out, as it should in development.
 */
export function localPortalSettings(cluster: LocalCluster): Omit<PortalServerSettings, 'connection' | 'audit' | 'log'> {
  const ports = environmentPorts(cluster);
  const publicURL = `http://127.0.0.1:${ports.portal}`;
  const teams = exampleDirectory()
    .groups.map((group) => group.cn)
    .filter((cn) => cn !== platformAdminsGroup);
  return {
    host: '127.0.0.1',
    port: ports.portal,
    publicURL,
    oidc: {
      issuer: dexIssuer(ports.dex),
      clientID: dexClients.portal,
      clientSecret: identitySecrets(cluster).clientSecrets.portal,
    },
    policy: { requesterGroups: teams, adminGroups: [platformAdminsGroup] },
    platform: localPlatformConfig(cluster),
    sessionSecret: randomBytes(32).toString('base64url'),
    sessionTtlSeconds: 3600,
    mode: 'gitops',
    platformRepoURL: repoURL(join(gitDir(cluster), 'platform.git')),
    platformApplication: { namespace: defaultPlatformConfig.argocd.namespace, name: platformProjectName },
    tokenLifetimeSeconds: 3600,
    smtp: { host: '127.0.0.1', port: ports.smtp, from: 'Landlord <landlord@landlord.local>' },
  };
}
