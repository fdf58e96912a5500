import { join } from 'node:path';
import { cacheRoot } from '../tools/cache.ts';

/** A local control plane run by kwokctl from the binaries Landlord built. */
export interface LocalCluster {
  /** kwokctl's cluster name. */
  name: string;
  /** The kube-apiserver's port on 127.0.0.1. */
  apiserverPort: number;
  /** kwokctl's work directory (KWOK_WORKDIR), inside Landlord's cache. */
  workdir: string;
}

/** The developer's cluster of `landlord dev up`. */
export const devClusterName = 'landlord';
/** Default port of the developer's API server; tests pick a free port of their own. */
export const devApiserverPort = 32766;

/** kwokctl's work directory for Landlord's clusters, outside the repository and outside ~/.kwok. */
export function kwokWorkdir(): string {
  return join(cacheRoot(), 'kwok');
}

/** The developer's local cluster, with the port overridable by LANDLORD_DEV_PORT. */
export function devCluster(): LocalCluster {
  const port = Number(process.env.LANDLORD_DEV_PORT ?? devApiserverPort);
  return { name: devClusterName, apiserverPort: port, workdir: kwokWorkdir() };
}

/** The folder kwokctl keeps one cluster's state, certificates and logs in. */
export function clusterDir(cluster: LocalCluster): string {
  return join(cluster.workdir, 'clusters', cluster.name);
}

/** The admin kubeconfig kwokctl writes for the cluster. */
export function kubeconfigPath(cluster: LocalCluster): string {
  return join(clusterDir(cluster), 'kubeconfig.yaml');
}
