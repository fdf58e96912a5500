import { forgeLocation } from '../../api/git-factory-settings.ts';
import type { PlatformConfig } from '../../api/platform-config.ts';
import type { GitForge } from './git-forge.ts';
import { giteaForge } from './gitea/gitea-forge.ts';
import { giteaPullRequests } from './gitea/gitea-pull-requests.ts';
import type { ForgePullRequests } from './pull-requests.ts';

/** The forge git.factory names, at git.baseURL's address, acting with the token given. */
export function forgeFor(git: PlatformConfig['git'], token: string): GitForge {
  const location = forgeLocation(git.baseURL);
  if (!location)
    throw new Error(
      `git.baseURL: ${JSON.stringify(git.baseURL)} names no forge organisation (https://<forge>/<organisation>)`,
    );
  switch (git.factory.provider) {
    case 'gitea':
      return giteaForge(location.url, token);
  }
}

/** Pull requests on the forge git.factory names, at `url` (the forge's address), acting with the token given. */
export function pullRequestsFor(
  provider: PlatformConfig['git']['factory']['provider'],
  url: string,
  token: string,
): ForgePullRequests {
  switch (provider) {
    case 'gitea':
      return giteaPullRequests(url, token);
  }
}
