import { existsSync } from 'node:fs';
import { type Connection, loadConnection } from '../kube/kubeconfig.ts';
import { CliError, ExitCode } from './exit-codes.ts';

/** The cluster a command works on: --kubeconfig, else KUBECONFIG (or in-cluster), else the local dev cluster. */
export async function clusterConnection(kubeconfigFlag: string | undefined, purpose: string): Promise<Connection> {
  if (kubeconfigFlag) return loadConnection(kubeconfigFlag);
  if (process.env.KUBECONFIG) return loadConnection(undefined);
  return loadConnection(await localKubeconfig(purpose));
}

/** The local dev cluster's kubeconfig; dev/ is loaded only here, so a production install never needs it. */
async function localKubeconfig(purpose: string): Promise<string> {
  const { devCluster, kubeconfigPath } = await import('../dev/cluster/local-cluster.ts');
  const local = kubeconfigPath(devCluster());
  if (!existsSync(local)) {
    throw new CliError(
      `no cluster to ${purpose}: pass --kubeconfig, set KUBECONFIG, or run \`landlord dev up\``,
      ExitCode.environment,
    );
  }
  return local;
}
