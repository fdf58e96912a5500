import { readFileSync } from 'node:fs';
import type { PlatformConfig } from '../../api/platform-config.ts';
import type { LocalGitea } from './gitea-lifecycle.ts';

/** The platform with the Git factory on the local Gitea: team repositories in its tenants' organisation. */
export function withLocalGitFactory(platform: PlatformConfig, gitea: Pick<LocalGitea, 'url' | 'organization'>) {
  return {
    ...platform,
    git: {
      ...platform.git,
      baseURL: `${gitea.url}/${gitea.organization}`,
      factory: { ...platform.git.factory, enabled: true },
    },
  } satisfies PlatformConfig;
}

/** What `landlord operator --git-token-file --git-webhook-secret-file` reads, from the local environment's files. */
export function localGitFactoryFiles(gitea: Pick<LocalGitea, 'tokenFile'>, webhookSecretFile: string) {
  return {
    token: readFileSync(gitea.tokenFile, 'utf8').trim(),
    webhookSecret: readFileSync(webhookSecretFile, 'utf8').trim(),
  };
}
