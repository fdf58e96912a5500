import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent, type RequestOptions, request as httpsRequest } from 'node:https';
import { type Answer, bodyExcerpt, errorFromAnswer } from './api-error.ts';
import type { ClientCertificate } from './client-certificate.ts';
import type { Connection } from './kubeconfig.ts';

export { KubeApiError } from './api-error.ts';

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
  /** Gives up on the request when it aborts (a shutdown): it then fails, naming the request, as "aborted". */
  signal?: AbortSignal;
}

/** Who a client acts as, and what ends all of its requests. */
export interface KubeHttpOptions {
  /** Act as this user on every request (to run as a ServiceAccount, or in tests). */
  user?: string;
  /** Aborts every request of this client, in flight or to come (the operator's shutdown). */
  signal?: AbortSignal;
}

/**
 * A thin JSON client for the API server. Objects go over the wire exactly as given: a typed client's serializer
 * drops fields it does not model (x-kubernetes-validations, for one), which server-side apply would then take
 * as "remove this field".
 */
export class KubeHttp {
  private readonly connection: Connection;
  /** The API server's address. */
  readonly server: URL;
  private agent: Agent | HttpAgent | undefined;
  private agentCertificate: ClientCertificate | undefined;

  /** Plain HTTP only for a local proxy (kubectl proxy) or a test server; HTTPS otherwise. */
  private get transport(): typeof httpsRequest {
    return this.server.protocol === 'http:' ? (httpRequest as unknown as typeof httpsRequest) : httpsRequest;
  }

  private readonly identityHeaders: Record<string, string>;
  private readonly signal: AbortSignal | undefined;

  /** With `user`, every request acts as that user; with `signal`, every request ends when it aborts. */
  constructor(connection: Connection, options: KubeHttpOptions = {}) {
    this.connection = connection;
    this.server = new URL(connection.server);
    this.identityHeaders = options.user ? { 'Impersonate-User': options.user } : {};
    this.signal = options.signal;
  }

  /**
   * Sends a request and parses the JSON answer. An error status becomes a KubeApiError (the API server's Status,
   * or the status and an excerpt of whatever else answered); a success that is not JSON is an error too.
   */
  async request<T = unknown>(req: KubeRequest): Promise<T> {
    const answer = await this.send(req);
    if (answer.status >= 400) throw errorFromAnswer(this.describe(req), answer);
    if (!answer.body) return undefined as T;
    try {
      return JSON.parse(answer.body) as T;
    } catch (error) {
      throw notJson(this.describe(req), answer, error);
    }
  }

  /** Sends a request and returns the raw status, body and content type, whatever the status. */
  async send(req: KubeRequest): Promise<Answer> {
    const url = this.url(req);
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    const { headers, certificate } = await this.credentials(req);
    if (payload !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      // Node frames no DELETE body by default: without a length, its bytes would corrupt the next request
      // on the kept-alive connection.
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    // The pool is picked right before use: a concurrent request may just have replaced it.
    const signal = this.abortSignal(req.signal);
    const options: RequestOptions = { method: req.method, headers, agent: this.pool(certificate), signal };
    const timeoutMs = req.timeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new Error(`${this.describe(req)}: aborted`));
      const outgoing = this.transport(url, { ...options, timeout: timeoutMs }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, contentType: res.headers['content-type'] }));
        res.on('error', (error) => reject(this.failure(req, error, signal)));
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs}ms`)));
      outgoing.on('error', (error) => reject(this.failure(req, error, signal)));
      outgoing.end(payload);
    });
  }

  /** The request's own signal and the client's, as one (undefined when neither is given). */
  private abortSignal(own: AbortSignal | undefined): AbortSignal | undefined {
    if (own && this.signal) return AbortSignal.any([own, this.signal]);
    return own ?? this.signal;
  }

  /**
   * Streams a watch: calls onLine for each newline-delimited JSON event until the server ends the stream
   * (resolves), the signal aborts (resolves), or the request fails (rejects, an error status as KubeApiError).
   */
  async stream(req: KubeRequest, onLine: (line: string) => void, streamSignal: AbortSignal): Promise<void> {
    const url = this.url(req);
    const signal = this.abortSignal(streamSignal) as AbortSignal;
    const { headers, certificate } = await this.credentials(req);
    const options: RequestOptions = { method: 'GET', headers, agent: this.pool(certificate) };
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
          const status = res.statusCode ?? 0;
          if (status < 400) return resolve();
          reject(
            errorFromAnswer(this.describe(req), { status, body: buffer, contentType: res.headers['content-type'] }),
          );
        });
        res.on('error', (error) => (signal.aborted ? resolve() : reject(this.failure(req, error))));
      });
      outgoing.on('error', (error) => (signal.aborted ? resolve() : reject(this.failure(req, error))));
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

  /** "GET https://host:6443/api/v1/namespaces": what a request was, for messages (no query: it can be long). */
  private describe(req: KubeRequest): string {
    const url = new URL(req.path, this.server);
    return `${req.method} ${url.origin}${url.pathname}`;
  }

  /** A request that got no answer (refused, reset, timed out, aborted), named with the server it went to. */
  private failure(req: KubeRequest, error: Error, signal?: AbortSignal): Error {
    const what = signal?.aborted ? 'aborted' : error.message;
    return new Error(`${this.describe(req)}: ${what}`, { cause: error });
  }

  /** Credentials are read per request: tokens rotate, and an exec plugin may hand out a new client certificate. */
  private async credentials(
    req: KubeRequest,
  ): Promise<{ headers: Record<string, string>; certificate: ClientCertificate | undefined }> {
    const [auth, certificate] = await Promise.all([
      this.connection.authHeaders(),
      this.connection.clientCertificate?.(),
    ]);
    return { headers: { Accept: 'application/json', ...this.identityHeaders, ...req.headers, ...auth }, certificate };
  }

  /**
   * One keep-alive connection pool per client certificate. A new certificate (an exec plugin's, renewed) gets a
   * new pool and the old one's connections are closed, as client-go does: the API server checks a certificate's
   * validity on every request, so connections made with the old one would soon be refused.
   */
  private pool(certificate: ClientCertificate | undefined): Agent | HttpAgent {
    if (this.server.protocol === 'http:') return (this.agent ??= new HttpAgent({ keepAlive: true, maxSockets: 64 }));
    if (this.agent && sameCertificate(this.agentCertificate, certificate)) return this.agent;
    this.agent?.destroy();
    const { ca, insecureSkipTLSVerify, tlsServerName } = this.connection;
    this.agentCertificate = certificate;
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: 64,
      ca,
      cert: certificate?.cert,
      key: certificate?.key,
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

function sameCertificate(a: ClientCertificate | undefined, b: ClientCertificate | undefined): boolean {
  if (a === b) return true;
  return !!a && !!b && a.cert.equals(b.cert) && a.key.equals(b.key);
}

/**
 * A success whose body does not parse. A body declared JSON was cut short and is never quoted (it may be part of
 * a Secret); anything else (a web page where the API server should be) is quoted, bounded.
 */
function notJson(request: string, answer: Answer, error: unknown): Error {
  const type = answer.contentType ?? 'no content type';
  if (/json/i.test(type))
    return new Error(
      `${request}: HTTP ${answer.status} answer is invalid JSON (${answer.body.length} characters, ${type})`,
    );
  const excerpt = JSON.stringify(bodyExcerpt(answer));
  return new Error(`${request}: HTTP ${answer.status} answer is not JSON (${type}): ${excerpt}`, { cause: error });
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
