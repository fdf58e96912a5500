import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CoreV1Api, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { tenantCrd } from '../../api/crd.ts';
import { isApiServerReady, loadKubeConfig, rawGet } from '../../kube/client.ts';
import { installCrds } from '../../kube/crds.ts';
import { ensureTools } from '../tools/build.ts';
import { binaryPath } from '../tools/cache.ts';
import { type ClusterBinaries, renderKwokctlConfig } from './kwokctl-config.ts';
import { kwokctl, listClusters } from './kwokctl.ts';
import { kubeconfigPath, type LocalCluster } from './local-cluster.ts';
import { isPortFree } from './ports.ts';
import { buildSimulatedNodes, type NodeLayout } from './simulated-nodes.ts';

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

/**
 * Brings the local cluster up: builds missing tools, creates the cluster (or restarts its stopped processes),
 * adds missing simulated nodes and applies the CRDs. On a healthy cluster it writes nothing.
 */
export async function clusterUp(cluster: LocalCluster, log: Log, layout?: NodeLayout): Promise<UpReport> {
  const started = Date.now();
  await ensureTools(log);
  const exists = (await listClusters(cluster)).includes(cluster.name) && existsSync(kubeconfigPath(cluster));
  let created = false;
  let restarted = false;
  if (!exists) {
    await createCluster(cluster, log);
    created = true;
  } else if (!(await isApiServerReady(loadKubeConfig(kubeconfigPath(cluster))))) {
    log(`[cluster] ${cluster.name} exists but is not running: starting it`);
    await kwokctl(cluster, ['start', 'cluster', '--name', cluster.name, '--wait', '3m']);
    restarted = true;
  }
  const kubeConfig = loadKubeConfig(kubeconfigPath(cluster));
  await waitForApiServer(kubeConfig, 120_000);
  const nodesCreated = await createMissingNodes(kubeConfig, layout);
  await installCrds(kubeConfig, landlordCrds);
  return { kubeconfig: kubeconfigPath(cluster), created, restarted, nodesCreated, seconds: (Date.now() - started) / 1000 };
}

async function createCluster(cluster: LocalCluster, log: Log): Promise<void> {
  if (!(await isPortFree(cluster.apiserverPort))) {
    throw new Error(
      `port ${cluster.apiserverPort} on 127.0.0.1 is already in use: stop what listens there or choose another port with LANDLORD_DEV_PORT`,
    );
  }
  const configFile = join(cluster.workdir, `${cluster.name}.kwokctl.yaml`);
  mkdirSync(dirname(configFile), { recursive: true });
  writeFileSync(configFile, renderKwokctlConfig(cluster, builtBinaries()));
  log(`[cluster] creating ${cluster.name} on 127.0.0.1:${cluster.apiserverPort}`);
  await kwokctl(cluster, [
    'create', 'cluster', '--name', cluster.name, '--config', configFile, '--kubeconfig', '', '--wait', '3m',
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

async function waitForApiServer(kubeConfig: KubeConfig, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await isApiServerReady(kubeConfig))) {
    if (Date.now() > deadline) throw new Error(`the API server was not ready within ${timeoutMs / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Creates only the nodes that are missing: existing nodes are left alone, so a second run writes nothing. */
async function createMissingNodes(kubeConfig: KubeConfig, layout?: NodeLayout): Promise<number> {
  const api = kubeConfig.makeApiClient(CoreV1Api);
  const existing = new Set((await api.listNode()).items.map((node) => node.metadata?.name));
  const missing = buildSimulatedNodes(layout).filter((node) => !existing.has(node.metadata?.name));
  for (const node of missing) await api.createNode({ body: node });
  return missing.length;
}

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
  const kubeconfig = kubeconfigPath(cluster);
  const exists = existsSync(kubeconfig) && (await listClusters(cluster)).includes(cluster.name);
  if (!exists) return { name: cluster.name, exists: false, running: false };
  const kubeConfig = loadKubeConfig(kubeconfig);
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!(await isApiServerReady(kubeConfig))) return { name: cluster.name, exists, running: false, kubeconfig, server };
  const version = JSON.parse((await rawGet(kubeConfig, '/version')).body).gitVersion as string;
  const nodes = (await kubeConfig.makeApiClient(CoreV1Api).listNode()).items;
  const ready = nodes.filter((node) => node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  const crd = await rawGet(kubeConfig, `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${tenantCrd.metadata.name}`);
  return {
    name: cluster.name,
    exists,
    running: true,
    kubeconfig,
    server,
    version,
    nodes: { total: nodes.length, ready: ready.length },
    tenantCrdInstalled: crd.status === 200,
  };
}

/** Deletes the local cluster and its data; a cluster that does not exist is not an error. */
export async function clusterDown(cluster: LocalCluster, log: Log): Promise<boolean> {
  if (!(await listClusters(cluster)).includes(cluster.name)) return false;
  log(`[cluster] deleting ${cluster.name}`);
  await kwokctl(cluster, ['delete', 'cluster', '--name', cluster.name]);
  return true;
}
