import type { PlatformConfig } from '../../src/api/platform-config.ts';
import { validTenant } from '../fixtures/tenants.ts';
import type { GitLogin } from './git-http.ts';
import { localGitFactoryFiles, withLocalGitFactory } from '../../src/dev/forge/local-factory.ts';
import { gitIntegrations } from '../../src/operator/git/git-integrations.ts';
import { testCluster, testEnvironment } from './cluster.ts';
import { startOperator } from './operator.ts';

/** The test environment's platform with the Git factory on: team repositories in the local Gitea's organisation. */
export function factoryPlatform(platform: PlatformConfig): PlatformConfig {
  return withLocalGitFactory(platform, testEnvironment().gitea);
}

/** The operator's integrations as `landlord operator --git-token-file --git-webhook-secret-file` builds them here. */
export function factoryIntegrations() {
  const { gitea, argocd, platform } = testEnvironment();
  return gitIntegrations(factoryPlatform(platform), localGitFactoryFiles(gitea, argocd.webhookSecretFile));
}

/** A namespace tenant of the group, on shared nodes, with no repository of its own: the factory makes it. */
export async function createFactoryTenant(name: string, teamName: string, adGroup = 'devteam-a'): Promise<void> {
  const document = validTenant(name, teamName);
  delete document.spec.nodePool;
  delete document.spec.gitops;
  document.spec.adGroup = adGroup;
  await testCluster().http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: document });
}

/** The reader's name and token in the team's Argo CD repository Secret (repo-<team>), as Argo CD uses them. */
export async function readerOf(team: string): Promise<GitLogin> {
  const secret = await testCluster().http.request<{ data: Record<string, string> }>({
    method: 'GET',
    path: `/api/v1/namespaces/${testEnvironment().platform.argocd.namespace}/secrets/repo-${team}`,
  });
  const decode = (value = '') => Buffer.from(value, 'base64').toString('utf8');
  return { username: decode(secret.data.username), password: decode(secret.data.password) };
}

/** The test operator with the Git factory on, as the GitOps tests run it (stopped after the file's tests). */
export function startFactoryOperator(options: Parameters<typeof startOperator>[0] = {}) {
  return startOperator({ ...options, platform: factoryPlatform, integrations: factoryIntegrations() });
}
