import type { NodeList as V1NodeList } from 'kubernetes-types/core/v1.js';
import { tenantCrd } from '../../api/crd.ts';
import { isApiServerReady } from '../../kube/http.ts';
import { connect } from './connect.ts';
import { clusterExists } from './lifecycle.ts';
import { kubeconfigPath, type LocalCluster } from './local-cluster.ts';
import { apiPath } from '../../kube/api-path.ts';
import { resources } from '../../kube/resources.ts';

/** What `status` reports about the local cluster. */
export interface ClusterStatus {
  name: string;
  exists: boolean;
  running: boolean;
  kubeconfig?: string;
  server?: string;
  version?: string;
  nodes?: { total: number; ready: number };
  tenantCrdInstalled?: boolean;
}

/** Reads the local cluster's state without changing anything. */
export async function clusterStatus(cluster: LocalCluster): Promise<ClusterStatus> {
  if (!(await clusterExists(cluster))) return { name: cluster.name, exists: false, running: false };
  const kubeconfig = kubeconfigPath(cluster);
  const { http } = connect(cluster);
  try {
    const server = http.server.origin;
    if (!(await isApiServerReady(http)))
      return { name: cluster.name, exists: true, running: false, kubeconfig, server };
    const version = (await http.request<{ gitVersion: string }>({ method: 'GET', path: '/version' })).gitVersion;
    const nodes = (await http.request<V1NodeList>({ method: 'GET', path: apiPath(resources.node) })).items;
    const ready = nodes.filter((node) =>
      node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
    const crdPath = apiPath(resources.customResourceDefinition, { name: tenantCrd.metadata.name });
    const crd = await http.send({ method: 'GET', path: crdPath });
    const nodeCounts = { total: nodes.length, ready: ready.length };
    return {
      name: cluster.name,
      exists: true,
      running: true,
      kubeconfig,
      server,
      version,
      nodes: nodeCounts,
      tenantCrdInstalled: crd.status === 200,
    };
  } finally {
    http.close();
  }
}
