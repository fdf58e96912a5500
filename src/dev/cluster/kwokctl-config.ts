import { join } from 'node:path';
import { stringify } from 'yaml';
import { kwokStages } from './kwok-stages.ts';
import { clusterPorts, type LocalCluster } from './local-cluster.ts';

/** The API server's audit policy (kwokctl copies it into the cluster; the log is <cluster>/logs/audit.log). */
export const auditPolicyFile = join(import.meta.dirname, 'audit-policy.yaml');

/**
 * The longest a ServiceAccount token the API server issues may live (a cluster requirement: docs/cluster-requirements.md):
 * the portal's kubeconfig lifetime (60 minutes by default), and the least the API server accepts. A longer
 * TokenRequest (`kubectl create token --duration 8760h`) gets a token of this lifetime.
 */
export const serviceAccountTokenMaxExpiration = '1h';

/** Paths of the binaries kwokctl links instead of downloading. */
export interface ClusterBinaries {
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kubectl: string;
  kwok: string;
}

/** A node with this annotation set to "true" gets no status from KWOK: as if its kubelet had stopped. */
export const kwokStoppedAnnotation = 'landlord.dev/kubelet-stopped';

/**
 * kwokctl's configuration for a binary-runtime cluster: every component on loopback only (kwokctl's default is
 * 0.0.0.0), admission and authorization on as in a real cluster, our own binaries, and no ~/.kube/config edits.
 * Each controller acts as its own ServiceAccount (as kubeadm sets it up), so admission policies can tell the
 * garbage collector from an administrator; writes are audited, so break-glass use can be seen. Our own KWOK
 * stages follow as further YAML documents (pods report their containers' resources, as a kubelet does).
 */
export function renderKwokctlConfig(cluster: LocalCluster, binaries: ClusterBinaries): string {
  return [kwokctlConfiguration(cluster, binaries), ...kwokStages()]
    .map((document) => stringify(document, { blockQuote: 'literal', lineWidth: 0 }))
    .join('---\n');
}

function kwokctlConfiguration(cluster: LocalCluster, binaries: ClusterBinaries): object {
  const ports = clusterPorts(cluster);
  return {
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
      kubeAuditPolicy: auditPolicyFile,
    },
    componentsPatches: [
      {
        name: 'kube-apiserver',
        // A long test run or a week of `npm start` stays within 3 x 50 MB.
        extraArgs: [
          { key: 'audit-log-maxsize', value: '50' },
          { key: 'audit-log-maxbackup', value: '2' },
          // No ServiceAccount token outlives the cap, and none is extended past it (pods' tokens included).
          { key: 'service-account-max-token-expiration', value: serviceAccountTokenMaxExpiration },
          { key: 'service-account-extend-token-expiration', value: 'false' },
        ],
      },
      {
        name: 'kube-controller-manager',
        extraArgs: [{ key: 'use-service-account-credentials', value: 'true' }],
      },
      {
        name: 'kwok-controller',
        // A node annotated so is left alone by KWOK (its kubelet "stopped"): how tests make a node NotReady.
        extraArgs: [{ key: 'disregard-status-with-annotation-selector', value: `${kwokStoppedAnnotation}=true` }],
      },
    ],
  };
}
