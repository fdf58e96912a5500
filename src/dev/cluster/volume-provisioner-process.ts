import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Discovery } from '../../kube/discovery.ts';
import type { KubeHttp } from '../../kube/http.ts';
import { applyObject } from '../../kube/apply.ts';
import { runningPid, startBackground, stopBackground, type ProcessSpec } from '../processes/background-process.ts';
import { environmentDir, kubeconfigPath, type LocalCluster } from './local-cluster.ts';
import { buildLocalStorageClass } from './local-volumes.ts';
import { type ServiceAccountRef, writeServiceAccountKubeconfig } from './service-account-kubeconfig.ts';
import { volumeProvisionerRbac } from './volume-provisioner-rbac.ts';

/** What the provisioner reads at every round. */
export interface VolumeProvisionerConfig {
  cluster: LocalCluster;
  /** Its ServiceAccount's kubeconfig (the token renewer keeps the token fresh). */
  kubeconfig: string;
  everyMs: number;
}

/** The provisioner's identity: its own ServiceAccount, with only the rights over volumes and claims it needs. */
export const volumeProvisionerAccount: ServiceAccountRef = {
  namespace: 'kube-system',
  name: 'landlord-volume-provisioner',
};

const provisionerDir = (cluster: LocalCluster) => join(environmentDir(cluster), 'volume-provisioner');
/** The kubeconfig the provisioner acts through. */
export const volumeProvisionerKubeconfig = (cluster: LocalCluster) => join(provisionerDir(cluster), 'kubeconfig');
const configPath = (cluster: LocalCluster) => join(provisionerDir(cluster), 'config.json');

const provisionerSpec = (cluster: LocalCluster): ProcessSpec => ({
  name: 'volume-provisioner',
  command: process.execPath,
  args: [join(import.meta.dirname, 'volume-provisioner-main.ts'), configPath(cluster)],
});

/**
 * Gives the local cluster persistent volumes: the default StorageClass, the provisioner's ServiceAccount and
 * rights, its kubeconfig, and the provisioner itself as a background process (started unless it runs).
 */
export async function ensureVolumeProvisioner(cluster: LocalCluster, http: KubeHttp, discovery: Discovery) {
  for (const object of [buildLocalStorageClass(), ...volumeProvisionerRbac(volumeProvisionerAccount)])
    await applyObject(http, discovery, object);
  const kubeconfig = volumeProvisionerKubeconfig(cluster);
  await writeServiceAccountKubeconfig(http, kubeconfigPath(cluster), volumeProvisionerAccount, kubeconfig);
  mkdirSync(provisionerDir(cluster), { recursive: true });
  const config: VolumeProvisionerConfig = { cluster, kubeconfig, everyMs: 1000 };
  writeFileSync(configPath(cluster), JSON.stringify(config, null, 2), { mode: 0o600 });
  const spec = provisionerSpec(cluster);
  if (!runningPid(provisionerDir(cluster), spec)) startBackground(provisionerDir(cluster), spec);
}

/** Stops the provisioner, if it runs. */
export async function stopVolumeProvisioner(cluster: LocalCluster): Promise<void> {
  if (existsSync(provisionerDir(cluster))) await stopBackground(provisionerDir(cluster), provisionerSpec(cluster));
}
