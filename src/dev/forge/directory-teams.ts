import { type Directory, platformAdminsGroup } from '../identity/directory.ts';
import { tenantsOrganization } from './forge-names.ts';
import { expectStatus, type GiteaApi, giteaPath } from '../../integrations/git/gitea/gitea-api.ts';

interface Team {
  id: number;
  name: string;
}

/**
 * A team's rights in the organisation: a directory group writes only to the repositories it is given (none
 * until the repository factory grants one); platform admins administer every repository.
 */
export function teamOptions(group: string) {
  const admins = group === platformAdminsGroup;
  return {
    name: group,
    description: `Mirrors the directory group ${group}`,
    permission: admins ? 'admin' : 'write',
    includes_all_repositories: admins,
    can_create_org_repo: false,
    units: ['repo.code', 'repo.issues', 'repo.pulls', 'repo.releases', 'repo.wiki', 'repo.projects'],
  };
}

/** Makes the private organisation tenants' repositories live in, unless it exists. */
export async function ensureTenantsOrganization(api: GiteaApi): Promise<void> {
  const found = await expectStatus(api, 'GET', giteaPath('orgs', tenantsOrganization), [200, 404]);
  if (found.status === 200) return;
  await expectStatus(api, 'POST', '/orgs', [201], {
    username: tenantsOrganization,
    visibility: 'private',
    // Only Landlord (an owner) changes which team reaches which repository.
    repo_admin_change_team_access: false,
  });
}

/** Makes a forge account for a directory person, signing in through the directory source (no forge password). */
export async function ensureDirectoryUser(
  api: GiteaApi,
  sourceId: number,
  user: { uid: string; name: string; email: string },
): Promise<void> {
  const found = await expectStatus(api, 'GET', giteaPath('users', user.uid), [200, 404]);
  if (found.status === 200) return;
  await expectStatus(api, 'POST', '/admin/users', [201], {
    username: user.uid,
    login_name: user.uid,
    source_id: sourceId,
    full_name: user.name,
    email: user.email,
    must_change_password: false,
    visibility: 'private',
  });
}

/** Makes the team mirroring a directory group unless it exists; returns it. */
export async function ensureGroupTeam(api: GiteaApi, group: string): Promise<Team> {
  return ensureTeam(api, tenantsOrganization, teamOptions(group));
}

/** Makes the organisation's team of that name (with those options) unless it exists; returns it. */
export async function ensureTeam(
  api: GiteaApi,
  organization: string,
  options: { name: string } & Record<string, unknown>,
): Promise<Team> {
  const teamsPath = giteaPath('orgs', organization, 'teams');
  const teams = await expectStatus<Team[]>(api, 'GET', `${teamsPath}?limit=50`, [200]);
  const existing = teams.body.find((team) => team.name === options.name);
  if (existing) return existing;
  return (await expectStatus<Team>(api, 'POST', teamsPath, [201], options)).body;
}

/** Makes the team's members exactly the group's: adds those missing, removes those who left the group. */
export async function mirrorTeamMembers(api: GiteaApi, team: Team, members: string[]): Promise<void> {
  const current = await expectStatus<{ login: string }[]>(
    api,
    'GET',
    `${giteaPath('teams', String(team.id), 'members')}?limit=50`,
    [200],
  );
  const present = new Set(current.body.map((member) => member.login));
  for (const uid of members.filter((member) => !present.has(member))) {
    await expectStatus(api, 'PUT', giteaPath('teams', String(team.id), 'members', uid), [204]);
  }
  for (const login of [...present].filter((member) => !members.includes(member))) {
    await expectStatus(api, 'DELETE', giteaPath('teams', String(team.id), 'members', login), [204]);
  }
}

/**
 * Mirrors the directory's groups as teams of the tenants' organisation, with forge accounts for their members.
 * The repository factory calls this for a tenant's group; the local environment for the example groups.
 */
export async function syncDirectoryTeams(
  api: GiteaApi,
  sourceId: number,
  directory: Pick<Directory, 'users' | 'groups'>,
): Promise<void> {
  await ensureTenantsOrganization(api);
  for (const group of directory.groups) {
    for (const uid of group.members) {
      const user = directory.users.find((candidate) => candidate.uid === uid);
      if (!user) throw new Error(`directory group ${group.cn} names member ${uid}, who is not in the directory`);
      await ensureDirectoryUser(api, sourceId, user);
    }
    await mirrorTeamMembers(api, await ensureGroupTeam(api, group.cn), group.members);
  }
}
