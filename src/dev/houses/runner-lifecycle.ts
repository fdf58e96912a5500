import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HouseSettings } from '../../api/house-settings.ts';
import { environmentDir, environmentPorts, kubeconfigPath, type LocalCluster } from '../cluster/local-cluster.ts';
import { runningPid, startBackground, stopBackground, type ProcessSpec } from '../processes/background-process.ts';
import { socketDir } from './bridge-sockets.ts';
import { type RunnerStatus, runnerStatusFile } from './house-runner.ts';
import { argocdNetworkNamespaceName, networkNamespaceName, removeNetworkNamespace } from './network-namespace.ts';

/** What the runner process reads at start. */
export interface HouseRunnerConfig {
  kubeconfig: string;
  houses: HouseSettings;
  dir: string;
  /** The environment's Dex (its issuer's address): the one service of this machine a house's Argo CD reaches. */
  identityProvider: { host: string; port: number };
  /** The environment's Gitea: where a house's Argo CD reads the team's repository the Git factory made. */
  gitForge: { host: string; port: number };
}

/** The runner's folder: its configuration, log, status and per-pod folders. */
export const houseRunnerDir = (cluster: LocalCluster) => join(environmentDir(cluster), 'houses');
const configPath = (cluster: LocalCluster) => join(houseRunnerDir(cluster), 'config.json');
const runnerProgram = join(import.meta.dirname, 'house-runner-main.ts');
const runnerSpec = (cluster: LocalCluster): ProcessSpec => ({
  name: 'house-runner',
  command: process.execPath,
  args: [runnerProgram, configPath(cluster)],
});

/**
 * Why houses cannot run on this machine, or undefined when they can: each house gets its own network and mount
 * namespaces, which need root (and the `ip`, `unshare` and `setpriv` programs).
 */
export function housesUnavailableReason(): string | undefined {
  if (process.getuid?.() !== 0)
    return 'houses are not available locally: running them needs root (each gets its own network namespace); everything else works';
  for (const program of ['ip', 'unshare', 'setpriv', 'nsenter', 'ss'])
    try {
      execFileSync('which', [program], { stdio: 'ignore' });
    } catch {
      return `houses are not available locally: the program ${program} is missing; everything else works`;
    }
  return undefined;
}

/**
 * Starts the house runner in the background unless it runs with this configuration already (a changed one
 * restarts it). Without root it starts nothing and says so: the rest of the environment works without houses.
 */
export async function ensureHouseRunner(
  cluster: LocalCluster,
  houses: HouseSettings,
  log: (line: string) => void,
): Promise<{ available: boolean; reason?: string }> {
  const reason = housesUnavailableReason();
  if (reason) {
    log(`[houses] ${reason}`);
    return { available: false, reason };
  }
  const dir = houseRunnerDir(cluster);
  mkdirSync(dir, { recursive: true });
  const identityProvider = { host: '127.0.0.1', port: environmentPorts(cluster).dex };
  const gitForge = { host: '127.0.0.1', port: environmentPorts(cluster).gitea };
  const config: HouseRunnerConfig = { kubeconfig: kubeconfigPath(cluster), houses, dir, identityProvider, gitForge };
  const text = JSON.stringify(config, null, 2);
  const spec = runnerSpec(cluster);
  const same = existsSync(configPath(cluster)) && readFileSync(configPath(cluster), 'utf8') === text;
  if (runningPid(dir, spec) && same) return { available: true };
  await stopBackground(dir, spec, 60_000);
  writeFileSync(configPath(cluster), text, { mode: 0o600 });
  startBackground(dir, spec);
  log('[houses] house runner started: it runs the vCluster of each house pod the cluster schedules');
  return { available: true };
}

/** Stops the runner (it stops every house first) and removes whatever a runner that died left behind. */
export async function stopHouseRunner(cluster: LocalCluster): Promise<void> {
  const dir = houseRunnerDir(cluster);
  if (!existsSync(dir)) return;
  await stopBackground(dir, runnerSpec(cluster), 60_000);
  const podsDir = join(dir, 'pods');
  for (const uid of existsSync(podsDir) ? readdirSync(podsDir) : []) {
    removeNetworkNamespace(argocdNetworkNamespaceName(uid));
    removeNetworkNamespace(networkNamespaceName(uid));
    rmSync(socketDir(uid), { recursive: true, force: true });
  }
}

/** The runner's view of its houses, for `landlord dev status` (undefined when it is not running). */
export function houseRunnerStatus(cluster: LocalCluster): RunnerStatus | undefined {
  const dir = houseRunnerDir(cluster);
  if (!existsSync(dir) || !runningPid(dir, runnerSpec(cluster))) return undefined;
  try {
    return JSON.parse(readFileSync(runnerStatusFile(dir), 'utf8')) as RunnerStatus;
  } catch {
    return undefined;
  }
}
