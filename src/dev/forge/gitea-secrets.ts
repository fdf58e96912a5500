import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The local Gitea's own secrets, generated once per environment, kept in a 0600 file. */
export interface GiteaSecrets {
  secretKey: string;
  internalToken: string;
}

/** The file holding the admin account's access token (0600; never printed, never logged). */
export const giteaTokenFile = (dir: string) => join(dir, 'admin-token');

/** Reads the environment's Gitea secrets, creating them on first use. */
export function giteaSecrets(dir: string): GiteaSecrets {
  const file = join(dir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as GiteaSecrets;
  const created: GiteaSecrets = {
    secretKey: randomBytes(32).toString('base64url'),
    internalToken: randomBytes(48).toString('base64url'),
  };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600 });
  return created;
}

/** The admin token, if one was kept. */
export function readGiteaToken(dir: string): string | undefined {
  const file = giteaTokenFile(dir);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}

/** Keeps the admin token in its 0600 file. */
export function writeGiteaToken(dir: string, token: string): void {
  writeFileSync(giteaTokenFile(dir), `${token}\n`, { mode: 0o600 });
}
