import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadConnection } from '../../src/kube/kubeconfig.ts';
import { TenantOperator } from '../../src/operator/controller.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { deleteAllTenants } from '../support/cleanup.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { applyDeployRbac, readDeployRbac } from '../support/deploy-rbac.ts';
import { waitForPhase, waitUntilGone } from '../support/operator.ts';

const { http, kubeconfig } = testCluster();
const manifest = readDeployRbac('operator.yaml');

describe("the operator's own RBAC (deploy/rbac/operator.yaml)", () => {
  it('grants no cluster-wide access to Secrets and no wildcard', () => {
    const clusterRole = manifest.find((object) => object.kind === 'ClusterRole');
    const rules = clusterRole?.rules ?? [];
    assert.ok(!rules.some((rule) => rule.resources.includes('secrets')), 'Secrets only in the Argo CD namespace');
    assert.ok(!rules.some((rule) => rule.resources.includes('*') || rule.verbs.includes('*')));
    const bind = rules.find((rule) => rule.verbs.includes('bind'));
    // The team's role, and a house's chart deployer and Secret reader, each bound in a namespace only (ADR house).
    assert.deepEqual(bind?.resourceNames, ['landlord-team', 'landlord-house-deployer', 'landlord-house-registrar']);
  });

  it('is enough to provision and tear down a tenant, running as the ServiceAccount', async () => {
    const logs: string[] = [];
    await applyDeployRbac('operator.yaml');
    const operator = new TenantOperator({
      kubeConfig: loadConnection(kubeconfig),
      platform: testEnvironment().platform,
      identity: uniqueName('rbac-operator'),
      impersonate: 'system:serviceaccount:landlord-system:landlord-operator',
      leaderElection: { namespace: 'landlord-system', name: uniqueName('lease'), retryPeriodMs: 200 },
      log: (line) => logs.push(line),
    });
    const stop = new AbortController();
    const running = operator.run(stop.signal);
    after(async () => {
      await deleteAllTenants(http);
      stop.abort();
      await running;
      operator.close();
    });
    const team = uniqueName('rbac');
    const document = validTenant(team, team);
    delete document.spec.nodePool;
    await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: document });
    const tenant = await waitForPhase(team, 'Ready');
    assert.equal(tenant.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
    await http.request({ method: 'DELETE', path: `/apis/landlord.dev/v1alpha1/tenants/${team}` });
    await waitUntilGone(team);
    // Tenants other test files left behind are finalized too; any refusal there counts, retries only here.
    const failures = logs.filter(
      (line) => (line.includes(team) && line.includes('will retry')) || /forbidden/i.test(line),
    );
    assert.deepEqual(failures, [], 'no request failed or was refused');
  });
});
