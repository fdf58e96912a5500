import { randomBytes } from 'node:crypto';
import type { ForgeCredentials, RepositoryRef } from '../git-forge.ts';
import { expectStatus, giteaApi, type GiteaApi, giteaPath } from './gitea-api.ts';
import { repositoryPath } from './gitea-repository.ts';

/** The name of the token Landlord mints for a reader; Gitea keeps token names unique per account. */
export const readerTokenName = 'landlord-reader';

/** Whether the reader's credentials still read the repository (a revoked or unknown token does not). */
export async function readsRepository(
  baseUrl: string,
  repository: RepositoryRef,
  reader: string,
  credentials: ForgeCredentials,
): Promise<boolean> {
  // A read:repository token cannot ask whose it is (GET /user needs the user scope): the name given must match.
  if (credentials.username !== reader) return false;
  const found = await expectStatus(
    giteaApi(baseUrl, { token: credentials.token }),
    'GET',
    repositoryPath(repository),
    [200, 401, 403, 404],
  );
  return found.status === 200;
}

/**
 * A fresh read-only token of the reader. Gitea mints tokens only for an account signing in with its password:
 * the admin sets a random one, which is used for these calls only and kept nowhere.
 */
export async function mintReaderToken(admin: GiteaApi, baseUrl: string, reader: string): Promise<ForgeCredentials> {
  const password = randomBytes(24).toString('base64url');
  await expectStatus(admin, 'PATCH', giteaPath('admin', 'users', reader), [200], {
    login_name: reader,
    source_id: 0,
    password,
    must_change_password: false,
  });
  const self = giteaApi(baseUrl, { username: reader, password });
  const tokensPath = giteaPath('users', reader, 'tokens');
  const tokens = await expectStatus<{ id: number; name: string }[]>(self, 'GET', `${tokensPath}?limit=50`, [200]);
  for (const older of tokens.body.filter((token) => token.name === readerTokenName)) {
    await expectStatus(self, 'DELETE', giteaPath('users', reader, 'tokens', String(older.id)), [204, 404]);
  }
  const minted = await expectStatus<{ sha1: string }>(self, 'POST', tokensPath, [201], {
    name: readerTokenName,
    scopes: ['read:repository'],
  });
  return { username: reader, token: minted.body.sha1 };
}
