import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Container, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { KubeApiError } from '../../kube/api-error.ts';
import { apiPath, type ResourceType } from '../../kube/api-path.ts';
import type { KubeHttp } from '../../kube/http.ts';
import type { ArgoCdProcess } from '../argocd/components.ts';
import { containerEnvironment, houseArgoCdWorkloads, type KeyedValues } from './house-argocd-layout.ts';

const configMaps: ResourceType = { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true };
/** Secrets (of the house's Argo CD; of the host, the house's credentials). */
export const secrets: ResourceType = { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true };
/** Deployments inside a house: the runner watches its Argo CD's. */
export const deployments: ResourceType = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  plural: 'deployments',
  namespaced: true,
};
const statefulSets: ResourceType = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  plural: 'statefulsets',
  namespaced: true,
};

/** upstream's Secret of the cache's password, and its key (the redis-secret-init container creates it). */
export const redisSecret = { name: 'argocd-redis', key: 'auth' } as const;

type Workload = { spec?: { template?: PodTemplateSpec } };

/** Everything in the house a start of its Argo CD reads: each process's environment, and what is still missing. */
export interface HouseArgoCdInputs {
  env: Record<ArgoCdProcess, Record<string, string>>;
  url: string | undefined;
  redisPassword: string | undefined;
  missing: string[];
  /** The workloads' pod templates as read: a kubelet's processes are replaced when one changes (a rollout). */
  templates: string;
}

async function keyed(house: KubeHttp, type: ResourceType, namespace: string, decode: boolean): Promise<KeyedValues> {
  const list = await house.request<{ items: { metadata: { name: string }; data?: Record<string, string> }[] }>({
    method: 'GET',
    path: apiPath(type, { namespace }),
  });
  const value = (text: string) => (decode ? Buffer.from(text, 'base64').toString('utf8') : text);
  return new Map(
    list.items.map((item) => [
      item.metadata.name,
      Object.fromEntries(Object.entries(item.data ?? {}).map(([key, text]) => [key, value(text)])),
    ]),
  );
}

async function workload(house: KubeHttp, namespace: string, kind: string, name: string): Promise<Workload | undefined> {
  const type = kind === 'StatefulSet' ? statefulSets : deployments;
  try {
    return await house.request<Workload>({ method: 'GET', path: apiPath(type, { namespace, name }) });
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return undefined;
    throw error;
  }
}

/** The container a workload runs its process in: the one of the process's name, else its first. */
function mainContainer(workload: Workload, name: string): Container | undefined {
  const containers = workload.spec?.template?.spec?.containers ?? [];
  return containers.find((container) => container.name === name) ?? containers[0];
}

/** Reads the house's Argo CD workloads, ConfigMaps and Secrets (with the house's admin client, as a kubelet would). */
export async function readHouseArgoCdInputs(house: KubeHttp, namespace: string): Promise<HouseArgoCdInputs> {
  const [maps, keys] = await Promise.all([
    keyed(house, configMaps, namespace, false),
    keyed(house, secrets, namespace, true),
  ]);
  const env = {} as Record<ArgoCdProcess, Record<string, string>>;
  const missing: string[] = [];
  const found = await workloads(house, namespace);
  for (const [process, { kind, name }] of Object.entries(houseArgoCdWorkloads)) {
    const each = found.get(process);
    const container = each && mainContainer(each, process);
    if (!container) {
      missing.push(`${kind} ${namespace}/${name}`);
      continue;
    }
    const resolved = containerEnvironment(container.env, maps, keys);
    env[process as ArgoCdProcess] = resolved.env;
    missing.push(...resolved.missing);
  }
  return {
    env,
    url: maps.get('argocd-cm')?.url,
    redisPassword: keys.get(redisSecret.name)?.[redisSecret.key],
    missing,
    templates: templatesOf(found),
  };
}

/** Each process's workload in the house, when there. */
async function workloads(house: KubeHttp, namespace: string): Promise<Map<string, Workload>> {
  const found = new Map<string, Workload>();
  for (const [process, { kind, name }] of Object.entries(houseArgoCdWorkloads)) {
    const each = await workload(house, namespace, kind, name);
    if (each) found.set(process, each);
  }
  return found;
}

const templatesOf = (found: Map<string, Workload>) =>
  JSON.stringify(Object.keys(houseArgoCdWorkloads).map((process) => found.get(process)?.spec?.template ?? null));

/** The workloads' pod templates now, as `readHouseArgoCdInputs` records them. */
export const readHouseArgoCdTemplates = async (house: KubeHttp, namespace: string) =>
  templatesOf(await workloads(house, namespace));

/**
 * What upstream's redis-secret-init container does, as its ServiceAccount: `argocd admin redis-initial-password`
 * creates the cache's password Secret unless it is there.
 */
export async function createRedisPassword(argocd: string, kubeconfig: string, namespace: string): Promise<void> {
  await promisify(execFile)(argocd, ['admin', 'redis-initial-password', '--namespace', namespace], {
    env: { ...process.env, ARGOCD_BINARY_NAME: 'argocd', KUBECONFIG: kubeconfig },
    timeout: 60_000,
  });
}
