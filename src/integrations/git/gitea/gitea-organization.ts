import { expectStatus, GiteaApiError, type GiteaApi, giteaPath, messageOf } from './gitea-api.ts';

/** Makes the private organisation unless it exists; only its owners (Landlord) change which team reaches what. */
export async function ensureGiteaOrganization(api: GiteaApi, organization: string): Promise<void> {
  const path = giteaPath('orgs', organization);
  if ((await expectStatus(api, 'GET', path, [200, 404])).status === 200) return;
  const created = await expectStatus(api, 'POST', '/orgs', [201, 422], {
    username: organization,
    visibility: 'private',
    repo_admin_change_team_access: false,
  });
  // 422 is also Gitea's answer to a name taken meanwhile by a concurrent call: then the organisation is there.
  if (created.status === 422 && (await expectStatus(api, 'GET', path, [200, 404])).status === 404) {
    throw new GiteaApiError(`Gitea refused organisation ${JSON.stringify(organization)}: ${messageOf(created.body)}`);
  }
}
