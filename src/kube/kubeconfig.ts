import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';

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

interface NamedEntry<T> {
  name: string;
  [key: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}

type Fields = Record<string, unknown>;

/**
 * Reads a kubeconfig the way kubectl does, for what an operator needs: the current (or a named) context,
 * CA and client certificates inline or from files, bearer tokens and token files, exec credential plugins
 * (OIDC helpers, cloud CLIs). Written here because loading @kubernetes/client-node's KubeConfig pulls in its
 * whole generated API (about 80 MB of memory) for a few hundred lines of logic.
 */
export function loadConnection(path?: string, contextName?: string): Connection {
  const file = path ?? process.env.KUBECONFIG?.split(':')[0] ?? join(homedir(), '.kube', 'config');
  if (!path && !process.env.KUBECONFIG && !existsSync(file) && existsSync(join(serviceAccountDir, 'token'))) {
    return inClusterConnection();
  }
  const config = parse(readFileSync(file, 'utf8')) as Fields;
  const base = dirname(file);
  const name = contextName ?? (config['current-context'] as string | undefined);
  const context = pick<Fields>(config.contexts, name, 'context', file);
  const cluster = pick<Fields>(config.clusters, context.cluster as string, 'cluster', file);
  const user = context.user ? pick<Fields>(config.users, context.user as string, 'user', file) : {};
  const server = cluster.server as string | undefined;
  if (!server) throw new Error(`${file}: cluster ${context.cluster} has no server`);
  return {
    server,
    ca: material(cluster, 'certificate-authority', base),
    cert: material(user, 'client-certificate', base),
    key: material(user, 'client-key', base),
    insecureSkipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
    tlsServerName: cluster['tls-server-name'] as string | undefined,
    authHeaders: credentialSource(user, base),
  };
}

function pick<T>(entries: unknown, name: string | undefined, field: 'cluster' | 'user' | 'context', file: string): T {
  const found = ((entries ?? []) as NamedEntry<T>[]).find((entry) => entry.name === name);
  if (!found?.[field]) throw new Error(`${file}: no ${field} named "${name ?? ''}"`);
  return found[field] as T;
}

/** A certificate or key given inline (base64, `-data`) or as a file path relative to the kubeconfig. */
function material(fields: Fields, name: string, base: string): Buffer | undefined {
  const inline = fields[`${name}-data`];
  if (typeof inline === 'string') return Buffer.from(inline, 'base64');
  const file = fields[name];
  if (typeof file === 'string') return readFileSync(isAbsolute(file) ? file : join(base, file));
  return undefined;
}

function credentialSource(user: Fields, base: string): () => Promise<Record<string, string>> {
  if (typeof user.token === 'string') return async () => ({ Authorization: `Bearer ${user.token}` });
  const tokenFile = user.tokenFile ?? user['token-file'];
  // Token files are re-read on each use: projected tokens rotate.
  if (typeof tokenFile === 'string') return tokenFromFile(isAbsolute(tokenFile) ? tokenFile : join(base, tokenFile));
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
