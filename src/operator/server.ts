import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

/** What the health endpoints ask of the operator. */
export interface HealthSource {
  readonly ready: boolean;
  readonly metrics: { registry: Registry };
}

/** Serves /metrics (Prometheus), /healthz (alive) and /readyz (caches filled or standing by). */
export function startMetricsServer(source: HealthSource, host: string, port: number): Promise<Server> {
  const server = createServer(async (req, res) => {
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (req.url === '/metrics') {
      res.writeHead(200, { 'Content-Type': source.metrics.registry.contentType });
      res.end(await source.metrics.registry.metrics());
    } else if (req.url === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok\n');
    } else if (req.url === '/readyz') {
      res
        .writeHead(source.ready ? 200 : 503, { 'Content-Type': 'text/plain' })
        .end(source.ready ? 'ok\n' : 'not ready\n');
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
