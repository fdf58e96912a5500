import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { environmentDir, environmentPorts, type LocalCluster } from '../cluster/local-cluster.ts';
import { isPortFree } from '../cluster/ports.ts';
import type { Directory } from '../identity/directory.ts';
import {
  type ProcessSpec,
  runningPid,
  startBackground,
  stopBackground,
  tailOfLog,
} from '../processes/background-process.ts';
import { pollUntil } from '../processes/wait-for-port.ts';
import { binaryPath } from '../tools/cache.ts';
import { syncDirectoryTeams } from './directory-teams.ts';
import { tenantsOrganization } from './forge-names.ts';
import { ensureGiteaAdmin } from './gitea-admin.ts';
import { ensureTemplateRepositories } from './template-repositories.ts';
import { giteaApi } from '../../integrations/git/gitea/gitea-api.ts';
import { giteaBaseArgs, giteaCommand, giteaConfigFile } from './gitea-cli.ts';
import { giteaAppIni, giteaUrl } from './gitea-config.ts';
import { ensureLdapSource } from './gitea-ldap-source.ts';
import { giteaSecrets, giteaTokenFile } from './gitea-secrets.ts';

type Log = (line: string) => void;

/** The local forge as Landlord reaches it. */
export interface LocalGitea {
  url: string;
  /** The 0600 file with the admin account's access token. */
  tokenFile: string;
  /** The organisation tenants' repositories and teams live in. */
  organization: string;
  /** The ID of the directory's authentication source (accounts for directory people name it). */
  directorySourceId: number;
}

/** The local Gitea's folder, in the environment's. */
export const giteaDir = (cluster: LocalCluster) => join(environmentDir(cluster), 'gitea');

/** The local Gitea's URL for this environment. */
export const localGiteaUrl = (cluster: LocalCluster) => giteaUrl(environmentPorts(cluster).gitea);

const giteaSpec = (dir: string): ProcessSpec => ({
  name: 'gitea',
  command: binaryPath('gitea'),
  args: [...giteaBaseArgs(dir), 'web'],
  // Gitea's git commands keep their configuration in its folder, not the developer's ~/.gitconfig.
  env: { GITEA_WORK_DIR: dir, HOME: join(dir, 'home') },
});

/**
 * Starts the local Gitea unless it runs (its database migrated first), then converges its content: Landlord's
 * admin and token, the directory as an authentication source, the tenants' organisation with the directory's
 * groups as teams. Running it again changes nothing that is already right.
 */
export async function giteaUp(
  cluster: LocalCluster,
  directory: Pick<Directory, 'baseDN' | 'users' | 'groups'>,
  log: Log,
): Promise<LocalGitea> {
  const dir = giteaDir(cluster);
  const ports = environmentPorts(cluster);
  const url = giteaUrl(ports.gitea);
  mkdirSync(join(dir, 'home'), { recursive: true, mode: 0o700 });
  const secrets = giteaSecrets(dir);
  const runningAsRoot = process.getuid?.() === 0;
  const staticRootPath = dirname(binaryPath('gitea'));
  const ini = giteaAppIni({ workPath: dir, staticRootPath, port: ports.gitea, ...secrets, runningAsRoot });
  const spec = giteaSpec(dir);
  const file = giteaConfigFile(dir);
  if (!existsSync(file) || readFileSync(file, 'utf8') !== ini) {
    writeFileSync(file, ini, { mode: 0o600 });
    // A Gitea running with another configuration (an older Landlord's) starts again with this one.
    if (runningPid(dir, spec)) {
      log('[forge] restarting gitea: its configuration changed');
      await stopBackground(dir, spec);
    }
  }
  if (!runningPid(dir, spec)) {
    if (!(await isPortFree(ports.gitea)))
      throw new Error(`cannot start gitea: 127.0.0.1:${ports.gitea} is taken by another program`);
    await giteaCommand(dir, ['migrate']);
    log(`[forge] starting gitea on ${url}`);
    startBackground(dir, spec);
  }
  const up = await pollUntil(
    () => answers(url),
    60_000,
    () => !runningPid(dir, spec),
  );
  if (!up) throw new Error(`gitea did not answer on ${url} within 60s; its last output:\n${tailOfLog(dir, spec.name)}`);
  const token = await ensureGiteaAdmin(dir, url);
  const directorySourceId = await ensureLdapSource(dir, { port: ports.ldap, baseDN: directory.baseDN });
  await syncDirectoryTeams(giteaApi(url, { token }), directorySourceId, directory);
  await ensureTemplateRepositories(giteaApi(url, { token }));
  return { url, tokenFile: giteaTokenFile(dir), organization: tenantsOrganization, directorySourceId };
}

async function answers(url: string): Promise<boolean> {
  try {
    // Any HTTP answer will do: the API is up, whatever it thinks of an anonymous caller.
    return (await fetch(`${url}/api/v1/version`, { signal: AbortSignal.timeout(2_000) })).status < 500;
  } catch {
    return false;
  }
}

/** Whether the local Gitea runs (read-only), for `landlord dev status`. */
export function giteaRunning(cluster: LocalCluster): boolean {
  const dir = giteaDir(cluster);
  return existsSync(dir) && runningPid(dir, giteaSpec(dir)) !== undefined;
}

/** Stops the local Gitea, if it runs. */
export async function giteaDown(cluster: LocalCluster): Promise<void> {
  const dir = giteaDir(cluster);
  if (!existsSync(dir)) return;
  await stopBackground(dir, giteaSpec(dir));
}
