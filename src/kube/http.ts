import { Agent, type RequestOptions, request } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';

/** Loads a kubeconfig file; without a path, the usual KUBECONFIG or ~/.kube/config. */
export function loadKubeConfig(path?: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (path) kubeConfig.loadFromFile(path);
  else kubeConfig.loadFromDefault();
  return kubeConfig;
}

/** An error answer of the API server, with its HTTP status and Status reason (NotFound, Conflict, Invalid...). */
export class KubeApiError extends Error {
  override name = 'KubeApiError';
  readonly status: number;
  readonly reason: string;
  readonly details: unknown;

  constructor(status: number, reason: string, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.reason = reason;
    this.details = details;
  }
}

/** One request to the API server. */
export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  /** Extra headers, such as Impersonate-User for acting as a tenant's user. */
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * A thin JSON client for the API server. Objects go over the wire exactly as given: client-node's typed
 * serializer drops fields it does not model (x-kubernetes-validations, for one), which server-side apply
 * would then take as "remove this field".
 */
export class KubeHttp {
  readonly kubeConfig: KubeConfig;
  private readonly server: URL;
  private agent: Agent | undefined;

  constructor(kubeConfig: KubeConfig) {
    const server = kubeConfig.getCurrentCluster()?.server;
    if (!server) throw new Error('the kubeconfig has no current cluster');
    this.kubeConfig = kubeConfig;
    this.server = new URL(server);
  }

  /** Sends a request and parses the JSON answer; an error status becomes a KubeApiError. */
  async request<T = unknown>(req: KubeRequest): Promise<T> {
    const { status, body } = await this.send(req);
    const parsed = body ? JSON.parse(body) : undefined;
    if (status >= 400) {
      throw new KubeApiError(status, parsed?.reason ?? String(status), parsed?.message ?? body, parsed?.details);
    }
    return parsed as T;
  }

  /** Sends a request and returns the raw status and body, whatever the status. */
  async send(req: KubeRequest): Promise<{ status: number; body: string }> {
    const url = new URL(req.path, this.server);
    for (const [key, value] of Object.entries(req.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, value);
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
    if (payload !== undefined) headers['Content-Type'] = req.contentType ?? 'application/json';
    const options: RequestOptions = { method: req.method, headers };
    // Credentials are read per request (tokens rotate); the connection pool is ours, built once.
    await this.kubeConfig.applyToHTTPSOptions(options);
    this.agent ??= new Agent({
      keepAlive: true,
      maxSockets: 32,
      ca: options.ca,
      cert: options.cert,
      key: options.key,
      ...(options.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: options.rejectUnauthorized }),
    });
    options.agent = this.agent;
    const timeoutMs = req.timeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const outgoing = request(url, { ...options, timeout: timeoutMs }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      outgoing.on('timeout', () =>
        outgoing.destroy(new Error(`${req.method} ${url.pathname} timed out after ${timeoutMs}ms`)),
      );
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  }

  /** Closes idle keep-alive connections so the process can exit. */
  close(): void {
    this.agent?.destroy();
  }
}

/** Whether the API server answers /readyz with ok. */
export async function isApiServerReady(http: KubeHttp): Promise<boolean> {
  try {
    const { status } = await http.send({ method: 'GET', path: '/readyz', timeoutMs: 2000 });
    return status === 200;
  } catch {
    return false;
  }
}
