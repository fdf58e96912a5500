import { readFileSync } from 'node:fs';
import { giteaApi, type GiteaApi, giteaPath } from '../../src/integrations/git/gitea/gitea-api.ts';
import { identitySecrets } from './directory.ts';
import { testEnvironment } from './cluster.ts';

/** The local forge as Landlord's admin account (the token read from its 0600 file). */
export function giteaAsAdmin(): GiteaApi {
  const { gitea } = testEnvironment();
  return giteaApi(gitea.url, { token: readFileSync(gitea.tokenFile, 'utf8').trim() });
}

/** The local forge as a directory person, signing in with their directory password (basic auth). */
export function giteaAsPerson(uid: string, password = identitySecrets().users[uid] ?? ''): GiteaApi {
  return giteaApi(testEnvironment().gitea.url, { username: uid, password });
}

/** The ID of the team of the tenants' organisation that mirrors a directory group. */
export async function teamId(group: string): Promise<number> {
  const { gitea } = testEnvironment();
  const teams = await giteaAsAdmin().request<{ id: number; name: string }[]>(
    'GET',
    `${giteaPath('orgs', gitea.organization, 'teams')}?limit=50`,
  );
  const team = teams.body.find((candidate) => candidate.name === group);
  if (!team) throw new Error(`the forge has no team ${group} in ${gitea.organization}`);
  return team.id;
}
