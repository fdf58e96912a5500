import { join } from 'node:path';
import { cacheRoot } from '../tools/cache.ts';

/** A local control plane run by kwokctl from the binaries Landlord built. */
export interface LocalCluster {
  /** kwokctl's cluster name. */
  name: string;
  /** First of the block of ports on 127.0.0.1 the cluster's components listen on (see clusterPorts). */
  basePort: number;
  /** kwokctl's work directory (KWOK_WORKDIR), inside Landlord's cache. */
  workdir: string;
}

/** The developer's cluster of `landlord dev up`. */
export const devClusterName = 'landlord';
/** Default API server port of the developer's cluster; tests pick a free block of their own. */
export const devBasePort = 20443;

/** The ports of one cluster's components: a block of consecutive ports, so clusters never overlap. */
export function clusterPorts(cluster: LocalCluster) {
  const base = cluster.basePort;
  return {
    kubeApiserver: base,
    etcd: base + 1,
    etcdPeer: base + 2,
    kubeControllerManager: base + 3,
    kubeScheduler: base + 4,
    kwokController: base + 5,
  };
}

/** The ports of the services around the cluster (Argo CD and its cache), right after the cluster's own. */
export function environmentPorts(cluster: LocalCluster) {
  const base = cluster.basePort + 6;
  return {
    redis: base,
    argocdRepoServer: base + 1,
    argocdRepoServerMetrics: base + 2,
    argocdServer: base + 3,
    argocdServerMetrics: base + 4,
    argocdControllerMetrics: base + 5,
    ldap: base + 6,
    dex: base + 7,
    portal: base + 8,
    smtp: base + 9,
    chartRepository: base + 10,
    /** Dex's gRPC API (the houses' OIDC clients), mutual TLS. */
    dexApi: base + 11,
    /** The local Git forge (Gitea): its web server and API. */
    gitea: base + 12,
  };
}

/** How many consecutive ports a cluster and its environment take. */
export const portsPerCluster = 19;

/** kwokctl's work directory for Landlord's clusters, outside the repository and outside ~/.kwok. */
export function kwokWorkdir(): string {
  return join(cacheRoot(), 'kwok');
}

/** The developer's local cluster, with its ports overridable by LANDLORD_DEV_PORT. */
export function devCluster(): LocalCluster {
  const basePort = Number(process.env.LANDLORD_DEV_PORT ?? devBasePort);
  return { name: devClusterName, basePort, workdir: kwokWorkdir() };
}

/** The folder kwokctl keeps one cluster's state, certificates and logs in. */
export function clusterDir(cluster: LocalCluster): string {
  return join(cluster.workdir, 'clusters', cluster.name);
}

/** The folder of the environment's own state: Argo CD's processes and logs, the local Git repositories. */
export function environmentDir(cluster: LocalCluster): string {
  return join(cluster.workdir, '..', 'environments', cluster.name);
}

/** The admin kubeconfig kwokctl writes for the cluster. */
export function kubeconfigPath(cluster: LocalCluster): string {
  return join(clusterDir(cluster), 'kubeconfig.yaml');
}
