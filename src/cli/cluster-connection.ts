import { existsSync } from 'node:fs';
import { devCluster, kubeconfigPath } from '../dev/cluster/local-cluster.ts';
import { type Connection, loadConnection } from '../kube/kubeconfig.ts';
import { CliError, ExitCode } from './exit-codes.ts';

/** The cluster a command works on: --kubeconfig, else KUBECONFIG (or in-cluster), else the local dev cluster. */
export function clusterConnection(kubeconfigFlag: string | undefined, purpose: string): Connection {
  const local = kubeconfigPath(devCluster());
  if (!kubeconfigFlag && !process.env.KUBECONFIG && !existsSync(local)) {
    throw new CliError(
      `no cluster to ${purpose}: pass --kubeconfig, set KUBECONFIG, or run \`landlord dev up\``,
      ExitCode.environment,
    );
  }
  return loadConnection(kubeconfigFlag ?? (process.env.KUBECONFIG ? undefined : local));
}
