import { existsSync } from 'node:fs';
import type { KubernetesObject } from '../../kube/object.ts';
import type { NodeList as V1NodeList } from 'kubernetes-types/core/v1.js';
import { tenantCrd } from '../../api/crd.ts';
import { defaultPlatformConfig } from '../../api/platform-config.ts';
import { argoCdCrds } from '../argocd/crds.ts';
import { installCrds } from '../../kube/crds.ts';
import { isApiServerReady, type KubeHttp } from '../../kube/http.ts';
import { ensureTools } from '../tools/build.ts';
import { binaryPath } from '../tools/cache.ts';
import { connect } from './connect.ts';
import { kwokctl, listClusters } from './kwokctl.ts';
import { type ClusterBinaries, renderKwokctlConfig } from './kwokctl-config.ts';
import { assertClusterConfigCurrent, writeKwokctlConfigFile } from './kwokctl-config-file.ts';
import { clusterPorts, kubeconfigPath, type LocalCluster } from './local-cluster.ts';
import { isPortFree } from './ports.ts';
import { buildSimulatedNodes, type NodeLayout } from './simulated-nodes.ts';
import { apiPath } from '../../kube/api-path.ts';
import { resources } from '../../kube/resources.ts';

type Log = (line: string) => void;

/** What `up` did: nothing at all on a healthy cluster. */
export interface UpReport {
  kubeconfig: string;
  created: boolean;
  restarted: boolean;
  nodesCreated: number;
  seconds: number;
}

/** The CRDs Landlord installs in every cluster it runs on. */
export const landlordCrds: KubernetesObject[] = [tenantCrd as unknown as KubernetesObject];

/** Whether kwokctl knows the cluster and its kubeconfig is there. */
export async function clusterExists(cluster: LocalCluster): Promise<boolean> {
  return existsSync(kubeconfigPath(cluster)) && (await listClusters(cluster)).includes(cluster.name);
}

/**
 * Brings the local cluster up: builds missing tools, creates the cluster (or restarts its stopped processes),
 * adds missing simulated nodes and applies the CRDs. On a healthy cluster it writes nothing.
 */
export async function clusterUp(cluster: LocalCluster, log: Log, layout?: NodeLayout): Promise<UpReport> {
  const started = Date.now();
  await ensureTools(log);
  let created = false;
  let restarted = false;
  if (!(await clusterExists(cluster))) {
    await createCluster(cluster, log);
    created = true;
  } else {
    // kwokctl reads its configuration only at creation: a cluster made from an older one would run stale stages.
    assertClusterConfigCurrent(cluster, renderKwokctlConfig(cluster, builtBinaries()));
    if (!(await isApiServerReady(connect(cluster).http))) {
      log(`[cluster] ${cluster.name} exists but is not running: starting it`);
      await kwokctl(cluster, ['start', 'cluster', '--name', cluster.name, '--wait', '3m']);
      restarted = true;
    }
  }
  const { http, discovery } = connect(cluster);
  try {
    await waitForApiServer(http, 120_000);
    const nodesCreated = await createMissingNodes(http, layout);
    await createMissingNamespaces(http, platformNamespaces);
    await installCrds(http, discovery, [...landlordCrds, ...argoCdCrds()]);
    const seconds = (Date.now() - started) / 1000;
    return { kubeconfig: kubeconfigPath(cluster), created, restarted, nodesCreated, seconds };
  } finally {
    http.close();
  }
}

async function createCluster(cluster: LocalCluster, log: Log): Promise<void> {
  const ports = Object.values(clusterPorts(cluster));
  const busy: number[] = [];
  for (const port of ports) if (!(await isPortFree(port))) busy.push(port);
  if (busy.length > 0) {
    throw new Error(
      `port(s) ${busy.join(', ')} on 127.0.0.1 already in use (the cluster needs ${ports[0]}-${ports.at(-1)}): stop what listens there or choose another first port with LANDLORD_DEV_PORT`,
    );
  }
  const configFile = writeKwokctlConfigFile(cluster, renderKwokctlConfig(cluster, builtBinaries()));
  log(`[cluster] creating ${cluster.name} with its API server on 127.0.0.1:${cluster.basePort}`);
  await kwokctl(cluster, [
    ...['create', 'cluster', '--name', cluster.name, '--config', configFile],
    ...['--kubeconfig', '', '--wait', '3m'],
  ]);
}

function builtBinaries(): ClusterBinaries {
  return {
    etcd: binaryPath('etcd'),
    kubeApiserver: binaryPath('kube-apiserver'),
    kubeControllerManager: binaryPath('kube-controller-manager'),
    kubeScheduler: binaryPath('kube-scheduler'),
    kubectl: binaryPath('kubectl'),
    kwok: binaryPath('kwok'),
  };
}

async function waitForApiServer(http: KubeHttp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await isApiServerReady(http))) {
    if (Date.now() > deadline) throw new Error(`the API server was not ready within ${timeoutMs / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Creates only the nodes that are missing: existing nodes are left alone, so a second run writes nothing. */
async function createMissingNodes(http: KubeHttp, layout?: NodeLayout): Promise<number> {
  const nodes = await http.request<V1NodeList>({ method: 'GET', path: apiPath(resources.node) });
  const existing = new Set(nodes.items.map((node) => node.metadata?.name));
  const missing = buildSimulatedNodes(layout).filter((node) => !existing.has(node.metadata?.name));
  for (const node of missing) await http.request({ method: 'POST', path: apiPath(resources.node), body: node });
  return missing.length;
}

/** Namespaces the platform's own services live in locally (Argo CD, the ingress controller). */
const platformNamespaces = [defaultPlatformConfig.argocd.namespace, defaultPlatformConfig.ingressNamespace];

async function createMissingNamespaces(http: KubeHttp, names: string[]): Promise<void> {
  for (const name of names) {
    const { status } = await http.send({ method: 'GET', path: apiPath(resources.namespace, { name }) });
    if (status === 404)
      await http.request({ method: 'POST', path: apiPath(resources.namespace), body: { metadata: { name } } });
  }
}

/** Deletes the local cluster and its data; a cluster that does not exist is not an error. */
export async function clusterDown(cluster: LocalCluster, log: Log): Promise<boolean> {
  if (!(await listClusters(cluster)).includes(cluster.name)) return false;
  log(`[cluster] deleting ${cluster.name}`);
  await kwokctl(cluster, ['delete', 'cluster', '--name', cluster.name]);
  return true;
}
