import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent, type RequestOptions, request as httpsRequest } from 'node:https';
import type { Connection } from './kubeconfig.ts';

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
  private readonly connection: Connection;
  /** The API server's address. */
  readonly server: URL;
  private agent: Agent | HttpAgent | undefined;

  /** Plain HTTP only for a local proxy (kubectl proxy) or a test server; HTTPS otherwise. */
  private get transport(): typeof httpsRequest {
    return this.server.protocol === 'http:' ? (httpRequest as unknown as typeof httpsRequest) : httpsRequest;
  }

  private readonly identityHeaders: Record<string, string>;

  /** With `impersonate`, every request acts as that user (to run as a ServiceAccount, or in tests). */
  constructor(connection: Connection, impersonate?: { user: string }) {
    this.connection = connection;
    this.server = new URL(connection.server);
    this.identityHeaders = impersonate ? { 'Impersonate-User': impersonate.user } : {};
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
    const url = this.url(req);
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers = await this.headers(req);
    if (payload !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      // Node frames no DELETE body by default: without a length, its bytes would corrupt the next request
      // on the kept-alive connection.
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const options: RequestOptions = { method: req.method, headers, agent: this.pool() };
    const timeoutMs = req.timeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const outgoing = this.transport(url, { ...options, timeout: timeoutMs }, (res) => {
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

  /**
   * Streams a watch: calls onLine for each newline-delimited JSON event until the server ends the stream
   * (resolves), the signal aborts (resolves), or the request fails (rejects, an error status as KubeApiError).
   */
  async stream(req: KubeRequest, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
    const url = this.url(req);
    const options: RequestOptions = { method: 'GET', headers: await this.headers(req), agent: this.pool() };
    return new Promise((resolve, reject) => {
      if (signal.aborted) return resolve();
      const outgoing = this.transport(url, { ...options, signal }, (res) => {
        let buffer = '';
        let failed = false;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          // An error answer is one Status document, read whole at the end rather than split into events.
          if (res.statusCode !== 200) return;
          let newline = buffer.indexOf('\n');
          while (newline >= 0 && !failed) {
            const line = buffer.slice(0, newline);
            buffer = buffer.slice(newline + 1);
            newline = buffer.indexOf('\n');
            if (!line.trim()) continue;
            try {
              onLine(line);
            } catch (error) {
              // A line the caller cannot accept (a 410 in the stream, say) ends the watch with that error.
              failed = true;
              outgoing.destroy();
              reject(error);
            }
          }
        });
        res.on('end', () => {
          if ((res.statusCode ?? 0) < 400) return resolve();
          const status = safeParse(buffer);
          reject(new KubeApiError(res.statusCode ?? 0, status?.reason ?? '', status?.message ?? buffer));
        });
        res.on('error', (error) => (signal.aborted ? resolve() : reject(error)));
      });
      outgoing.on('error', (error) => (signal.aborted ? resolve() : reject(error)));
      outgoing.end();
    });
  }

  private url(req: KubeRequest): URL {
    const url = new URL(req.path, this.server);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    return url;
  }

  /** Credentials are read per request (tokens rotate); the connection pool is built once. */
  private async headers(req: KubeRequest): Promise<Record<string, string>> {
    return {
      Accept: 'application/json',
      ...this.identityHeaders,
      ...req.headers,
      ...(await this.connection.authHeaders()),
    };
  }

  /** One keep-alive connection pool, built from the kubeconfig's TLS material the first time. */
  private pool(): Agent | HttpAgent {
    if (this.server.protocol === 'http:') return (this.agent ??= new HttpAgent({ keepAlive: true, maxSockets: 64 }));
    const { ca, cert, key, insecureSkipTLSVerify, tlsServerName } = this.connection;
    this.agent ??= new Agent({
      keepAlive: true,
      maxSockets: 64,
      ca,
      cert,
      key,
      rejectUnauthorized: !insecureSkipTLSVerify,
      ...(tlsServerName ? { servername: tlsServerName } : {}),
    });
    return this.agent;
  }

  /** Closes idle keep-alive connections so the process can exit. */
  close(): void {
    this.agent?.destroy();
  }
}

function safeParse(text: string): { reason?: string; message?: string } | undefined {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
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
