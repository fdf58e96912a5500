import { defaultPlatformConfig } from '../api/platform-config.ts';
import { argoCdProcesses, argoCdUrl } from './argocd/lifecycle.ts';
import type { LocalCluster } from './cluster/local-cluster.ts';
import { type ClusterStatus, clusterStatus } from './cluster/status.ts';

/** What `landlord dev status` reports: the cluster, and Argo CD's address and processes. */
export type EnvironmentStatus = ClusterStatus & {
  argocd: { url: string; processes: Record<string, boolean> };
};

/** Reads the local environment's state without changing anything. */
export async function environmentStatus(cluster: LocalCluster): Promise<EnvironmentStatus> {
  return {
    ...(await clusterStatus(cluster)),
    argocd: {
      url: argoCdUrl(cluster),
      processes: argoCdProcesses(cluster, defaultPlatformConfig.argocd.namespace),
    },
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
    '',
  ].join('\n');
}
