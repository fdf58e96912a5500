import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Tenant } from '../../src/api/tenant.ts';
import { type LooseDocument, validTenant } from '../fixtures/tenants.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';

const { http } = testCluster();
startOperator();
const created: string[] = [];
after(() =>
  Promise.all(
    created.map((name) => http.send({ method: 'DELETE', path: `/apis/landlord.dev/v1alpha1/tenants/${name}` })),
  ),
);

async function createHouse(prefix: string, edit: (spec: LooseDocument) => void): Promise<string> {
  const team = uniqueName(prefix);
  const document = validTenant(team, team);
  document.spec.isolation = 'vcluster';
  delete document.spec.nodePool;
  edit(document.spec);
  await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: document });
  created.push(team);
  return team;
}

/** Nothing of the house exists: no namespace, no Application, no project, no registration. */
async function assertNothingDeployed(team: string) {
  const argocd = testEnvironment().platform.argocd.namespace;
  for (const path of [
    `/api/v1/namespaces/vcluster-${team}`,
    `/api/v1/namespaces/${team}`,
    `/apis/argoproj.io/v1alpha1/namespaces/${argocd}/applications/vcluster-${team}`,
    `/apis/argoproj.io/v1alpha1/namespaces/${argocd}/appprojects/vcluster-${team}`,
    `/api/v1/namespaces/${argocd}/secrets/vcluster-${team}`,
  ])
    assert.equal((await http.send({ method: 'GET', path })).status, 404, path);
}

const readyOf = (tenant: Tenant) => tenant.status?.conditions?.find((c) => c.type === 'Ready');

describe('a house the platform cannot build', () => {
  it('is Failed for a well-formed Kubernetes version the platform does not serve, listing those it serves', async () => {
    const team = await createHouse('hv', (spec) => (spec.kubernetesVersion = '1.34'));
    const ready = readyOf(await waitForPhase(team, 'Failed'));
    assert.equal(ready?.reason, 'KubernetesVersionNotServed');
    const served = Object.keys(testEnvironment().platform.houses.kubernetesVersions);
    assert.match(ready?.message ?? '', /spec\.kubernetesVersion: "1\.34" is not served/);
    for (const version of served) assert.ok(ready?.message?.includes(version), ready?.message);
    await assertNothingDeployed(team);
  });

  it('is Failed when its quota cannot hold its own control plane, saying how much it needs', async () => {
    const team = await createHouse('hq', (spec) => {
      spec.resourceQuota = { cpu: '100m', memory: '256Mi', storage: '1Gi' };
      spec.services = { argocd: false };
    });
    const ready = readyOf(await waitForPhase(team, 'Failed'));
    assert.equal(ready?.reason, 'QuotaTooSmallForHouse');
    assert.match(ready?.message ?? '', /requests\.cpu 200m \(the quota gives 100m\)/);
    assert.match(
      ready?.message ?? '',
      /ask for at least spec\.resourceQuota\.cpu: 1, spec\.resourceQuota\.memory: 2Gi, spec\.resourceQuota\.storage: 5Gi/,
    );
    await assertNothingDeployed(team);
  });

  it('is Failed when its quota holds the control plane but not its own Argo CD beside it, saying how much each needs', async () => {
    // 2 cores and 2Gi hold the control plane (limits 4 and 4Gi at the ratio 2), not with the Argo CD's 3 and 3Gi.
    const team = await createHouse(
      'hqa',
      (spec) => (spec.resourceQuota = { cpu: '2', memory: '2Gi', storage: '10Gi' }),
    );
    const ready = readyOf(await waitForPhase(team, 'Failed'));
    assert.equal(ready?.reason, 'QuotaTooSmallForHouse');
    assert.match(
      ready?.message ?? '',
      /limits\.cpu 5 \(2 for its control plane and 3 for its Argo CD; the quota gives 4\)/,
    );
    assert.match(
      ready?.message ?? '',
      /ask for at least spec\.resourceQuota\.cpu: 2500m, spec\.resourceQuota\.memory: 3584Mi/,
    );
    await assertNothingDeployed(team);
  });
});

describe('a malformed kubernetesVersion', () => {
  it('is refused by the API server naming the field (a patch release is the platform’s to choose)', async () => {
    const document = validTenant(uniqueName('hf'), 'hf');
    document.spec.isolation = 'vcluster';
    document.spec.kubernetesVersion = '1.36.3';
    const answer = await http.send({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: document });
    assert.equal(answer.status, 422);
    assert.match(answer.body, /spec\.kubernetesVersion/);
  });
});
