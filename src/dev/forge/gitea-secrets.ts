import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The local Gitea's own secrets, generated once per environment, kept in a 0600 file. */
export interface GiteaSecrets {
  secretKey: string;
  internalToken: string;
  /** Gitea writes one into app.ini when it has none (even with OAuth2 off): given, so the file stays ours. */
  jwtSecret: string;
}

/** The file holding the admin account's access token (0600; never printed, never logged). */
export const giteaTokenFile = (dir: string) => join(dir, 'admin-token');

/** Reads the environment's Gitea secrets, creating them on first use. */
export function giteaSecrets(dir: string): GiteaSecrets {
  const file = join(dir, 'secrets.json');
  const kept = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<GiteaSecrets>) : {};
  if (kept.secretKey && kept.internalToken && kept.jwtSecret) return kept as GiteaSecrets;
  // Gitea decodes its JWT secret as 32 bytes of unpadded base64url.
  const created: GiteaSecrets = {
    secretKey: kept.secretKey ?? randomBytes(32).toString('base64url'),
    internalToken: kept.internalToken ?? randomBytes(48).toString('base64url'),
    jwtSecret: kept.jwtSecret ?? randomBytes(32).toString('base64url'),
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
