import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { type Fields, type MergedKubeconfig, kubeconfigFiles, readMergedKubeconfig } from './kubeconfig-merge.ts';

const run = promisify(execFile);
const serviceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

/** How to reach and authenticate to one API server, resolved from a kubeconfig or the pod's service account. */
export interface Connection {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  insecureSkipTLSVerify: boolean;
  tlsServerName?: string;
  /** Headers with the current credentials (a token read or refreshed as needed). */
  authHeaders: () => Promise<Record<string, string>>;
}

/**
 * Reads a kubeconfig the way kubectl does, for what an operator needs: every path of KUBECONFIG merged, the
 * current (or a named) context, CA and client certificates inline or from files, bearer tokens and token files,
 * exec credential plugins (OIDC helpers, cloud CLIs). Landlord has its own loader because a general Kubernetes
 * client library costs the operator about 80 MB of memory for it. With `path` (a --kubeconfig flag), only that
 * file is read.
 */
export function loadConnection(path?: string, contextName?: string): Connection {
  const files = path ? [path] : kubeconfigFiles();
  if (!path && !process.env.KUBECONFIG && !files.some(existsSync) && existsSync(join(serviceAccountDir, 'token'))) {
    return inClusterConnection();
  }
  if (path && !existsSync(path)) throw new Error(`kubeconfig ${path} does not exist`);
  const config = readMergedKubeconfig(files);
  const where = config.files.join(delimiter);
  const name = contextName ?? config.currentContext;
  const context = pick(config, 'contexts', name, where);
  const cluster = pick(config, 'clusters', context.cluster, where);
  const user = context.user ? pick(config, 'users', context.user, where) : {};
  const server = cluster.server;
  if (typeof server !== 'string' || !server) throw new Error(`${where}: cluster ${context.cluster} has no server`);
  return {
    server,
    ca: material(cluster, 'certificate-authority'),
    cert: material(user, 'client-certificate'),
    key: material(user, 'client-key'),
    insecureSkipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
    tlsServerName: cluster['tls-server-name'] as string | undefined,
    authHeaders: credentialSource(user),
  };
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

function credentialSource(user: Fields): () => Promise<Record<string, string>> {
  if (typeof user.token === 'string') return async () => ({ Authorization: `Bearer ${user.token}` });
  const tokenFile = user.tokenFile ?? user['token-file'];
  // Token files are re-read on each use: projected tokens rotate.
  if (typeof tokenFile === 'string') return tokenFromFile(tokenFile);
  if (user.exec) return execCredentials(user.exec as Fields);
  if (typeof user.username === 'string') {
    const basic = Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64');
    return async () => ({ Authorization: `Basic ${basic}` });
  }
  return async () => ({});
}

function tokenFromFile(file: string): () => Promise<Record<string, string>> {
  return async () => ({ Authorization: `Bearer ${readFileSync(file, 'utf8').trim()}` });
}

/** Runs a client-go exec plugin and caches its token until shortly before it expires. */
function execCredentials(exec: Fields): () => Promise<Record<string, string>> {
  let cached: { token: string; expires: number } | undefined;
  return async () => {
    if (!cached || Date.now() > cached.expires - 60_000) {
      const env = { ...process.env };
      for (const { name, value } of (exec.env ?? []) as { name: string; value: string }[]) env[name] = value;
      const { stdout } = await run(exec.command as string, (exec.args ?? []) as string[], { env, timeout: 60_000 });
      const status = (JSON.parse(stdout) as { status?: { token?: string; expirationTimestamp?: string } }).status ?? {};
      if (!status.token) throw new Error(`exec credential plugin ${exec.command} returned no token`);
      const expires = status.expirationTimestamp ? Date.parse(status.expirationTimestamp) : Number.POSITIVE_INFINITY;
      cached = { token: status.token, expires };
    }
    return { Authorization: `Bearer ${cached.token}` };
  };
}

/** Inside a pod: the API server from the environment, the service account's CA and rotating token. */
function inClusterConnection(): Connection {
  const host = process.env.KUBERNETES_SERVICE_HOST;
  const port = process.env.KUBERNETES_SERVICE_PORT ?? '443';
  if (!host) throw new Error('no kubeconfig found and not running in a pod (KUBERNETES_SERVICE_HOST unset)');
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    ca: readFileSync(join(serviceAccountDir, 'ca.crt')),
    insecureSkipTLSVerify: false,
    authHeaders: tokenFromFile(join(serviceAccountDir, 'token')),
  };
}
