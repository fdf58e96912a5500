import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { type HealthSource, startMetricsServer } from './server.ts';

/** A metrics server on a free loopback port, closed after the tests. */
async function serve(source: HealthSource): Promise<string> {
  const server = await startMetricsServer(source, '127.0.0.1', 0);
  after(() => server.close());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the operator metrics server', () => {
  it('serves the metrics, health and readiness', async () => {
    const registry = new Registry();
    const url = await serve({
      readiness: { ready: false, reason: 'caches not synced: Widget' },
      metrics: { registry },
    });
    const metrics = await fetch(`${url}/metrics`);
    assert.equal(metrics.status, 200);
    assert.equal(metrics.headers.get('content-type'), registry.contentType);
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    const readyz = await fetch(`${url}/readyz`);
    assert.equal(readyz.status, 503);
    assert.equal(await readyz.text(), 'not ready: caches not synced: Widget\n', 'the reason, for kubectl describe pod');
  });

  it('answers 500 when collecting the metrics fails, and keeps serving', async () => {
    const registry = new Registry();
    registry.metrics = () => Promise.reject(new Error('a collector failed'));
    const url = await serve({ readiness: { ready: true }, metrics: { registry } });
    assert.equal((await fetch(`${url}/metrics`)).status, 500);
    assert.equal((await fetch(`${url}/readyz`)).status, 200);
  });
});
