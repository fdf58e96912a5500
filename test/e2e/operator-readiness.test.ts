import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { tenantResource } from '../../src/api/crd.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import { loadConnection } from '../../src/kube/kubeconfig.ts';
import { resources } from '../../src/kube/resources.ts';
import { TenantOperator, type OperatorOptions } from '../../src/operator/controller.ts';
import { startMetricsServer } from '../../src/operator/server.ts';
import type { KubernetesConcern } from '../../src/tenancy/concern.ts';
import { tenantConcerns } from '../../src/tenancy/concerns.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { ensureNamespace, testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { applyDeployRbac } from '../support/deploy-rbac.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const { http, kubeconfig } = testCluster();
const serviceAccount = 'system:serviceaccount:landlord-system:landlord-operator';

/** An operator in this process with its /readyz on a free port, stopped after the file's tests. */
async function operatorWithHealth(options: Partial<OperatorOptions>) {
  const logs: string[] = [];
  const operator = new TenantOperator({
    kubeConfig: loadConnection(kubeconfig),
    platform: testEnvironment().platform,
    identity: uniqueName('readiness'),
    log: (line) => logs.push(line),
    ...options,
  });
  const server = await startMetricsServer(operator, '127.0.0.1', 0);
  const stop = new AbortController();
  const running = operator.run(stop.signal);
  after(async () => {
    stop.abort();
    await running;
    server.close();
    operator.close();
  });
  const readyz = async () => {
    const answer = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`);
    return { status: answer.status, body: await answer.text() };
  };
  return { operator, logs, readyz };
}

const leaseIn = (namespace: string) => ({ namespace, name: 'landlord-operator', retryPeriodMs: 200 });

describe('readiness and the leader election', () => {
  it('as its ServiceAccount with a lease namespace it has no rights in: 503 naming the Forbidden, logged and counted', async () => {
    await applyDeployRbac('operator.yaml');
    const namespace = uniqueName('no-lease-rights');
    await ensureNamespace(http, namespace);
    after(() => http.send({ method: 'DELETE', path: apiPath(resources.namespace, { name: namespace }) }));
    const { operator, logs, readyz } = await operatorWithHealth({
      impersonate: serviceAccount,
      leaderElection: leaseIn(namespace),
    });
    await waitFor(async () => (await readyz()).body.includes('Forbidden'), 'the refusal to show in /readyz');
    const { status, body } = await readyz();
    assert.equal(status, 503, 'a replica that can never lead is not a ready standby');
    assert.ok(
      body.startsWith(
        `not ready: cannot take part in the leader election (lease ${namespace}/landlord-operator): Forbidden: ` +
          `leases.coordination.k8s.io "landlord-operator" is forbidden: User "${serviceAccount}" cannot get resource "leases"`,
      ),
      body,
    );
    const logged = logs.filter((line) => line.includes('Forbidden'));
    assert.equal(logged.length, 1, `logged once, with the API server's message: ${logs.join('\n')}`);
    assert.match(logged[0] ?? '', /cannot take part in the election for lease .*: Forbidden: .* is forbidden: User/);
    const errors = await operator.metrics.leaderElectionErrors.get();
    const forbidden = errors.values.find((value) => value.labels.reason === 'Forbidden')?.value ?? 0;
    assert.ok(forbidden >= 1, 'each failed attempt counted, by reason');
  });

  it('with a lease namespace that does not exist: 503 naming the missing namespace', async () => {
    const namespace = uniqueName('no-such-namespace');
    const { readyz } = await operatorWithHealth({ leaderElection: leaseIn(namespace) });
    await waitFor(async () => (await readyz()).body.includes('NotFound'), 'the missing namespace to show in /readyz');
    const { status, body } = await readyz();
    assert.equal(status, 503);
    assert.match(body, new RegExp(`NotFound: namespaces "${namespace}" not found`));
  });

  it('a standby while another replica holds the lease is ready', async () => {
    await applyDeployRbac('operator.yaml');
    const name = uniqueName('held-lease');
    const now = new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
    await http.request({
      method: 'POST',
      path: apiPath(resources.lease, { namespace: 'landlord-system' }),
      body: {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace: 'landlord-system' },
        spec: { holderIdentity: 'another-replica', leaseDurationSeconds: 3600, acquireTime: now, renewTime: now },
      },
    });
    after(() =>
      http.send({ method: 'DELETE', path: apiPath(resources.lease, { namespace: 'landlord-system', name }) }),
    );
    const { operator, readyz } = await operatorWithHealth({
      impersonate: serviceAccount,
      leaderElection: { namespace: 'landlord-system', name, retryPeriodMs: 200 },
    });
    await waitFor(async () => (await readyz()).status === 200, 'the standby to be ready');
    assert.deepEqual(operator.readiness, { ready: true });
    assert.equal(await isLeading(operator), false, 'standing by, not leading');
  });
});

async function isLeading(operator: TenantOperator): Promise<boolean> {
  return (await operator.metrics.isLeader.get()).values.some((value) => value.value === 1);
}

// A kind whose CRD is not installed, as Argo CD's would be on a cluster without Argo CD.
const widgetGroup = 'readiness.landlord.test';
const widgetsConcern: KubernetesConcern = {
  name: 'Widgets',
  condition: 'WidgetsReady',
  holding: 'owned',
  kinds: [{ apiVersion: `${widgetGroup}/v1`, kind: 'Widget', plural: 'widgets', namespaced: true, watch: 'cluster' }],
  build: () => [],
  file: () => 'widgets.yaml',
};
const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `widgets.${widgetGroup}` },
  spec: {
    group: widgetGroup,
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
};

describe('readiness and the caches', () => {
  it('a leader with a kind the API server does not serve works on, and is not ready naming the kind until it lists', async () => {
    const operator = startOperator({ concerns: [...tenantConcerns, widgetsConcern] });
    const server = await startMetricsServer(operator, '127.0.0.1', 0);
    after(() => server.close());
    const readyz = async () => {
      const answer = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`);
      return { status: answer.status, body: await answer.text() };
    };
    const team = uniqueName('unsynced');
    await http.request({ method: 'POST', path: apiPath(tenantResource), body: validTenant(team, team) });
    // A Ready tenant: the workers run, past the point where every cache used to be taken as filled.
    await waitForPhase(team, 'Ready');
    assert.equal(await isLeading(operator), true);
    const { status, body } = await readyz();
    assert.equal(status, 503, 'not ready while a kind has never been listed');
    assert.match(body, /^not ready: waiting for the first list of Widget readiness\.landlord\.test\/v1 \(.*404/);
    assert.doesNotMatch(body, /Tenant|Namespace/, 'only the kind that has not listed');

    after(() =>
      http.send({
        method: 'DELETE',
        path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${widgetCrd.metadata.name}`,
      }),
    );
    await http.request({
      method: 'POST',
      path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      body: widgetCrd,
    });
    // The informer retries with a backoff capped at 30 s: once the kind is served, it lists and the leader is ready.
    await waitFor(async () => (await readyz()).status === 200, 'ready once Widgets are served', 60_000);
  });
});
