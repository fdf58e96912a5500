import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { tenantResource } from '../../src/api/crd.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import type { KubeApiError } from '../../src/kube/http.ts';
import { admissionSettingsName } from '../../src/platform/admission-settings.ts';
import { landlordNamespace } from '../../src/platform/platform-network.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';
import { asBreakGlass } from '../support/break-glass.ts';

const { http } = testCluster();
startOperator();
const [teamA, teamB] = [uniqueName('netpol-a'), uniqueName('netpol-b')];
const policies = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  plural: 'networkpolicies',
  namespaced: true,
};
const settingsPath = apiPath(
  { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
  { namespace: landlordNamespace, name: admissionSettingsName },
);
/** A member of team A holding every right in its namespace (what a cluster-admin RoleBinding there would give). */
const asA = { 'Impersonate-User': 'arthur@financecore.example', 'Impersonate-Group': teamA };
const create = (name: string, ingress: unknown[]) =>
  http.request({
    method: 'POST',
    path: apiPath(policies, { namespace: teamA }),
    headers: asA,
    body: { metadata: { name }, spec: { podSelector: {}, policyTypes: ['Ingress'], ingress } },
  });
const refusal = async (attempt: Promise<unknown>): Promise<string> => {
  const error = (await attempt.then(
    () => assert.fail('the API server admitted it'),
    (e: unknown) => e,
  )) as KubeApiError;
  assert.equal(error.status, 403, error.message);
  return error.message;
};
const setMode = (mode: string) =>
  http.request({
    method: 'PATCH',
    path: settingsPath,
    body: { data: { tenantNetworkPolicies: mode } },
    contentType: 'application/merge-patch+json',
  });

before(async () => {
  for (const team of [teamA, teamB]) {
    await http.request({ method: 'POST', path: apiPath(tenantResource), body: validTenant(team, team) });
  }
  for (const team of [teamA, teamB]) await waitForPhase(team, 'Ready');
  // Every right in the namespace: what the incident's Argo CD-applied cluster-admin RoleBinding gave (only
  // break-glass can plant it now).
  await http.request({
    method: 'POST',
    headers: asBreakGlass,
    path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${teamA}/rolebindings`,
    body: {
      metadata: { name: 'planted-cluster-admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: teamA }],
    },
  });
});
after(() => setMode('refuse'));

describe("a team's own network policies", () => {
  it('are refused by default, the message saying whose they are', async () => {
    const message = await refusal(create('allow-all', [{}]));
    assert.match(
      message,
      new RegExp(`NetworkPolicy ${teamA}/allow-all: network policies in tenant namespaces are the platform's`),
    );
    assert.match(
      await refusal(create('same-namespace', [{ from: [{ podSelector: {} }] }])),
      /tenantNetworkPolicies: refuse/,
    );
  });

  it('where the platform allows them, admit only traffic from inside the tenant', async () => {
    await setMode('within-tenant');
    // The API server reads the setting from its informer cache: retried until the policy has seen the change.
    await waitFor(
      () =>
        create('from-my-pods', [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }]).then(
          () => true,
          (error: KubeApiError) =>
            /tenantNetworkPolicies: refuse/.test(error.message) ? false : Promise.reject(error),
        ),
      'the admission policy to read tenantNetworkPolicies: within-tenant',
      10_000,
    );
    await create('from-my-tenant', [
      { from: [{ namespaceSelector: { matchLabels: { 'landlord.dev/tenant': teamA } } }] },
    ]);
    const outside = `admits traffic from outside tenant ${teamA}`;
    assert.match(await refusal(create('everyone', [{}])), new RegExp(outside));
    assert.match(await refusal(create('any-namespace', [{ from: [{ namespaceSelector: {} }] }])), new RegExp(outside));
    assert.match(
      await refusal(
        create('from-b', [{ from: [{ namespaceSelector: { matchLabels: { 'landlord.dev/tenant': teamB } } }] }]),
      ),
      new RegExp(outside),
    );
    assert.match(
      await refusal(create('internet', [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }])),
      new RegExp(outside),
    );
    assert.match(
      await refusal(
        create('by-expression', [
          { from: [{ namespaceSelector: { matchExpressions: [{ key: 'landlord.dev/tenant', operator: 'Exists' }] } }] },
        ]),
      ),
      new RegExp(outside),
    );
  });

  it("never stop the operator's own policies: a deleted one is recreated", async () => {
    await setMode('refuse');
    const path = apiPath(policies, { namespace: teamA, name: 'default-deny-all' });
    const before = await http.request<{ metadata: { uid: string } }>({ method: 'GET', path });
    await http.request({ method: 'DELETE', path, headers: asBreakGlass });
    await waitFor(
      async () => {
        const { status, body } = await http.send({ method: 'GET', path });
        return status === 200 && JSON.parse(body).metadata.uid !== before.metadata.uid;
      },
      'the operator to recreate default-deny-all',
      15_000,
    );
  });
});
