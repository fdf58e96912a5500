import { type RepositoryRef, UnknownGroupError } from '../git-forge.ts';
import { expectStatus, type GiteaApi, giteaPath } from './gitea-api.ts';

interface GiteaTeam {
  id: number;
  name: string;
}

/** Gitea's largest page by default: lists are read page by page until a short one. */
const pageSize = 50;

/** Gives the organisation's team named like the directory group write access to the repository. */
export async function grantGiteaGroup(api: GiteaApi, repository: RepositoryRef, group: string): Promise<void> {
  const team = (await organizationTeams(api, repository.organization)).find((candidate) => candidate.name === group);
  if (!team) {
    throw new UnknownGroupError(
      `directory group ${JSON.stringify(group)} has no team in the forge's organisation ${repository.organization}`,
    );
  }
  // Adding a repository a team has already is a no-op for Gitea (204 again).
  await expectStatus(
    api,
    'PUT',
    giteaPath('teams', String(team.id), 'repos', repository.organization, repository.name),
    [204],
  );
}

/** Whether the organisation has a team named like the directory group. */
export async function hasGiteaGroup(api: GiteaApi, organization: string, group: string): Promise<boolean> {
  return (await organizationTeams(api, organization)).some((team) => team.name === group);
}

/** Every team of the organisation. */
async function organizationTeams(api: GiteaApi, organization: string): Promise<GiteaTeam[]> {
  const teams: GiteaTeam[] = [];
  for (let page = 1; ; page++) {
    const path = `${giteaPath('orgs', organization, 'teams')}?page=${page}&limit=${pageSize}`;
    const batch = (await expectStatus<GiteaTeam[]>(api, 'GET', path, [200])).body;
    teams.push(...batch);
    if (batch.length < pageSize) return teams;
  }
}
