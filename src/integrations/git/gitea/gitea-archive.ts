import type { RepositoryRef } from '../git-forge.ts';
import { expectStatus, type GiteaApi } from './gitea-api.ts';
import { repositoryPath } from './gitea-repository.ts';

/** Archives the repository (read-only, history kept); a repository that is gone has nothing to archive. */
export async function archiveGiteaRepository(api: GiteaApi, repository: RepositoryRef): Promise<void> {
  await expectStatus(api, 'PATCH', repositoryPath(repository), [200, 404], { archived: true });
}
