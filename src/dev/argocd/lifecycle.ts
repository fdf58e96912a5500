import { ensureWebhookSecret, webhookSecretFile } from './webhook-secret.ts';
import { askPassSocket } from './askpass-socket.ts';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { applyObject } from '../../kube/apply.ts';
import type { Discovery } from '../../kube/discovery.ts';
import type { KubeHttp } from '../../kube/http.ts';
import { isPortFree } from '../cluster/ports.ts';
import { environmentDir, environmentPorts, kubeconfigPath, type LocalCluster } from '../cluster/local-cluster.ts';
import { runningPid, startBackground, stopBackground, tailOfLog } from '../processes/background-process.ts';
import { waitForPort } from '../processes/wait-for-port.ts';
import { binaryPath } from '../tools/cache.ts';
import { ensureSystemPrograms, whichProgram } from '../tools/system-packages.ts';
import { argoCdModuleDir } from './crds.ts';
import { argoCdComponents, type ArgoCdLayout, redisConfig } from './components.ts';
import { argoCdKubeconfig, ensureArgoCdIdentities } from './identity.ts';
import {
  buildArgoCdConfigMap,
  buildArgoCdRbacConfigMap,
  buildArgoCdSecret,
  buildRedisSecret,
  type LocalUser,
} from './settings.ts';

type Log = (line: string) => void;

/** The local Argo CD as people and tests reach it. */
export interface LocalArgoCd {
  url: string;
  namespace: string;
  /** How many of its processes this call started (0 when all were running). */
  started: number;
  /** The file of the secret the forge signs pushes to `<url>/api/webhook` with (0600). */
  webhookSecretFile: string;
}

/** The folder of the local Argo CD's files and logs. */
export const argoCdDir = (cluster: LocalCluster) => join(environmentDir(cluster), 'argocd');

/** The local Argo CD's address. */
export const argoCdUrl = (cluster: LocalCluster) => `http://127.0.0.1:${environmentPorts(cluster).argocdServer}`;

const redisPasswordFile = (dir: string) => join(dir, 'redis-password');

/** Creates the folders an Argo CD's processes write in (its layout's `dir`) and the repo-server's helper scripts. */
export function prepareArgoCdFolders(dir: string): void {
  for (const sub of ['tls', 'ssh', 'plugins', 'tmp', 'redis']) mkdirSync(join(dir, sub), { recursive: true });
  mkdirSync(join(dir, 'gpg'), { recursive: true, mode: 0o700 });
  installRepoServerHelpers(join(dir, 'bin'));
}

/**
 * Creates the local Argo CD's folders, helper scripts and the cache's password (kept across restarts).
 * Only `argoCdUp` calls it: reading the layout (status, down) writes nothing.
 */
function prepareArgoCdDir(dir: string): void {
  prepareArgoCdFolders(dir);
  const passwordFile = redisPasswordFile(dir);
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
}

/** The programs every local Argo CD runs (the host's and each house's): those `landlord dev tools` built. */
export function argoCdBinaries(): Pick<ArgoCdLayout, 'argocd' | 'redisServer' | 'helm' | 'kustomize'> {
  return {
    argocd: binaryPath('argocd'),
    redisServer: whichProgram('redis-server') ?? 'redis-server',
    helm: binaryPath('helm'),
    kustomize: binaryPath('kustomize'),
  };
}

/** Lays out the local Argo CD: binaries, ports, folders, and the cache's password (empty until prepared). */
export function argoCdLayout(cluster: LocalCluster, namespace: string): ArgoCdLayout {
  const dir = argoCdDir(cluster);
  const passwordFile = redisPasswordFile(dir);
  return {
    ...argoCdBinaries(),
    kubeconfigs: {
      'argocd-repo-server': argoCdKubeconfig(dir, 'argocd-repo-server'),
      'argocd-application-controller': argoCdKubeconfig(dir, 'argocd-application-controller'),
      'argocd-server': argoCdKubeconfig(dir, 'argocd-server'),
    },
    namespace,
    address: '127.0.0.1',
    // Applications may live in any namespace; each AppProject's sourceNamespaces says which it accepts.
    commandLine: { insecure: true, applicationNamespaces: '*', quickResync: true },
    dir,
    askPassSocket: askPassSocket(dir),
    redisConfigFile: join(dir, 'redis.conf'),
    redisPassword: existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8').trim() : '',
    ports: environmentPorts(cluster),
  };
}

/**
 * The scripts Argo CD's image puts beside the repo-server (it runs git-verify-wrapper.sh on every checkout, and git
 * runs `argocd` as its askpass helper), copied or linked into the environment, never into the repository.
 */
