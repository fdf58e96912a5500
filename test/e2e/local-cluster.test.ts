import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { NodeList as V1NodeList } from 'kubernetes-types/core/v1.js';
import { tenantCrd } from '../../src/api/crd.ts';
import { clusterUp } from '../../src/dev/cluster/lifecycle.ts';
import { clusterPorts, environmentPorts } from '../../src/dev/cluster/local-cluster.ts';
import { nodePoolLabel } from '../../src/dev/cluster/simulated-nodes.ts';
import { clusterStatus } from '../../src/dev/cluster/status.ts';
import type { KubeApiError } from '../../src/kube/http.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { waitFor } from '../support/wait.ts';

const { cluster, http } = testCluster();
const crdPath = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${tenantCrd.metadata.name}`;

describe('the local cluster', () => {
  it('is a real Kubernetes 1.36 control plane', async () => {
    const version = await http.request<{ gitVersion: string }>({ method: 'GET', path: '/version' });
    assert.match(version.gitVersion, /^v1\.36\.\d+$/);
  });

  it('has Ready shared workers and tainted spare nodes for dedicated pools', async () => {
    const nodes = (await http.request<V1NodeList>({ method: 'GET', path: '/api/v1/nodes' })).items;
    const pool = (name: string) => nodes.filter((node) => node.metadata?.labels?.[nodePoolLabel] === name);
    assert.ok(pool('shared').length >= 3, 'at least three shared workers');
    assert.ok(pool('spare').length >= 10, 'enough spares for a node pool of 10');
    for (const node of pool('spare')) assert.ok(node.spec?.taints?.some((taint) => taint.key === nodePoolLabel));
    await waitFor(async () => {
      const current = (await http.request<V1NodeList>({ method: 'GET', path: '/api/v1/nodes' })).items;
      return current.every((node) => node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    }, 'every node Ready');
  });

  it('listens on loopback only', () => {
    const listening = listeningAddresses();
    // The portal and its mail catcher run in the process that serves them (npm start, the tests), not here.
    const { argocdControllerMetrics, portal: _portal, smtp: _smtp, ...environment } = environmentPorts(cluster);
    // Argo CD's application controller binds its metrics to 0.0.0.0 whatever it is told (upstream, not ours).
    assert.ok(listening.has(argocdControllerMetrics), 'the Argo CD controller serves its metrics');
    for (const [component, port] of Object.entries({ ...clusterPorts(cluster), ...environment })) {
      const addresses = listening.get(port) ?? [];
      assert.ok(addresses.length > 0, `${component} listens on ${port}`);
      assert.deepEqual([...new Set(addresses)], ['127.0.0.1'], `${component} on ${port} listens on ${addresses}`);
    }
  });

  it('authorizes requests: an unknown user may read nothing', async () => {
    const asNobody = { 'Impersonate-User': 'nobody@financecore.example' };
    await assert.rejects(
      http.request({ method: 'GET', path: '/api/v1/namespaces/default/secrets', headers: asNobody }),
      (error: KubeApiError) => error.status === 403,
    );
  });

  it('runs admission: Pod Security refuses a privileged pod in a restricted namespace', async () => {
    const namespace = uniqueName('admission');
    const labels = { 'pod-security.kubernetes.io/enforce': 'restricted' };
    await http.request({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: namespace, labels } } });
    const pod = {
      metadata: { name: 'root' },
      spec: { containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] },
    };
    await assert.rejects(
      http.request({ method: 'POST', path: `/api/v1/namespaces/${namespace}/pods`, body: pod }),
      (error: KubeApiError) => error.status === 403 && /violates PodSecurity "restricted/.test(error.message),
    );
    await http.request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}` });
  });

  it('serves the Tenant API: cluster-scoped, status subresource, short name', async () => {
    const resources = await http.request<{ resources: { name: string; namespaced: boolean; shortNames?: string[] }[] }>(
      { method: 'GET', path: '/apis/landlord.dev/v1alpha1' },
    );
    const tenants = resources.resources.find((resource) => resource.name === 'tenants');
    assert.equal(tenants?.namespaced, false);
    assert.deepEqual(tenants?.shortNames, ['tnt']);
    assert.ok(resources.resources.some((resource) => resource.name === 'tenants/status'));
  });

  it('comes up again without changing anything', async () => {
    const before = await http.request<{ metadata: { resourceVersion: string } }>({ method: 'GET', path: crdPath });
    const report = await clusterUp(cluster, () => {});
    assert.equal(report.created, false);
    assert.equal(report.restarted, false);
    assert.equal(report.nodesCreated, 0);
    const after = await http.request<{ metadata: { resourceVersion: string } }>({ method: 'GET', path: crdPath });
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
  });

  it('reports its status', async () => {
    const status = await clusterStatus(cluster);
    assert.equal(status.running, true);
    assert.match(status.version ?? '', /^v1\.36\./);
    assert.equal(status.tenantCrdInstalled, true);
    assert.ok((status.nodes?.ready ?? 0) > 0);
  });
});

/** Listening TCP sockets by port, from /proc/net/tcp{,6}: no external tool needed. */
function listeningAddresses(): Map<number, string[]> {
  const byPort = new Map<number, string[]>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== '0A' || !local) continue; // 0A is LISTEN
      const [hexAddress = '', hexPort = ''] = local.split(':');
      const port = Number.parseInt(hexPort, 16);
      byPort.set(port, [...(byPort.get(port) ?? []), decodeAddress(hexAddress)]);
    }
  }
  return byPort;
}

function decodeAddress(hex: string): string {
  if (hex.length === 8)
    return (hex.match(/../g) ?? [])
      .reverse()
      .map((byte) => Number.parseInt(byte, 16))
      .join('.');
  if (hex === '0'.repeat(32)) return '::';
  if (hex === '00000000000000000000000001000000') return '::1';
  return `ipv6:${hex}`;
}
