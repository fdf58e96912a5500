import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

/** Whether the operator is ready, and if not, why (the body of a 503 from /readyz). */
export type Readiness = { ready: true } | { ready: false; reason: string };

/** What the health endpoints ask of the operator. */
export interface HealthSource {
  readonly readiness: Readiness;
  readonly metrics: { registry: Registry };
}

/** Serves /metrics (Prometheus), /healthz (alive) and /readyz (caches filled or standing by, else why not). */
export function startMetricsServer(source: HealthSource, host: string, port: number): Promise<Server> {
  const respond = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (req.url === '/metrics') {
      const metrics = await source.metrics.registry.metrics();
      res.writeHead(200, { 'Content-Type': source.metrics.registry.contentType }).end(metrics);
    } else if (req.url === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok\n');
    } else if (req.url === '/readyz') {
      const readiness = source.readiness;
      res
        .writeHead(readiness.ready ? 200 : 503, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end(readiness.ready ? 'ok\n' : `not ready: ${readiness.reason}\n`);
    } else {
      res.writeHead(404).end();
    }
  };
  // A failed scrape answers 500; unhandled, its rejection would stop the operator.
  const server = createServer((req, res) => {
    respond(req, res).catch(() => res.writeHead(500).end());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
