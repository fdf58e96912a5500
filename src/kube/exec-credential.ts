import { spawn } from 'node:child_process';
import type { Fields } from './kubeconfig-merge.ts';
import type { ClientCertificate } from './client-certificate.ts';

/** What an exec credential plugin handed out: a bearer token, a client certificate, or both, until `expires`. */
export interface ExecCredential {
  token?: string;
  clientCertificate?: ClientCertificate;
  /** Epoch milliseconds; Infinity when the plugin gave no expirationTimestamp. */
  expires: number;
}

/** The cluster as a plugin with `provideClusterInfo` is told about it (ExecCredential spec.cluster). */
export interface ExecClusterInfo {
  server: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'certificate-authority-data'?: string;
  'proxy-url'?: string;
  'disable-compression'?: boolean;
  config?: unknown;
}

const supportedApiVersions = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'];
const pluginTimeoutMs = 60_000;
// The most stderr an error message carries: the plugin's own explanation, not pages of it.
const stderrExcerptLength = 500;

/**
 * Runs a client-go exec credential plugin (user.exec of a kubeconfig) when its credential is needed, caching
 * the answer until shortly before its expirationTimestamp; concurrent callers share one run. The plugin gets
 * KUBERNETES_EXEC_INFO with `interactive: false` (an operator has no terminal), and the cluster when it asks.
 */
export function execCredentialSource(exec: Fields, cluster: ExecClusterInfo): () => Promise<ExecCredential> {
  const plugin = checkedPlugin(exec);
  let cached: { credential: ExecCredential; refreshAt: number } | undefined;
  let running: Promise<ExecCredential> | undefined;
  return async () => {
    if (cached && Date.now() < cached.refreshAt) return cached.credential;
    running ??= obtain(plugin, cluster)
      .then((credential) => {
        cached = { credential, refreshAt: refreshTime(credential.expires) };
        return credential;
      })
      .finally(() => (running = undefined));
    return running;
  };
}

interface Plugin {
  apiVersion: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  installHint?: string;
  provideClusterInfo: boolean;
}

/** The plugin's configuration, refused at load time when it cannot work here. */
function checkedPlugin(exec: Fields): Plugin {
  const { apiVersion, command, interactiveMode } = exec;
  if (typeof command !== 'string' || command === '') throw new Error('exec credential plugin: no command given');
  if (typeof apiVersion !== 'string' || !supportedApiVersions.includes(apiVersion))
    throw new Error(
      `exec credential plugin ${command}: apiVersion ${JSON.stringify(apiVersion)} is not one of ${supportedApiVersions.join(', ')}`,
    );
  if (interactiveMode === 'Always') {
    const instead = 'use interactiveMode IfAvailable or Never with a plugin that needs no prompt';
    throw new Error(
      `exec credential plugin ${command}: interactiveMode Always needs a terminal, and Landlord has none (${instead})`,
    );
  }
  const env: Record<string, string> = {};
  for (const { name, value } of (exec.env ?? []) as { name: string; value: string }[]) env[name] = value;
  return {
    apiVersion,
    command,
    args: ((exec.args ?? []) as unknown[]).map(String),
    env,
    installHint: typeof exec.installHint === 'string' ? exec.installHint : undefined,
    provideClusterInfo: exec.provideClusterInfo === true,
  };
}

/** When to ask again: a tenth of the lifetime before expiry, at most a minute, so no request carries a dying credential. */
function refreshTime(expires: number): number {
  const lifetime = expires - Date.now();
  return expires - Math.min(60_000, Math.max(0, lifetime / 10));
}

async function obtain(plugin: Plugin, cluster: ExecClusterInfo): Promise<ExecCredential> {
  const execInfo = {
    apiVersion: plugin.apiVersion,
    kind: 'ExecCredential',
    spec: { interactive: false, ...(plugin.provideClusterInfo ? { cluster } : {}) },
  };
  const env = { ...process.env, ...plugin.env, KUBERNETES_EXEC_INFO: JSON.stringify(execInfo) };
  const stdout = await runPlugin(plugin, env);
  return parseExecCredential(plugin, stdout);
}

/** Runs the plugin without stdin (nothing can answer a prompt) and returns its stdout; failures name the plugin. */
function runPlugin(plugin: Plugin, env: NodeJS.ProcessEnv): Promise<string> {
  const name = `exec credential plugin ${plugin.command}`;
  return new Promise((resolve, reject) => {
    const child = spawn(plugin.command, plugin.args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill();
    }, pluginTimeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      const hint = plugin.installHint ? `\n${plugin.installHint}` : '';
      reject(new Error(`${name} could not be run: ${error.message}${hint}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(stdout);
      // stdout is never quoted: it may hold half a credential. stderr is the plugin's word to people.
      const how = timedOut
        ? `gave no answer within ${pluginTimeoutMs / 1000}s`
        : signal
          ? `was stopped by ${signal}`
          : `exited with code ${code}`;
      const said = stderr.trim().slice(0, stderrExcerptLength);
      reject(new Error(`${name} ${how}${said ? `: ${said}` : ''}`));
    });
  });
}

interface ExecCredentialDocument {
  apiVersion?: unknown;
  kind?: unknown;
  status?: { token?: unknown; clientCertificateData?: unknown; clientKeyData?: unknown; expirationTimestamp?: unknown };
}

/** Checks the plugin's answer like client-go does; messages never quote it, since it holds the credential. */
function parseExecCredential(plugin: Plugin, stdout: string): ExecCredential {
  const name = `exec credential plugin ${plugin.command}`;
  let document: ExecCredentialDocument;
  try {
    document = JSON.parse(stdout) as ExecCredentialDocument;
  } catch {
    throw new Error(`${name} printed no JSON ExecCredential (${stdout.length} characters on stdout)`);
  }
  if (document?.kind !== 'ExecCredential' || document.apiVersion !== plugin.apiVersion)
    throw new Error(
      `${name} answered kind ${String(document?.kind)} of ${String(document?.apiVersion)}; expected ExecCredential of ${plugin.apiVersion}`,
    );
  const status = document.status ?? {};
  const token = nonEmpty(status.token);
  const clientCertificate = certificateOf(name, status);
  if (!token && !clientCertificate) throw new Error(`${name} returned neither a token nor a client certificate`);
  return { ...(token ? { token } : {}), clientCertificate, expires: expiry(name, status.expirationTimestamp) };
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The PEM certificate and key of the answer: both or neither. */
function certificateOf(
  name: string,
  status: NonNullable<ExecCredentialDocument['status']>,
): ClientCertificate | undefined {
  const cert = nonEmpty(status.clientCertificateData);
  const key = nonEmpty(status.clientKeyData);
  if (cert && key) return { cert: Buffer.from(cert), key: Buffer.from(key) };
  if (cert) throw new Error(`${name} returned clientCertificateData without clientKeyData`);
  if (key) throw new Error(`${name} returned clientKeyData without clientCertificateData`);
  return undefined;
}

function expiry(name: string, timestamp: unknown): number {
  if (timestamp === undefined || timestamp === null || timestamp === '') return Number.POSITIVE_INFINITY;
  const time = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
  if (Number.isNaN(time))
    throw new Error(`${name} returned an expirationTimestamp that is no time: ${JSON.stringify(timestamp)}`);
  return time;
}
