import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { kubeconfigFiles } from '../kube/kubeconfig-merge.ts';
import {
  type Connection,
  connectionFromFiles,
  inClusterConnection,
  loadConnection,
  podNamespace,
  runsInPod,
  serviceAccountDir,
} from '../kube/kubeconfig.ts';
import { CliError, ExitCode } from './exit-codes.ts';

/** Where a cluster can come from, besides a --kubeconfig flag (the process's own unless a test gives others). */
export interface ClusterSources {
  /** KUBECONFIG, and KUBERNETES_SERVICE_HOST and _PORT in a pod. */
  env: Record<string, string | undefined>;
  /** The home directory of ~/.kube/config. */
  home: string;
  /** Where a pod's ServiceAccount token, CA and namespace are mounted. */
  serviceAccountDir: string;
  /** The local environment's kubeconfig (`landlord dev up`), if it has one. */
  localKubeconfig: () => Promise<string | undefined>;
}

/** The cluster found, where it came from (in words, for the log) and, in a pod, the pod's namespace. */
export interface FoundCluster {
  connection: Connection;
  origin: 'flag' | 'KUBECONFIG' | 'pod' | 'home' | 'local environment';
  source: string;
  podNamespace?: string;
}

const thisProcess: ClusterSources = {
  env: process.env,
  home: homedir(),
  serviceAccountDir,
  localKubeconfig,
};

/**
 * The cluster a command works on, in controller-runtime's order: --kubeconfig, else KUBECONFIG, else the pod's
 * ServiceAccount when running in one, else ~/.kube/config, else (for developers) the local environment. The
 * local environment never wins over anything a real installation has (docs/adr: cluster connection order).
 */
export async function clusterConnection(
  kubeconfigFlag: string | undefined,
  purpose: string,
  sources: ClusterSources = thisProcess,
): Promise<FoundCluster> {
  if (kubeconfigFlag) {
    return { connection: loadConnection(kubeconfigFlag), origin: 'flag', source: `--kubeconfig ${kubeconfigFlag}` };
  }
  if (sources.env.KUBECONFIG) {
    const connection = connectionFromFiles(kubeconfigFiles(sources.env.KUBECONFIG, sources.home));
    return { connection, origin: 'KUBECONFIG', source: 'KUBECONFIG' };
  }
  if (runsInPod(sources)) {
    const connection = inClusterConnection(sources);
    return { connection, origin: 'pod', source: 'in-cluster (ServiceAccount)', podNamespace: podNamespace(sources) };
  }
  const home = join(sources.home, '.kube', 'config');
  if (existsSync(home)) return { connection: connectionFromFiles([home]), origin: 'home', source: '~/.kube/config' };
  const local = await sources.localKubeconfig();
  if (local) {
    const connection = loadConnection(local);
    return { connection, origin: 'local environment', source: `the local environment (${local})` };
  }
  throw new CliError(
    `no cluster to ${purpose}: pass --kubeconfig, set KUBECONFIG, run in a pod with a ServiceAccount, ` +
      'write ~/.kube/config, or run `landlord dev up`',
    ExitCode.environment,
  );
}

/** The local dev cluster's kubeconfig if it exists; dev/ is loaded only here, so a production install never needs it. */
async function localKubeconfig(): Promise<string | undefined> {
  let local: string;
  try {
    const { devCluster, kubeconfigPath } = await import('../dev/cluster/local-cluster.ts');
    local = kubeconfigPath(devCluster());
  } catch {
    // An installation without the local environment's modules has no local environment either.
    return undefined;
  }
  return existsSync(local) ? local : undefined;
}
