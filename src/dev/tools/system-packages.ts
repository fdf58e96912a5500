import { execFileSync, spawnSync } from 'node:child_process';

/** A program the local environment takes from Debian's packages rather than building it. */
export interface SystemProgram {
  binary: string;
  debianPackage: string;
  /** What needs it, for the error message. */
  neededFor: string;
}

/** Debian programs the local environment runs. */
export const systemPrograms: SystemProgram[] = [
  { binary: 'redis-server', debianPackage: 'redis-server', neededFor: 'Argo CD (its cache)' },
  { binary: 'git', debianPackage: 'git', neededFor: "Argo CD's repo-server and the local Git repositories" },
  { binary: 'slapd', debianPackage: 'slapd', neededFor: 'the local directory (OpenLDAP) behind Dex' },
  { binary: 'ldapmodify', debianPackage: 'ldap-utils', neededFor: 'changing the local directory' },
  { binary: 'openssl', debianPackage: 'openssl', neededFor: "the certificates of Dex's API (mutual TLS)" },
];

/** Raised when a program is missing and cannot be installed here; says how to install it. */
export class SystemProgramError extends Error {
  override name = 'SystemProgramError';
}

/** The absolute path of a program on PATH, or undefined. */
export function whichProgram(binary: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path ? path : undefined;
}

/**
 * Makes sure the Debian programs are installed: as root with apt-get (a fresh CI machine) it installs the
 * missing ones; otherwise it names the packages to install.
 */
export function ensureSystemPrograms(log: (line: string) => void, programs = systemPrograms): void {
  const missing = programs.filter((program) => !whichProgram(program.binary));
  if (missing.length === 0) return;
  const packages = missing.map((program) => program.debianPackage);
  const why = missing.map((program) => `${program.binary} (${program.neededFor})`).join(', ');
  if (process.getuid?.() !== 0 || !whichProgram('apt-get')) {
    throw new SystemProgramError(
      `missing ${why}: install them with \`sudo apt-get install -y ${packages.join(' ')}\` and try again`,
    );
  }
  log(`[tools] installing ${packages.join(', ')} from Debian's packages`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim();
    throw new SystemProgramError(`apt-get could not install ${packages.join(' ')}: ${stderr || error}`);
  }
  const stillMissing = missing.filter((program) => !whichProgram(program.binary));
  if (stillMissing.length > 0) {
    throw new SystemProgramError(`apt-get ran but ${stillMissing.map((p) => p.binary).join(', ')} is still missing`);
  }
}
