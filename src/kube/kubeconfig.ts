import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { type ExecClusterInfo, type ExecCredential, execCredentialSource } from './exec-credential.ts';
import { type Fields, type MergedKubeconfig, kubeconfigFiles, readMergedKubeconfig } from './kubeconfig-merge.ts';
import type { ClientCertificate } from './client-certificate.ts';

export type { ClientCertificate };

/** Where the kubelet mounts a pod's ServiceAccount token, CA and namespace. */
export const serviceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

/** What tells a process it runs in a pod: its ServiceAccount's files and the variables of the API service. */
export interface PodEnvironment {
  serviceAccountDir: string;
  env: Record<string, string | undefined>;
}

/** How to reach and authenticate to one API server, resolved from a kubeconfig or the pod's service account. */
export interface Connection {
  server: string;
  ca?: Buffer;
  insecureSkipTLSVerify: boolean;
  tlsServerName?: string;
  /** Headers with the current credentials (a token read or refreshed as needed). */
  authHeaders: () => Promise<Record<string, string>>;
  /** The current client certificate: the kubeconfig's, or the latest an exec plugin handed out (it may change). */
  clientCertificate?: () => Promise<ClientCertificate | undefined>;
}

/**
 * Reads a kubeconfig the way kubectl does, for what an operator needs: every path of KUBECONFIG merged, the
 * current (or a named) context, CA and client certificates inline or from files, bearer tokens and token files,
 * exec credential plugins (OIDC helpers, cloud CLIs) handing out tokens or client certificates. Landlord has its
 * own loader because a general Kubernetes client library costs the operator about 80 MB of memory for it.
 * With `path` (a --kubeconfig flag), only that file is read; without, KUBECONFIG's files or ~/.kube/config.
 * Whether to use a kubeconfig or the pod's ServiceAccount at all is the caller's choice (the CLI's
 * cluster-connection.ts): see runsInPod and inClusterConnection.
 */
export function loadConnection(path?: string, contextName?: string): Connection {
  if (path && !existsSync(path)) throw new Error(`kubeconfig ${path} does not exist`);
  return connectionFromFiles(path ? [path] : kubeconfigFiles(), contextName);
}

/** The connection of the merged kubeconfig files (the first of each name wins, as for kubectl). */
export function connectionFromFiles(files: string[], contextName?: string): Connection {
  return connectionOf(readMergedKubeconfig(files), contextName);
}

/** The connection of a context (the current one unless named) of a merged kubeconfig. */
function connectionOf(config: MergedKubeconfig, contextName: string | undefined): Connection {
  const where = config.files.join(delimiter);
  const context = pick(config, 'contexts', contextName ?? config.currentContext, where);
  const cluster = pick(config, 'clusters', context.cluster, where);
  const user = context.user ? pick(config, 'users', context.user, where) : {};
  const server = cluster.server;
  if (typeof server !== 'string' || !server) throw new Error(`${where}: cluster ${context.cluster} has no server`);
  const ca = material(cluster, 'certificate-authority');
  const about = `${where}: user ${String(context.user)}`;
  const exec = user.exec
    ? explained(about, () => execCredentialSource(user.exec as Fields, execClusterInfo(cluster, server, ca)))
    : undefined;
  return {
    server,
    ca,
    insecureSkipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
    tlsServerName: cluster['tls-server-name'] as string | undefined,
    authHeaders: credentialSource(user, exec),
    clientCertificate: explained(about, () => clientCertificateSource(user, exec)),
  };
}

/** Runs a step of reading the kubeconfig, naming where it failed. */
function explained<T>(where: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
  }
}

function pick(config: MergedKubeconfig, kind: 'contexts' | 'clusters' | 'users', name: unknown, where: string): Fields {
  const found = typeof name === 'string' ? config[kind].get(name) : undefined;
  if (!found) throw new Error(`${where}: no ${kind.slice(0, -1)} named "${String(name ?? '')}"`);
  return found;
}

