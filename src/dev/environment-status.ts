import { defaultPlatformConfig } from '../api/platform-config.ts';
import { argoCdProcesses, argoCdUrl } from './argocd/lifecycle.ts';
import { giteaRunning, localGiteaUrl } from './forge/gitea-lifecycle.ts';
import type { LocalCluster } from './cluster/local-cluster.ts';
import { type ClusterStatus, clusterStatus } from './cluster/status.ts';
import { houseRunnerStatus, housesUnavailableReason } from './houses/runner-lifecycle.ts';
import type { RunnerStatus } from './houses/house-runner.ts';
import { houseArgoCdLines } from './houses/house-argocd-status.ts';

/** What `landlord dev status` reports: the cluster, Argo CD's address and processes, the forge, the houses. */
export type EnvironmentStatus = ClusterStatus & {
  argocd: { url: string; processes: Record<string, boolean> };
  /** The local Git forge: its address and whether it runs. */
  gitea: { url: string; running: boolean };
  /** The house runner's houses, or why houses do not run here. */
  houses: { runner?: RunnerStatus; unavailable?: string };
};

/** Reads the local environment's state without changing anything. */
export async function environmentStatus(cluster: LocalCluster): Promise<EnvironmentStatus> {
  return {
    ...(await clusterStatus(cluster)),
    argocd: {
      url: argoCdUrl(cluster),
      processes: argoCdProcesses(cluster, defaultPlatformConfig.argocd.namespace),
    },
    gitea: { url: localGiteaUrl(cluster), running: giteaRunning(cluster) },
    houses: { runner: houseRunnerStatus(cluster), unavailable: housesUnavailableReason() },
  };
}

/** The status as text for people: one line when there is nothing running, the details when there is. */
export function formatEnvironmentStatus(status: EnvironmentStatus): string {
  if (!status.exists) return `cluster ${status.name}: not created (run \`landlord dev up\`)\n`;
  if (!status.running) return `cluster ${status.name}: stopped (run \`landlord dev up\` to start it)\n`;
  return [
    `cluster ${status.name}: running`,
    `  server:     ${status.server}`,
    `  version:    ${status.version}`,
    `  nodes:      ${status.nodes?.ready}/${status.nodes?.total} ready`,
    `  Tenant CRD: ${status.tenantCrdInstalled ? 'installed' : 'missing'}`,
    `  kubeconfig: ${status.kubeconfig}`,
    `  Argo CD:    ${status.argocd.url}`,
    ...Object.entries(status.argocd.processes).map(([name, up]) => `    ${name}: ${up ? 'running' : 'stopped'}`),
    `  Gitea:      ${status.gitea.url} (${status.gitea.running ? 'running' : 'stopped'})`,
    ...formatHouses(status.houses),
    '',
  ].join('\n');
}

/** The house runner's lines: each house's pod, phase, address and restarts, or why houses do not run here. */
function formatHouses(houses: EnvironmentStatus['houses']): string[] {
  if (houses.unavailable) return [`  houses:     ${houses.unavailable}`];
  if (!houses.runner) return ['  houses:     house runner stopped (run `landlord dev up` to start it)'];
  const lines = houses.runner.houses.flatMap((house) => [
    `    ${house.pod}: ${house.phase}${house.address ? ` at https://${house.address}` : ''}, ${house.restarts} restarts${house.message ? ` (${house.message})` : ''}`,
    ...houseArgoCdLines(house.argocd),
  ]);
  return [`  houses:     ${houses.runner.houses.length} run by the house runner (pid ${houses.runner.pid})`, ...lines];
}
