import { randomBytes } from 'node:crypto';
import { ForeignAccountError, type RepositoryRef } from '../git-forge.ts';
import { expectStatus, type GiteaApi, giteaPath } from './gitea-api.ts';
import { repositoryPath } from './gitea-repository.ts';

/** The full name every reader Landlord makes carries: with a local (non-directory) login, it marks the account ours. */
export const readerFullName = 'Landlord repository reader';

/** The admin's view of an account, the fields this file reads. */
export interface GiteaAccount {
  login: string;
  full_name: string;
  source_id: number;
  is_admin: boolean;
}

/** Whether Landlord made the account: a local login (a directory person signs in through the directory source). */
export const isLandlordReader = (account: GiteaAccount) =>
  account.source_id === 0 && !account.is_admin && account.full_name === readerFullName;

/**
 * Makes the reader unless it exists, restricted (it sees only what it is given) and unable to make repositories or
 * organisations; then makes it a read collaborator of the repository. It is never made a member of an organisation.
 */
export async function ensureReaderAccount(api: GiteaApi, repository: RepositoryRef, reader: string): Promise<void> {
  const userPath = giteaPath('admin', 'users', reader);
  const found = await expectStatus<GiteaAccount>(api, 'GET', giteaPath('users', reader), [200, 404]);
  if (found.status === 200 && !isLandlordReader(found.body)) {
    throw new ForeignAccountError(
      `forge account ${JSON.stringify(reader)} is not a reader Landlord made (${readerFullName}, a local login): not taken over`,
    );
  }
  if (found.status === 404) {
    await expectStatus(api, 'POST', '/admin/users', [201], {
      username: reader,
      full_name: readerFullName,
      email: `${reader}@landlord.local`,
      // Nobody signs in with it: the password is random and dropped; each token is minted with a fresh one.
      password: randomBytes(24).toString('base64url'),
      must_change_password: false,
      restricted: true,
      visibility: 'private',
    });
  }
  await expectStatus(api, 'PATCH', userPath, [200], {
    login_name: reader,
    source_id: 0,
    restricted: true,
    max_repo_creation: 0,
    allow_create_organization: false,
    admin: false,
  });
  await expectStatus(api, 'PUT', repositoryPath(repository, 'collaborators', reader), [204], { permission: 'read' });
}

/** Takes the reader off the repository's collaborators; a reader never made (422) or a repository gone (404) has none. */
export async function removeReaderAccess(api: GiteaApi, repository: RepositoryRef, reader: string): Promise<void> {
  await expectStatus(api, 'DELETE', repositoryPath(repository, 'collaborators', reader), [204, 404, 422]);
}
