import { stringify } from 'yaml';
import { clusterPorts, type LocalCluster } from './local-cluster.ts';

/** Paths of the binaries kwokctl links instead of downloading. */
export interface ClusterBinaries {
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kubectl: string;
  kwok: string;
}

/**
 * kwokctl's configuration for a binary-runtime cluster: every component on loopback only (kwokctl's default is
 * 0.0.0.0), admission and authorization on as in a real cluster, our own binaries, and no ~/.kube/config edits.
 */
export function renderKwokctlConfig(cluster: LocalCluster, binaries: ClusterBinaries): string {
  const ports = clusterPorts(cluster);
  return stringify({
    apiVersion: 'config.kwok.x-k8s.io/v1alpha1',
    kind: 'KwokctlConfiguration',
    options: {
      runtime: 'binary',
      bindAddress: '127.0.0.1',
      // Every port explicit: kwokctl's own picks count down from 32766 and can collide with ours.
      kubeApiserverPort: ports.kubeApiserver,
      etcdPort: ports.etcd,
      etcdPeerPort: ports.etcdPeer,
      kubeControllerManagerPort: ports.kubeControllerManager,
      kubeSchedulerPort: ports.kubeScheduler,
      kwokControllerPort: ports.kwokController,
      kubeAuthorization: true,
      kubeAdmission: true,
      etcdBinary: binaries.etcd,
      kubeApiserverBinary: binaries.kubeApiserver,
      kubeControllerManagerBinary: binaries.kubeControllerManager,
      kubeSchedulerBinary: binaries.kubeScheduler,
      kubectlBinary: binaries.kubectl,
      kwokControllerBinary: binaries.kwok,
      // Tests and benchmarks create hundreds of objects quickly; client-side throttling would only slow them.
      disableQPSLimits: true,
    },
  });
}