/** A certificate or key given inline (base64, `-data`) or as a file path (made absolute by the merge). */
function material(fields: Fields, name: string): Buffer | undefined {
  const inline = fields[`${name}-data`];
  if (typeof inline === 'string') return Buffer.from(inline, 'base64');
  const file = fields[name];
  if (typeof file === 'string') return readFileSync(file);
  return undefined;
}

/** The cluster as client-go describes it to a plugin that sets provideClusterInfo. */
function execClusterInfo(cluster: Fields, server: string, ca: Buffer | undefined): ExecClusterInfo {
  const extensions = (cluster.extensions ?? []) as { name?: string; extension?: unknown }[];
  const config = extensions.find((entry) => entry.name === 'client.authentication.k8s.io/exec')?.extension;
  const optional = {
    'tls-server-name': cluster['tls-server-name'],
    'insecure-skip-tls-verify': cluster['insecure-skip-tls-verify'],
    'certificate-authority-data': ca?.toString('base64'),
    'proxy-url': cluster['proxy-url'],
    'disable-compression': cluster['disable-compression'],
    config,
  };
  return { server, ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)) };
}

function credentialSource(
  user: Fields,
  exec: (() => Promise<ExecCredential>) | undefined,
): () => Promise<Record<string, string>> {
  if (typeof user.token === 'string') return async () => ({ Authorization: `Bearer ${user.token}` });
  const tokenFile = user.tokenFile ?? user['token-file'];
  // Token files are re-read on each use: projected tokens rotate.
  if (typeof tokenFile === 'string') return tokenFromFile(tokenFile);
  if (exec) {
    return async (): Promise<Record<string, string>> => {
      const { token } = await exec();
      return token ? { Authorization: `Bearer ${token}` } : {};
    };
  }
  if (typeof user.username === 'string') {
    const basic = Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64');
    return async () => ({ Authorization: `Basic ${basic}` });
  }
  return async () => ({});
}

/** An exec plugin's certificate when it hands one out (renewed with it), else the kubeconfig's own. */
function clientCertificateSource(
  user: Fields,
  exec: (() => Promise<ExecCredential>) | undefined,
): () => Promise<ClientCertificate | undefined> {
  const cert = material(user, 'client-certificate');
  const key = material(user, 'client-key');
  if (!cert !== !key) throw new Error(`a client ${cert ? 'certificate needs its key' : 'key needs its certificate'}`);
  const configured = cert && key ? { cert, key } : undefined;
  if (!exec) return async () => configured;
  return async () => (await exec()).clientCertificate ?? configured;
}

function tokenFromFile(file: string): () => Promise<Record<string, string>> {
  return async () => ({ Authorization: `Bearer ${readFileSync(file, 'utf8').trim()}` });
}

const thisPod: PodEnvironment = { serviceAccountDir, env: process.env };

/**
 * Whether this process runs in a pod, as client-go's InClusterConfig decides: the API service's host and port
 * variables are set and the ServiceAccount token is mounted.
 */
export function runsInPod(pod: PodEnvironment = thisPod): boolean {
  return (
    !!pod.env.KUBERNETES_SERVICE_HOST &&
    !!pod.env.KUBERNETES_SERVICE_PORT &&
    existsSync(join(pod.serviceAccountDir, 'token'))
  );
}

/** Inside a pod: the API server from the environment, the ServiceAccount's CA and rotating token. */
export function inClusterConnection(pod: PodEnvironment = thisPod): Connection {
  const host = pod.env.KUBERNETES_SERVICE_HOST;
  const port = pod.env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) throw new Error('not running in a pod: KUBERNETES_SERVICE_HOST or _PORT is unset');
  const caFile = join(pod.serviceAccountDir, 'ca.crt');
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    ca: existsSync(caFile) ? readFileSync(caFile) : undefined,
    insecureSkipTLSVerify: false,
    authHeaders: tokenFromFile(join(pod.serviceAccountDir, 'token')),
  };
}

/** The namespace the pod runs in, from its ServiceAccount's files (undefined outside a pod). */
export function podNamespace(pod: PodEnvironment = thisPod): string | undefined {
  const file = join(pod.serviceAccountDir, 'namespace');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}
