import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PlatformConfig } from '../api/platform-config.ts';
import { loadConnection } from '../kube/kubeconfig.ts';
import { TenantOperator } from '../operator/controller.ts';
import { operatorAccount, operatorKubeconfigPath } from './admission.ts';
import { startMetricsServer } from '../operator/server.ts';
import { formatDuration } from '../util/duration.ts';
import { environmentPorts, kubeconfigPath, type LocalCluster } from './cluster/local-cluster.ts';
import { environmentUp } from './environment.ts';
import { startPortalServer } from '../portal/server.ts';
import { MailCatcher } from './mail/mail-catcher.ts';
import { localPortalSettings } from './portal-settings.ts';
import { binaryPath } from './tools/cache.ts';
import { localDexClientRegistry } from './identity/local-dex-registry.ts';
import { localGitFactoryFiles, withLocalGitFactory } from './forge/local-factory.ts';
import { gitIntegrations } from '../operator/git/git-integrations.ts';
import { forgeAdminUser } from './forge/forge-names.ts';

/** The example tenants `npm start` provisions. */
export const examplesDir = join(import.meta.dirname, '..', '..', 'examples', 'tenants');

/** A team repository's first commit: where the team's manifests go. */
export const teamRepoReadme = (team: string) => `# ${team}

Manifests under applicationset/ are synced by Argo CD into the ${team} namespace (project ${team}).
`;

/**
 * The whole platform locally: the environment (cluster, Argo CD, Git), the example tenants committed to the
 * platform repository (Argo CD turns them into Tenants), their team repositories, and the operator in the
 * foreground until the signal aborts. The environment keeps running afterwards (`landlord dev down` removes it).
 */
export async function startPlatform(
  cluster: LocalCluster,
  platformFile: PlatformConfig,
  stop: AbortSignal,
  log: (line: string) => void,
) {
  const started = Date.now();
  const files = readdirSync(examplesDir)
    .filter((file) => file.endsWith('.yaml'))
    .sort();
  const examples = files.map((file) => ({
    path: `tenants/${file}`,
    content: readFileSync(join(examplesDir, file), 'utf8'),
  }));
  // The platform repository on the local Gitea, the example tenants in its first commit (main takes no pushes).
  const environment = await environmentUp(cluster, log, {
    platform: platformFile,
    platformOnForge: { seed: examples },
  });
  // Team repositories come from the Git factory, on the local Gitea: the example tenants name none of their own.
  const platform = withLocalGitFactory(environment.platform, environment.gitea);
  // As its ServiceAccount, as in a cluster: Landlord's admission policies let no one else change its objects.
  const oidcClients = localDexClientRegistry(environment.identity.api);
  const operator = new TenantOperator({
    kubeConfig: loadConnection(operatorKubeconfigPath(cluster)),
    platform,
    identity: 'landlord-dev',
    log,
    oidcClients,
    integrations: gitIntegrations(
      platform,
      localGitFactoryFiles(environment.gitea, environment.argocd.webhookSecretFile),
    ),
    leaderElection: { namespace: operatorAccount.namespace, name: 'landlord-operator' },
  });
  const server = await startMetricsServer(operator, '127.0.0.1', 9090);
  const mail = new MailCatcher((caught) => log(`[mail] to ${caught.to.join(', ')}: ${caught.subject}`));
  await mail.listen(environmentPorts(cluster).smtp);
  const portal = await startPortalServer({
    ...localPortalSettings(cluster),
    ...forgePortalSettings(environment),
    platform,
    connection: loadConnection(kubeconfigPath(cluster)),
    log,
    audit: (line) => log(`[audit] ${JSON.stringify(line)}`),
  });
  const kubectl = `bin/kubectl --kubeconfig ${kubeconfigPath(cluster)}`;
  const argocdAddress = `127.0.0.1:${environmentPorts(cluster).argocdServer}`;
  process.stdout.write(
    [
      '',
      `Landlord is running (environment ready in ${formatDuration(Date.now() - started)}).`,
      `  portal:        ${portal.url} — sign in as a directory user (bin/landlord dev users)`,
      `  tenants:       ${kubectl} get tenants -o wide`,
      `  one tenant:    ${kubectl} get ns,resourcequota,networkpolicy,rolebinding -n devteam-a`,
      `  platform repo: ${environment.platformForge?.webURL ?? environment.platformRepo.repoURL} — a tenants/<name>.yaml merged to main adds a tenant;`,
      '                 a portal request is a pull request there (merged at once within the ceilings, else a platform admin approves)',
      `  Argo CD:       ${environment.argocd.url} (API; this build has no web UI) — log in as admin:`,
      `                 ${binaryPath('argocd')} login ${argocdAddress} --plaintext --username admin --password "$(${kubectl} -n argocd get secret argocd-initial-admin-secret -o jsonpath='{.data.password}' | base64 -d)"`,
      `                 then: ${binaryPath('argocd')} app list`,
      `  Gitea:         ${environment.gitea.url} (API and Git over HTTP) — directory people sign in with their passwords;`,
      `                 each team's repository: ${platform.git.baseURL}/<team>-gitops.git (main protected: push a branch, open a pull request)`,
      `  sign-in:       ${environment.identity.issuer} (Dex, over the LDAP directory ${environment.identity.ldapURL});`,
      '                 people, groups and passwords: bin/landlord dev users',
      '  metrics:       http://127.0.0.1:9090/metrics (health: /healthz, /readyz)',
      `  houses:        ${environment.houses.available ? 'each house pod runs here (bin/landlord dev status lists them)' : environment.houses.reason}`,
      'Ctrl-C stops the operator and the portal; the environment keeps running until `bin/landlord dev down`.',
      '',
    ].join('\n'),
  );
  await operator.run(stop);
  await portal.app.close();
  await mail.close();
  server.close();
  operator.close();
  oidcClients.close();
}

/** The portal's GitOps mode on the forge's platform repository: requests as pull requests, Landlord's admin merging. */
function forgePortalSettings(environment: Awaited<ReturnType<typeof environmentUp>>) {
  const onForge = environment.platformForge;
  if (!onForge) return {};
  const token = readFileSync(environment.gitea.tokenFile, 'utf8').trim();
  return {
    platformRepoURL: onForge.cloneURL,
    // The forge's webhook tells Argo CD of each merge: the platform Application is not refreshed by the portal.
    platformApplication: undefined,
    platformForge: { ...onForge, url: environment.gitea.url, machine: { username: forgeAdminUser, token } },
  };
}
