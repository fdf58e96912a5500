import { type ForgeRepository, type NewRepository, type RepositoryRef, UnknownTemplateError } from '../git-forge.ts';
import { expectStatus, type GiteaApi, giteaPath } from './gitea-api.ts';
import { markedDescription, markerOf } from './repository-marker.ts';

/** The fields of Gitea's repository answer this file reads. */
interface GiteaRepository {
  full_name: string;
  clone_url: string;
  html_url: string;
  archived: boolean;
  description: string;
  template: boolean;
}

/** The repository's path in the API: /repos/{organization}/{name}. */
export const repositoryPath = (repository: RepositoryRef, ...rest: string[]) =>
  giteaPath('repos', repository.organization, repository.name, ...rest);

/** Returns the repository as it is, or generates it from the template: private, its files, the marker. */
export async function ensureGiteaRepository(
  api: GiteaApi,
  repository: RepositoryRef,
  options: NewRepository,
): Promise<ForgeRepository> {
  const found = await readRepository(api, repository);
  if (found) return found;
  await requireTemplate(api, options.template);
  const generated = await expectStatus<GiteaRepository>(
    api,
    'POST',
    repositoryPath(options.template, 'generate'),
    [201, 404, 409],
    {
      owner: repository.organization,
      name: repository.name,
      description: markedDescription(options.marker),
      private: true,
      git_content: true,
      default_branch: 'main',
    },
  );
  // 404: the template went away since it was read; 409: a concurrent call made the repository first.
  if (generated.status === 404) throw unknownTemplate(options.template, 'does not exist');
  if (generated.status === 409) return (await readRepository(api, repository)) ?? (await missing(repository));
  return asForgeRepository(generated.body, true);
}

/**
 * The repository as Gitea has it, or undefined. A repository renamed away answers under its old name (Gitea
 * redirects): that one is not at the name any more, and a repository generated there replaces the redirect.
 */
export async function readRepository(api: GiteaApi, repository: RepositoryRef): Promise<ForgeRepository | undefined> {
  const found = await expectStatus<GiteaRepository>(api, 'GET', repositoryPath(repository), [200, 404]);
  if (found.status !== 200 || !isAt(found.body, repository)) return undefined;
  return asForgeRepository(found.body, false);
}

// Gitea's names are case-insensitive: Team-GitOps is team-gitops.
const isAt = (found: GiteaRepository, repository: RepositoryRef) =>
  found.full_name.toLowerCase() === `${repository.organization}/${repository.name}`.toLowerCase();

// Gitea generates from any repository it can read, but only a template's files are meant to be copied.
async function requireTemplate(api: GiteaApi, template: RepositoryRef): Promise<void> {
  const found = await expectStatus<GiteaRepository>(api, 'GET', repositoryPath(template), [200, 404]);
  if (found.status === 404) throw unknownTemplate(template, 'does not exist');
  if (!found.body.template) throw unknownTemplate(template, 'is not a template repository');
}

function unknownTemplate(template: RepositoryRef, problem: string): UnknownTemplateError {
  return new UnknownTemplateError(`template ${template.organization}/${template.name} ${problem} on the forge`);
}

function missing(repository: RepositoryRef): never {
  throw new Error(`repository ${repository.organization}/${repository.name} was reported taken, then not found`);
}

function asForgeRepository(repository: GiteaRepository, created: boolean): ForgeRepository {
  return {
    cloneURL: repository.clone_url,
    webURL: repository.html_url,
    archived: repository.archived,
    marker: markerOf(repository.description),
    created,
  };
}
