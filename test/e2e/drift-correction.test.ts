import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { validTenant } from '../fixtures/tenants.ts';
import { asBreakGlass } from '../support/break-glass.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const { http } = testCluster();
startOperator();
const team = uniqueName('drift');
after(() => http.send({ method: 'DELETE', path: `/apis/landlord.dev/v1alpha1/tenants/${team}` }));

interface Labelled {
  metadata: { uid: string; labels?: Record<string, string> };
}
type Policy = Labelled & { spec: unknown };
type Quota = Labelled & { spec: { hard: Record<string, string> } };

// Drift made as only a break-glass engineer still can: the admission policies refuse everyone else.
const merge = (path: string, body: unknown) =>
  http.request({ method: 'PATCH', path, body, contentType: 'application/merge-patch+json', headers: asBreakGlass });

describe('drift correction', () => {
  it('provisions the tenant', async () => {
    await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: validTenant(team, team) });
    await waitForPhase(team, 'Ready');
  });

  it('restores a deleted NetworkPolicy, as it was', async () => {
    const path = `/apis/networking.k8s.io/v1/namespaces/${team}/networkpolicies/default-deny-all`;
    const before = await http.request<Policy>({ method: 'GET', path });
    await http.request({ method: 'DELETE', path, headers: asBreakGlass });
    let restored: Policy | undefined;
    await waitFor(
      async () => {
        const { status, body } = await http.send({ method: 'GET', path });
        restored = status === 200 ? JSON.parse(body) : undefined;
        return restored !== undefined && restored.metadata.uid !== before.metadata.uid;
      },
      'the default-deny-all policy to come back',
      10_000,
    );
    assert.deepEqual(restored?.spec, before.spec);
    assert.deepEqual(restored?.metadata.labels, before.metadata.labels);
  });

  it('puts back a quota edited by hand, every limit as it was', async () => {
    const path = `/api/v1/namespaces/${team}/resourcequotas/${team}-quota`;
    const before = await http.request<Quota>({ method: 'GET', path });
    await merge(path, { spec: { hard: { 'requests.cpu': '1000', 'services.loadbalancers': '5' } } });
    await waitFor(
      async () => isDeepStrictEqual((await http.request<Quota>({ method: 'GET', path })).spec.hard, before.spec.hard),
      'the quota to be restored',
      10_000,
    );
  });

  it('restores a label removed from the namespace', async () => {
    const path = `/api/v1/namespaces/${team}`;
    await merge(path, { metadata: { labels: { 'pod-security.kubernetes.io/enforce': null } } });
    await waitFor(
      async () => {
        const namespace = await http.request<Labelled>({ method: 'GET', path });
        return namespace.metadata.labels?.['pod-security.kubernetes.io/enforce'] === 'restricted';
      },
      'the Pod Security label to be restored',
      10_000,
    );
  });

  it('restores the tenant label itself, through which it watches', async () => {
    const path = `/apis/rbac.authorization.k8s.io/v1/namespaces/${team}/rolebindings/${team}-admins`;
    await merge(path, { metadata: { labels: { 'landlord.dev/tenant': null } } });
    await waitFor(
      async () => {
        const binding = await http.request<Labelled>({ method: 'GET', path });
        return binding.metadata.labels?.['landlord.dev/tenant'] === team;
      },
      'the tenant label to be restored',
      10_000,
    );
  });
});
