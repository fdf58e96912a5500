import { readFileSync } from 'node:fs';
import type { PlatformConfig } from '../../src/api/platform-config.ts';
import { gitIntegrations } from '../../src/operator/git/git-integrations.ts';
import { testEnvironment } from './cluster.ts';

/** The test environment's platform with the Git factory on: team repositories in the local Gitea's organisation. */
export function factoryPlatform(platform: PlatformConfig): PlatformConfig {
  const { gitea } = testEnvironment();
  return {
    ...platform,
    git: {
      ...platform.git,
      baseURL: `${gitea.url}/${gitea.organization}`,
      factory: { ...platform.git.factory, enabled: true },
    },
  };
}

/** The operator's integrations as `landlord operator --git-token-file --git-webhook-secret-file` builds them here. */
export function factoryIntegrations() {
  const { gitea, argocd, platform } = testEnvironment();
  return gitIntegrations(factoryPlatform(platform), {
    token: readFileSync(gitea.tokenFile, 'utf8').trim(),
    webhookSecret: readFileSync(argocd.webhookSecretFile, 'utf8').trim(),
  });
}
