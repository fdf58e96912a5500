import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Tenant } from '../../src/api/tenant.ts';
import { validateTenant } from '../../src/api/validate.ts';
import { isSubset } from '../../src/operator/subset.ts';
import { buildDesiredState } from '../../src/tenancy/desired-state.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { restrictedDeployment } from '../support/argocd.ts';
import { pod } from '../support/guardrail-objects.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const { http, discovery } = testCluster();
const operator = startOperator();
const team = uniqueName('prov');
const tenantPath = `/apis/landlord.dev/v1alpha1/tenants/${team}`;
after(() => http.send({ method: 'DELETE', path: tenantPath }));

async function liveObject(kind: string, apiVersion: string, name: string, namespace?: string) {
  const resource = await discovery.resource(apiVersion, kind);
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const path = namespace
    ? `${base}/namespaces/${namespace}/${resource.plural}/${name}`
    : `${base}/${resource.plural}/${name}`;
  return http.request<Record<string, unknown>>({ method: 'GET', path });
}

describe('provisioning a namespace tenant', () => {
  it('creates every object of the desired state and reports Ready', async () => {
    const document = validTenant(team, team);
    delete document.spec.nodePool;
    document.spec.additionalNamespaces = ['staging'];
    await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: document });
    const tenant = await waitForPhase(team, 'Ready');
    const defaulted = validateTenant(document);
    assert.ok(defaulted.ok);
    for (const object of buildDesiredState(defaulted.tenant, testEnvironment().platform).flatMap(
      (part) => part.objects,
    )) {
      const live = await liveObject(object.kind, object.apiVersion, object.metadata.name, object.metadata.namespace);
      const { stringData, ...comparable } = object;
      assert.ok(isSubset(comparable, live), `${object.kind} ${object.metadata.name} differs: ${JSON.stringify(live)}`);
      const owners = (live.metadata as { ownerReferences?: { uid: string; controller: boolean }[] }).ownerReferences;
      assert.deepEqual(
        owners?.map((owner) => [owner.uid, owner.controller]),
        [[tenant.metadata.uid, true]],
      );
    }
    assert.deepEqual(tenant.status?.namespaces, [team, `${team}-staging`]);
    assert.ok((tenant.status?.provisioningSeconds ?? 0) > 0);
    const types = (tenant.status?.conditions ?? [])
      .filter((c) => c.status === 'True')
      .map((c) => c.type)
      .sort();
    assert.deepEqual(types, [
      'ArgoCDReady',
      'GitRepositoryReady',
      'NamespacesReady',
      'NetworkPoliciesReady',
      'NodePoolReady',
      'QuotaReady',
      'RBACReady',
      'Ready',
      'WithinLimits',
    ]);
  });

  it('says the Git factory keeps nothing for it while the factory is off (GitRepositoryReady True, NotNeeded)', async () => {
    const tenant = await http.request<Tenant>({ method: 'GET', path: tenantPath });
    const repository = tenant.status?.conditions?.find((c) => c.type === 'GitRepositoryReady');
    assert.deepEqual(
      { status: repository?.status, reason: repository?.reason, message: repository?.message },
      {
        status: 'True',
        reason: 'NotNeeded',
        message: 'the team names its own repository (spec.gitops), or the Git factory is off',
      },
    );
    assert.equal(
      tenant.status?.gitRepoURL,
      tenant.spec.gitops?.repoURL ?? `${testEnvironment().platform.git.baseURL}/${team}-gitops.git`,
    );
  });

  it('says a tenant without a pool runs on the shared nodes (NodePoolReady True, no pool status)', async () => {
    const tenant = await http.request<Tenant>({ method: 'GET', path: tenantPath });
    const pool = tenant.status?.conditions?.find((c) => c.type === 'NodePoolReady');
    assert.deepEqual(
      { status: pool?.status, reason: pool?.reason, message: pool?.message },
      { status: 'True', reason: 'SharedNodes', message: 'no dedicated pool: runs on the shared nodes' },
    );
    assert.equal(tenant.status?.nodePool, undefined);
  });

  it('records a Provisioned event on the tenant', async () => {
    await waitFor(async () => {
      const events = await http.request<{ items: { reason: string; regarding: { name: string } }[] }>({
        method: 'GET',
        path: '/apis/events.k8s.io/v1/namespaces/default/events',
      });
      return events.items.some((event) => event.regarding.name === team && event.reason === 'Provisioned');
    }, 'the Provisioned event');
  });

  it('follows a quota change', async () => {
    await http.request({
      method: 'PATCH',
      path: tenantPath,
      body: { spec: { resourceQuota: { cpu: '8', memory: '16Gi', storage: '100Gi' } } },
      contentType: 'application/merge-patch+json',
    });
    await waitForPhase(team, 'Ready');
    await waitFor(async () => {
      const quota = await liveObject('ResourceQuota', 'v1', `${team}-quota`, team);
      const hard = (quota.spec as { hard: Record<string, string> }).hard;
      return hard['requests.cpu'] === '4' && hard['limits.cpu'] === '8' && hard['requests.memory'] === '8Gi';
    }, 'the quota of each namespace to be half of the new one');
  });

  it('prunes the namespace of a suffix removed from the spec', async () => {
    await http.request({
      method: 'PATCH',
      path: tenantPath,
      body: { spec: { additionalNamespaces: [] } },
      contentType: 'application/merge-patch+json',
    });
    await waitFor(async () => {
      const { status, body } = await http.send({ method: 'GET', path: `/api/v1/namespaces/${team}-staging` });
      return status === 404 || JSON.parse(body).status?.phase === 'Terminating';
    }, 'the staging namespace to go');
    const tenant = await waitForPhase(team, 'Ready');
    assert.deepEqual((tenant as Tenant).status?.namespaces, [team]);
  });

  it('exports what dashboards and alerts need on /metrics', async () => {
    // Gauges of tenants by phase and queue depth refresh every second.
    await waitFor(
      async () => /landlord_tenants\{phase="Ready"\} [1-9]/.test(await operator.metrics.registry.metrics()),
      'the phase gauge',
    );
    const text = await operator.metrics.registry.metrics();
    assert.match(text, /tenant_provisioning_duration_seconds_count [1-9]/);
    assert.match(text, /tenant_provisioning_failures_total/);
    assert.match(text, /landlord_reconcile_total\{result="success"\} [1-9]/);
    assert.match(text, /landlord_workqueue_depth/);
    assert.match(text, new RegExp(`landlord_tenant_quota\\{tenant="${team}",resource="requests.cpu",type="hard"\\} 8`));
    assert.match(text, new RegExp(`landlord_tenant_quota\\{tenant="${team}",resource="requests.cpu",type="used"\\} 0`));
    assert.match(text, /process_resident_memory_bytes/);
  });

  it('follows the quota usage on /metrics as the team creates pods, without waiting for a reconcile', async () => {
    // The API server counts the pod in the quota's status: the gauge must follow without waiting for a resync.
    // The staging namespace pruned above goes first: its deletion would queue the tenant anyway.
    await waitFor(
      async () => (await http.send({ method: 'GET', path: `/api/v1/namespaces/${team}-staging` })).status === 404,
      'the staging namespace to be gone',
    );
    const running = pod('quota-user', restrictedDeployment('quota-user').spec.template.spec);
    await http.request({ method: 'POST', path: `/api/v1/namespaces/${team}/pods`, body: running });
    const used = new RegExp(
      `landlord_tenant_quota\\{tenant="${team}",resource="requests.cpu",type="used"\\} ([0-9.e+-]+)`,
    );
    await waitFor(
      async () => Number(used.exec(await operator.metrics.registry.metrics())?.[1] ?? 0) > 0,
      'the used requests.cpu gauge to count the pod',
    );
    await http.send({ method: 'DELETE', path: `/api/v1/namespaces/${team}/pods/quota-user` });
  });
});
