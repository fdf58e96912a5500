import { join } from 'node:path';
import type { EnvVar } from 'kubernetes-types/core/v1.js';
import type { ArgoCdLayout, ArgoCdProcess } from '../argocd/components.ts';

/** The Argo CD workloads of a house (in its `argocd` namespace) whose containers the runner runs, by process. */
export const houseArgoCdWorkloads = {
  'argocd-server': { kind: 'Deployment', name: 'argocd-server' },
  'argocd-repo-server': { kind: 'Deployment', name: 'argocd-repo-server' },
  'argocd-application-controller': { kind: 'StatefulSet', name: 'argocd-application-controller' },
} as const satisfies Record<ArgoCdProcess, { kind: string; name: string }>;

/**
 * Ports inside the network namespace of the house's Argo CD (upstream's container ports): nothing else listens
 * there. Redis and the repo-server listen on the house's address, the API server on 127.0.0.1 (it dials itself at
 * localhost), the controller's metrics on every address of the namespace (upstream binds 0.0.0.0 whatever it is
 * asked); the runner's gateway on the house's address (argocd-cm's url port) leads to the API server's.
 */
export const houseArgoCdPorts = {
  redis: 6379,
  argocdRepoServer: 8081,
  argocdControllerMetrics: 8082,
  argocdRepoServerMetrics: 8084,
  argocdServer: 8080,
  argocdServerMetrics: 8083,
} as const;

/** The binaries a house's Argo CD runs: the ones the host Argo CD runs. */
export interface ArgoCdBinaries {
  argocd: string;
  redisServer: string;
  helm: string;
  kustomize: string;
}

/** What the runner knows of one house's Argo CD when it starts it. */
export interface HouseArgoCdPlan {
  /** The house's loopback address (its API server's, from exportKubeConfig.server). */
  address: string;
  /** The house's Argo CD folder (inside the pod's folder: removed with the house). */
  dir: string;
  namespace: string;
  redisPassword: string;
  /** argocd-cm's `url`: the API server listens on its port when it names the house's address. */
  url: string | undefined;
  env: Record<ArgoCdProcess, Record<string, string>>;
}

/** The port of argocd-cm's `url` when the URL is the house's own address (the local platform's), else upstream's. */
export function houseArgoCdServerPort(url: string | undefined, address: string): number {
  if (!url) return houseArgoCdPorts.argocdServer;
  try {
    const parsed = new URL(url);
    if (parsed.hostname !== address) return houseArgoCdPorts.argocdServer;
    return Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
  } catch {
    return houseArgoCdPorts.argocdServer;
  }
}

/**
 * The layout `argoCdComponents` runs a house's Argo CD from: its address, its folder, its own accounts' kubeconfigs
 * (the API server on 127.0.0.1, which the runner's gateway on the house's address leads to).
 */
export function houseArgoCdLayout(plan: HouseArgoCdPlan, binaries: ArgoCdBinaries): ArgoCdLayout {
  const kubeconfig = (name: string) => join(plan.dir, 'identity', `${name}.kubeconfig`);
  return {
    ...binaries,
    kubeconfigs: {
      'argocd-repo-server': kubeconfig('argocd-repo-server'),
      'argocd-application-controller': kubeconfig('argocd-application-controller'),
      'argocd-server': kubeconfig('argocd-server'),
    },
    namespace: plan.namespace,
    address: plan.address,
    serverAddress: '127.0.0.1',
    env: {
      ...plan.env,
      // Argo CD runs git with HOME=/dev/null and git drops GIT_CONFIG_* for a local fetch: the global file it is.
      'argocd-repo-server': { ...plan.env['argocd-repo-server'], GIT_CONFIG_GLOBAL: houseGitConfig(plan.dir) },
    },
    dir: plan.dir,
    redisConfigFile: join(plan.dir, 'redis.conf'),
    redisPassword: plan.redisPassword,
    ports: houseArgoCdPorts,
  };
}

/**
 * Whether a house may set this variable of its Argo CD: only Argo CD's own settings (ARGOCD_*), none the runner sets
 * itself, none naming a file of this machine. The processes run as this machine's root: a LD_PRELOAD, a GIT_* or a
 * PATH of the team's choosing would run the team's code here, and ARGOCD_SERVER_STATICASSETS=/ would serve the
 * machine's files.
 */
export function houseMaySet(name: string, value: string): boolean {
  if (!name.startsWith('ARGOCD_') || runnerOwned.has(name)) return false;
  return urlPaths.has(name) || !namesFile.test(value.trim());
}

/** An absolute path, a home folder, or one climbing out of the process's folder. */
const namesFile = /^[/~]|(^|\/)\.\.(\/|$)/;

/** What the runner sets (components.ts): a house's value never replaces it. */
const runnerOwned = new Set([
  'ARGOCD_BINARY_NAME',
  'ARGOCD_FAKE_IN_CLUSTER',
  'ARGOCD_TLS_DATA_PATH',
  'ARGOCD_SSH_DATA_PATH',
  'ARGOCD_GPG_ENABLED',
  'ARGOCD_GNUPGHOME',
  'ARGOCD_PLUGINSOCKFILEPATH',
]);
/** Settings whose value is a path of the URL, not of the filesystem. */
const urlPaths = new Set(['ARGOCD_SERVER_ROOTPATH', 'ARGOCD_SERVER_BASEHREF']);

/**
 * The repo-server's git configuration: `safe.directory = *`, since it runs as the house's user and the local
 * repositories are root's (git refuses to read them otherwise).
 */
export const houseGitConfig = (dir: string) => join(dir, 'gitconfig');

/** The ConfigMaps and Secrets of the workload's namespace, by name, their values decoded. */
export type KeyedValues = Map<string, Record<string, string>>;

/** The ConfigMap or Secret key a variable takes its value from, if any. */
function referenceOf(variable: EnvVar, configMaps: KeyedValues, secrets: KeyedValues) {
  const { configMapKeyRef: fromConfigMap, secretKeyRef: fromSecret } = variable.valueFrom ?? {};
  if (fromConfigMap) return { ...fromConfigMap, source: configMaps, kind: 'ConfigMap' };
  if (fromSecret) return { ...fromSecret, source: secrets, kind: 'Secret' };
  return undefined;
}

/**
 * A container's environment as a kubelet would give it, from its literal values and the ConfigMap and Secret keys
 * it references, with the names of required references not there yet (a kubelet would not start it); only what
 * `houseMaySet` lets through (paths name the image's filesystem, which is not here: the layout has its folders).
 */
export function containerEnvironment(
  env: EnvVar[] | undefined,
  configMaps: KeyedValues,
  secrets: KeyedValues,
): { env: Record<string, string>; missing: string[] } {
  const resolved: Record<string, string> = {};
  const missing: string[] = [];
  for (const variable of env ?? []) {
    const reference = referenceOf(variable, configMaps, secrets);
    const value = reference ? reference.source.get(reference.name ?? '')?.[reference.key] : variable.value;
    if (value !== undefined) {
      if (houseMaySet(variable.name, value)) resolved[variable.name] = value;
    } else if (reference && !reference.optional)
      missing.push(`${reference.kind} ${reference.name} key ${reference.key}`);
  }
  return { env: resolved, missing };
}
