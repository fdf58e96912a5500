import type { ForgeCredentials, PushWebhook, RepositoryRef } from '../../integrations/git/git-forge.ts';
import { expectStatus, giteaApi, type GiteaApi, giteaPath } from '../../integrations/git/gitea/gitea-api.ts';
import { branchProtectionRule, keepProtectionRule } from '../../integrations/git/gitea/gitea-branch-protection.ts';
import { giteaForge } from '../../integrations/git/gitea/gitea-forge.ts';
import { repositoryPath } from '../../integrations/git/gitea/gitea-repository.ts';
import { type Directory, platformAdminsGroup } from '../identity/directory.ts';
import { ensureTeam, mirrorTeamMembers } from './directory-teams.ts';
import { forgeAdminUser } from './forge-names.ts';

/** The forge organisation the platform repository lives in, apart from the tenants' repositories. */
export const platformOrganization = 'platform';

/** The team of the platform organisation whose members may request tenants: they read it and open pull requests. */
export const requestersTeam = 'requesters';

/** The platform repository on the forge, as Argo CD and the portal reach it. */
export interface ForgePlatformRepo {
  repository: RepositoryRef;
  cloneURL: string;
  webURL: string;
  /** The read-only machine user Argo CD reads it as (this repository and nothing else). */
  reader: ForgeCredentials;
}

/** What the platform repository is made with. */
export interface PlatformRepoOptions {
  name: string;
  /** The directory, for the platform admins' and the requesters' teams. */
  directory: Pick<Directory, 'groups'>;
  /** The directory groups that may request tenants (the portal's requester groups). */
  requesterGroups: string[];
  /** The files of its first commit (made before main is protected); an existing repository keeps its own. */
  seed: { path: string; content: string }[];
  /** The push webhook to the host Argo CD. */
  webhook: PushWebhook;
}

/**
 * Makes the platform repository on the local Gitea unless it exists, and converges how it is guarded: `main`
 * takes no pushes, only pull requests approved by a platform admin or by Landlord's machine user (which approves
 * requests within the platform's ceilings); the requesters read it and open pull requests, nobody else sees it;
 * a push webhook tells Argo CD; a read-only machine user reads it for Argo CD.
 */
export async function ensurePlatformRepository(
  gitea: { url: string; token: string },
  options: PlatformRepoOptions,
): Promise<ForgePlatformRepo> {
  const api = giteaApi(gitea.url, { token: gitea.token });
  const forge = giteaForge(gitea.url, gitea.token);
  const repository = { organization: platformOrganization, name: options.name };
  await forge.ensureOrganization(platformOrganization);
  const members = (groups: string[]) =>
    [
      ...new Set(options.directory.groups.filter((group) => groups.includes(group.cn)).flatMap((g) => g.members)),
    ].sort();
  await mirrorTeamMembers(
    api,
    await ensurePlatformTeam(api, platformAdminsGroup, 'write'),
    members([platformAdminsGroup]),
  );
  await mirrorTeamMembers(api, await ensurePlatformTeam(api, requestersTeam, 'read'), members(options.requesterGroups));
  const found = await expectStatus<{ clone_url: string; html_url: string }>(
    api,
    'GET',
    repositoryPath(repository),
    [200, 404],
  );
  const made = found.status === 200 ? found.body : await createSeeded(api, repository, options.seed);
  await protectMain(api, repository);
  await forge.ensureWebhook(repository, options.webhook);
  const reader = await forge.ensureReader(repository, `${options.name}-reader`);
  return { repository, cloneURL: made.clone_url, webURL: made.html_url, reader };
}

/** The platform organisation's team of that name, reaching all its repositories with that permission. */
function ensurePlatformTeam(api: GiteaApi, name: string, permission: 'read' | 'write') {
  return ensureTeam(api, platformOrganization, {
    name,
    description:
      permission === 'write' ? 'Approve and merge requests above the ceilings' : 'Read requests, open pull requests',
    permission,
    includes_all_repositories: true,
    can_create_org_repo: false,
    units: ['repo.code', 'repo.pulls'],
  });
}

/** A private repository whose first commit on main holds the seed files. */
async function createSeeded(api: GiteaApi, repository: RepositoryRef, seed: PlatformRepoOptions['seed']) {
  const made = await expectStatus<{ clone_url: string; html_url: string }>(
    api,
    'POST',
    giteaPath('orgs', repository.organization, 'repos'),
    [201],
    {
      name: repository.name,
      private: true,
      default_branch: 'main',
      description: 'The platform repository: one Tenant per file under tenants/',
    },
  );
  await expectStatus(api, 'POST', repositoryPath(repository, 'contents'), [201], {
    branch: 'main',
    message: 'Platform repository',
    files: seed.map(({ path, content }) => ({
      operation: 'create',
      path,
      content: Buffer.from(content).toString('base64'),
    })),
  });
  return made.body;
}

/**
 * main: no pushes, one approval from the platform admins' team or Landlord's machine user (the forge admin
 * account the portal acts as), never from the requesters; stale approvals dismissed by a push.
 */
async function protectMain(api: GiteaApi, repository: RepositoryRef): Promise<void> {
  await keepProtectionRule(api, repository, 'main', {
    ...branchProtectionRule({ branch: 'main', requiredApprovals: 1, approverTeams: [] }, [platformAdminsGroup]),
    approvals_whitelist_username: [forgeAdminUser],
  });
}
