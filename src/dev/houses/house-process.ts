import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';

/** A folder on this machine mounted into the house at a path of the pod's spec. */
export interface HouseMount {
  source: string;
  target: string;
  readOnly: boolean;
}

/** Everything one start of a house's container needs, all of it from the pod's spec and what it references. */
export interface HouseLaunch {
  networkNamespace: string;
  /** The image's folder (the vcluster binary's), mounted at `imageMountPoint` before $HOME is hidden. */
  imageDir: string;
  imageMountPoint: string;
  /** The command, its first word a path inside imageDir. */
  command: string[];
  env: Record<string, string>;
  mounts: HouseMount[];
  workingDir: string;
  /** The container's securityContext runAsUser/runAsGroup, when set. */
  user?: { uid: number; gid: number };
}

/** Quotes a word for sh: nothing in it is interpreted. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}

/**
 * The script run as the first process of the house's own mount and PID namespaces: the pod's volumes bound at
 * their paths, a private tmpfs over $HOME (vCluster writes a kubeconfig there), then the container's command as
 * its user. Mounts stay in the namespace; the folders created as mount points are empty. Every volume is first
 * bound beside the image (`staged/<n>`), then at its path, parents first: a volume mounted over a folder (the chart
 * mounts one at /tmp) would otherwise hide the sources of the volumes after it when the cache lives there.
 */
export function launchScript(launch: HouseLaunch): string {
  const image = join(launch.imageMountPoint);
  const staged = (index: number) => shellQuote(join(dirname(image), 'staged', String(index)));
  const lines = ['set -eu', `mount --bind ${shellQuote(launch.imageDir)} ${shellQuote(image)}`];
  for (const [index, mount] of launch.mounts.entries())
    lines.push(`mkdir -p ${staged(index)}`, `mount --bind ${shellQuote(mount.source)} ${staged(index)}`);
  const depth = (path: string) => path.split('/').filter(Boolean).length;
  const byDepth = [...launch.mounts.entries()].sort(([, a], [, b]) => depth(a.target) - depth(b.target));
  for (const [index, mount] of byDepth) {
    const target = shellQuote(mount.target);
    lines.push(`mkdir -p ${target}`, `mount --bind ${staged(index)} ${target}`);
    if (mount.readOnly) lines.push(`mount -o remount,bind,ro ${target}`);
  }
  const home = launch.env.HOME ?? '/root';
  const owner = launch.user ? `,uid=${launch.user.uid},gid=${launch.user.gid}` : '';
  lines.push(`mount -t tmpfs -o mode=0700${owner} house-home ${shellQuote(home)}`);
  lines.push(`cd ${shellQuote(launch.workingDir)}`);
  const asUser = launch.user
    ? ['setpriv', `--reuid=${launch.user.uid}`, `--regid=${launch.user.gid}`, '--clear-groups', '--no-new-privs']
    : [];
  // Not exec'd: this shell stays the namespace's first process, as root, so it keeps its parent-death signal (a
  // change of user clears it); the command dying ends the shell and with it the namespace. `exit` keeps sh from
  // exec'ing its last command itself.
  lines.push([...asUser, ...launch.command].map(shellQuote).join(' '), 'exit $?');
  return lines.join('\n');
}

/**
 * Starts the house: in its network namespace, in new mount and PID namespaces, so that its first process dying
 * (killed, or exited) takes every process it started with it (vCluster leaves its kube-apiserver running on
 * SIGTERM). The whole chain dies with the runner too (parent-death signals down to the namespace's first process,
 * a root shell), so nothing is ever orphaned. Its own process group: stopping the house signals the group, the
 * command included (the first process of a PID namespace ignores SIGTERM from outside; the command does not).
 */
export function startHouseProcess(launch: HouseLaunch, output: number): ChildProcess {
  const args = [
    '--pdeathsig=KILL',
    'ip',
    'netns',
    'exec',
    launch.networkNamespace,
    'unshare',
    '--mount',
    '--propagation=private',
    '--pid',
    '--fork',
    '--kill-child',
    '--mount-proc',
    'sh',
    '-c',
    launchScript(launch),
  ];
  return spawn('setpriv', args, {
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', ...launch.env },
    cwd: dirname(launch.imageDir),
    detached: true,
    stdio: ['ignore', output, output],
  });
}

/** Signals the house's process group; gone already is not an error. */
export function signalHouse(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}
