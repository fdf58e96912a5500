import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { KubeApiError } from '../../src/kube/http.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const { http } = testCluster();
startOperator();
const teamA = uniqueName('iso-a');
const teamB = uniqueName('iso-b');
after(async () => {
  for (const team of [teamA, teamB])
    await http.send({ method: 'DELETE', path: `/apis/landlord.dev/v1alpha1/tenants/${team}` });
});

/** A member of team A's directory group, as the API server sees them through impersonation. */
const asMemberOfA = { 'Impersonate-User': 'alice@financecore.example', 'Impersonate-Group': teamA };
const asA = (method: 'GET' | 'POST' | 'DELETE' | 'PATCH', path: string, body?: unknown) =>
  http.request({ method, path, body, headers: asMemberOfA });
const forbidden = (error: KubeApiError) => error.status === 403;
const pod = (name: string, securityContext: Record<string, unknown>, podSecurity: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: {
    securityContext: podSecurity,
    containers: [{ name: 'app', image: 'registry.financecore.local/app:1', securityContext }],
  },
});
const restrictedContainer = {
  allowPrivilegeEscalation: false,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

describe('two tenants side by side', () => {
  it('provisions both', async () => {
    for (const team of [teamA, teamB]) {
      const document = validTenant(team, team);
      delete document.spec.nodePool;
      await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: document });
    }
    for (const team of [teamA, teamB]) await waitForPhase(team, 'Ready');
  });

  it('lets a member of team A work in its namespace: a compliant pod without resources is admitted and runs', async () => {
    await asA('POST', `/api/v1/namespaces/${teamA}/configmaps`, { metadata: { name: 'settings' }, data: { a: '1' } });
    await asA('POST', `/api/v1/namespaces/${teamA}/pods`, pod('web', restrictedContainer));
    const created = await http.request<{ spec: { containers: { resources: { requests: Record<string, string> } }[] } }>(
      {
        method: 'GET',
        path: `/api/v1/namespaces/${teamA}/pods/web`,
      },
    );
    assert.equal(created.spec.containers[0]?.resources.requests.cpu, '100m', 'the LimitRange filled in requests');
    await waitFor(async () => {
      const live = await http.request<{ status: { phase: string } }>({
        method: 'GET',
        path: `/api/v1/namespaces/${teamA}/pods/web`,
      });
      return live.status.phase === 'Running';
    }, 'KWOK to run the pod on a node');
  });

  it('refuses privileged and root pods in a tenant namespace', async () => {
    await assert.rejects(
      asA('POST', `/api/v1/namespaces/${teamA}/pods`, pod('privileged', { privileged: true })),
      forbidden,
    );
    const root = pod('root', { ...restrictedContainer, runAsNonRoot: false, runAsUser: 0 });
    await assert.rejects(asA('POST', `/api/v1/namespaces/${teamA}/pods`, root), forbidden);
  });

  it('does not let a member of team A read or write anything in team B', async () => {
    for (const resource of ['pods', 'secrets', 'configmaps', 'services']) {
      await assert.rejects(asA('GET', `/api/v1/namespaces/${teamB}/${resource}`), forbidden, resource);
    }
    await assert.rejects(asA('POST', `/api/v1/namespaces/${teamB}/configmaps`, { metadata: { name: 'x' } }), forbidden);
    await assert.rejects(asA('GET', `/apis/rbac.authorization.k8s.io/v1/namespaces/${teamB}/rolebindings`), forbidden);
  });

  it('does not let a member of team A read cluster-scoped objects, delete its namespace or change its quota', async () => {
    for (const path of [
      '/api/v1/namespaces',
      '/api/v1/nodes',
      '/apis/rbac.authorization.k8s.io/v1/clusterroles',
      '/apis/landlord.dev/v1alpha1/tenants',
    ]) {
      await assert.rejects(asA('GET', path), forbidden, path);
    }
    await assert.rejects(asA('DELETE', `/api/v1/namespaces/${teamA}`), forbidden);
    await assert.rejects(asA('DELETE', `/api/v1/namespaces/${teamA}/resourcequotas/${teamA}-quota`), forbidden);
    await assert.rejects(asA('DELETE', `/api/v1/namespaces/${teamA}/limitranges/${teamA}-limits`), forbidden);
  });

  it("refuses a member of team A deleting Landlord's NetworkPolicy (admin's RBAC would allow it)", async () => {
    const path = `/apis/networking.k8s.io/v1/namespaces/${teamA}/networkpolicies/default-deny-all`;
    const before = await http.request<{ metadata: { uid: string } }>({ method: 'GET', path });
    await assert.rejects(
      asA('DELETE', path),
      (error: KubeApiError) => forbidden(error) && /is managed by Landlord/.test(error.message),
    );
    const now = await http.request<{ metadata: { uid: string } }>({ method: 'GET', path });
    assert.equal(now.metadata.uid, before.metadata.uid, 'the same policy, never deleted');
  });
});