function installRepoServerHelpers(binDir: string): void {
  mkdirSync(binDir, { recursive: true });
  const script = join(binDir, 'git-verify-wrapper.sh');
  if (!existsSync(script)) copyFileSync(join(argoCdModuleDir(), 'hack', 'git-verify-wrapper.sh'), script);
  chmodSync(script, 0o755);
  // git asks `argocd` (GIT_ASKPASS) for a repository's credentials, as the image's argocd-git-ask-pass link does.
  const askPass = join(binDir, 'argocd');
  rmSync(askPass, { force: true });
  symlinkSync(binaryPath('argocd'), askPass);
}

/**
 * Starts whatever part of the local Argo CD is not running (redis, repo-server, application controller, API
 * server), after applying its settings. Running parts are left alone, so a second call changes nothing.
 */
export async function argoCdUp(
  cluster: LocalCluster,
  http: KubeHttp,
  discovery: Discovery,
  options: {
    namespace: string;
    users: LocalUser[];
    sso?: { issuer: string; clientID: string; clientSecret: string; sessionMinutes: number };
  },
  log: Log,
): Promise<LocalArgoCd> {
  ensureSystemPrograms(log);
  prepareArgoCdDir(argoCdDir(cluster));
  const layout = argoCdLayout(cluster, options.namespace);
  writeFileSync(layout.redisConfigFile, redisConfig(layout), { mode: 0o600 });
  const url = argoCdUrl(cluster);
  const sso = options.sso
    ? { issuer: options.sso.issuer, clientID: options.sso.clientID, sessionMinutes: options.sso.sessionMinutes }
    : undefined;
  const settings = { namespace: options.namespace, url, users: options.users, ...(sso ? { sso } : {}) };
  for (const object of [
    buildArgoCdConfigMap(settings),
    buildArgoCdRbacConfigMap(settings),
    buildRedisSecret(options.namespace, layout.redisPassword),
    buildArgoCdSecret(options.namespace, {
      oidcClientSecret: options.sso?.clientSecret,
      webhookSecret: ensureWebhookSecret(cluster),
    }),
  ]) {
    await applyObject(http, discovery, object);
  }
  // A new token on every run; running processes re-read it from its file.
  await ensureArgoCdIdentities(http, discovery, {
    namespace: options.namespace,
    adminKubeconfig: kubeconfigPath(cluster),
    dir: layout.dir,
  });
  let started = 0;
  const ports = [
    layout.ports.redis,
    layout.ports.argocdRepoServer,
    layout.ports.argocdControllerMetrics,
    layout.ports.argocdServer,
  ];
  for (const [index, component] of argoCdComponents(layout).entries()) {
    if (runningPid(layout.dir, component)) continue;
    const port = ports[index] as number;
    // Something else on the port would answer our readiness probe and hide that ours failed to start.
    if (!(await isPortFree(port))) {
      throw new Error(
        `cannot start ${component.name}: 127.0.0.1:${port} is taken by another program (stop it, or choose other ports with LANDLORD_DEV_PORT)`,
      );
    }
    log(`[argocd] starting ${component.name}`);
    startBackground(layout.dir, component);
    started++;
    if (!(await waitForPort(port, 60_000, () => !runningPid(layout.dir, component)))) {
      throw new Error(
        `${component.name} did not listen on 127.0.0.1:${port} within 60s; its last output:\n${tailOfLog(layout.dir, component.name)}`,
      );
    }
  }
  return { url, namespace: options.namespace, started, webhookSecretFile: webhookSecretFile(cluster) };
}

/** Which of the local Argo CD's processes run, by name (read-only). */
export function argoCdProcesses(cluster: LocalCluster, namespace: string): Record<string, boolean> {
  const dir = argoCdDir(cluster);
  if (!existsSync(dir)) return {};
  const components = argoCdComponents(argoCdLayout(cluster, namespace));
  return Object.fromEntries(components.map((component) => [component.name, runningPid(dir, component) !== undefined]));
}

/** Stops the local Argo CD, the API server first and the cache last. */
export async function argoCdDown(cluster: LocalCluster, namespace: string): Promise<void> {
  const dir = argoCdDir(cluster);
  if (!existsSync(dir)) return;
  const layout = argoCdLayout(cluster, namespace);
  for (const component of argoCdComponents(layout).reverse()) {
    await stopBackground(dir, component);
  }
  // Outside the folder when that path was too long: removed with the Argo CD that made it.
  if (layout.askPassSocket) rmSync(layout.askPassSocket, { force: true });
}
