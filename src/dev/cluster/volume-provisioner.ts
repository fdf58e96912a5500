import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import { apiPath } from '../../kube/api-path.ts';
import { KubeApiError, type KubeHttp } from '../../kube/http.ts';
import { resources } from '../../kube/resources.ts';
import type { LocalCluster } from './local-cluster.ts';
import { buildLocalVolume, isReleasedLocalVolume, needsVolume, volumesDir } from './local-volumes.ts';

type Log = (line: string) => void;

/** What one round did, for the log and the tests. */
export interface ProvisionRound {
  created: string[];
  deleted: string[];
}

const list = async <T>(http: KubeHttp, path: string) =>
  (await http.request<{ items: T[] }>({ method: 'GET', path })).items;

/**
 * One round of the local volume provisioner, as an external provisioner does it: a folder and a volume bound by
 * claimRef for each pending claim of the local class; the folder and the volume removed once its claim is gone;
 * folders no volume names any more (a volume deleted by hand, a crash between two steps) removed too.
 */
export async function provisionRound(http: KubeHttp, cluster: LocalCluster, log: Log): Promise<ProvisionRound> {
  mkdirSync(volumesDir(cluster), { recursive: true, mode: 0o700 });
  const claims = await list<PersistentVolumeClaim>(http, apiPath(resources.persistentVolumeClaim));
  const volumes = await list<PersistentVolume>(http, apiPath(resources.persistentVolume));
  const round: ProvisionRound = { created: [], deleted: [] };
  for (const claim of claims.filter((candidate) => needsVolume(candidate, volumes)))
    round.created.push(await createVolume(http, cluster, claim, log));
  for (const volume of volumes.filter(isReleasedLocalVolume))
    round.deleted.push(await removeVolume(http, cluster, volume, log));
  sweepFolders(cluster, new Set([...volumes.map((volume) => volume.metadata?.name ?? ''), ...round.created]), log);
  return round;
}

/** The folder first, then the volume: a volume never names a folder that is not there. */
async function createVolume(http: KubeHttp, cluster: LocalCluster, claim: PersistentVolumeClaim, log: Log) {
  const volume = buildLocalVolume(claim, cluster);
  const name = volume.metadata?.name ?? '';
  mkdirSync(join(volumesDir(cluster), name), { recursive: true, mode: 0o700 });
  try {
    await http.request({ method: 'POST', path: apiPath(resources.persistentVolume), body: volume });
  } catch (error) {
    if (!(error instanceof KubeApiError && error.status === 409)) throw error;
  }
  log(`created ${name} for ${claim.metadata?.namespace}/${claim.metadata?.name}`);
  return name;
}

/** The folder first, then the volume: a crash between leaves a volume the next round removes again. */
async function removeVolume(http: KubeHttp, cluster: LocalCluster, volume: PersistentVolume, log: Log) {
  const name = volume.metadata?.name ?? '';
  rmSync(join(volumesDir(cluster), name), { recursive: true, force: true });
  await deleteVolume(http, name);
  log(`deleted ${name}: its claim ${volume.spec?.claimRef?.namespace}/${volume.spec?.claimRef?.name} is gone`);
  return name;
}

function sweepFolders(cluster: LocalCluster, named: Set<string>, log: Log): void {
  const root = volumesDir(cluster);
  for (const folder of existsSync(root) ? readdirSync(root) : []) {
    if (named.has(folder)) continue;
    rmSync(join(root, folder), { recursive: true, force: true });
    log(`removed ${folder}: no volume names it`);
  }
}

async function deleteVolume(http: KubeHttp, name: string): Promise<void> {
  try {
    await http.request({ method: 'DELETE', path: apiPath(resources.persistentVolume, { name }) });
  } catch (error) {
    if (!(error instanceof KubeApiError && error.status === 404)) throw error;
  }
}
