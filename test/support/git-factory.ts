import type { PlatformConfig } from '../../src/api/platform-config.ts';
import { localGitFactoryFiles, withLocalGitFactory } from '../../src/dev/forge/local-factory.ts';
import { gitIntegrations } from '../../src/operator/git/git-integrations.ts';
import { testEnvironment } from './cluster.ts';

/** The test environment's platform with the Git factory on: team repositories in the local Gitea's organisation. */
export function factoryPlatform(platform: PlatformConfig): PlatformConfig {
  return withLocalGitFactory(platform, testEnvironment().gitea);
}

/** The operator's integrations as `landlord operator --git-token-file --git-webhook-secret-file` builds them here. */
export function factoryIntegrations() {
  const { gitea, argocd, platform } = testEnvironment();
  return gitIntegrations(factoryPlatform(platform), localGitFactoryFiles(gitea, argocd.webhookSecretFile));
}
