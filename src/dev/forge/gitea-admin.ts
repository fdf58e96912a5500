import { forgeAdminUser } from './forge-names.ts';
import { giteaApi } from '../../integrations/git/gitea/gitea-api.ts';
import { giteaCommand } from './gitea-cli.ts';
import { readGiteaToken, writeGiteaToken } from './gitea-secrets.ts';

/**
 * Makes Landlord's admin account once and keeps an access token for it in a 0600 file. Its password is random
 * and thrown away (the token is how Landlord acts); a kept token that still works is reused, so running this
 * again makes neither a second admin nor a new token.
 */
export async function ensureGiteaAdmin(dir: string, url: string): Promise<string> {
  try {
    // --random-password prints the password on stdout, which giteaCommand returns and this drops.
    await giteaCommand(dir, [
      ...['admin', 'user', 'create', '--admin', '--username', forgeAdminUser],
      ...['--email', `${forgeAdminUser}@landlord.local`, '--random-password', '--must-change-password=false'],
    ]);
  } catch (error) {
    // Made by an earlier run: the one admin is kept (its name is unique in Gitea, so there cannot be two).
    if (!(error as Error).message.includes('user already exists')) throw error;
  }
  const kept = readGiteaToken(dir);
  if (kept && (await giteaApi(url, { token: kept }).request('GET', '/user')).status === 200) return kept;
  // Token names are unique per user: a new one when the kept token is gone or no longer accepted.
  const token = (
    await giteaCommand(dir, [
      ...['admin', 'user', 'generate-access-token', '--username', forgeAdminUser],
      ...['--token-name', `landlord-${Date.now()}`, '--scopes', 'all', '--raw'],
    ])
  ).trim();
  if (!/^[A-Za-z0-9_-]{20,}$/.test(token)) throw new Error('gitea generate-access-token did not print a token');
  writeGiteaToken(dir, token);
  return token;
}
