// Red team, issue 13: a Tenant name is a DNS subdomain (up to 253 characters), but it is the value of Landlord's
// ownership label on its nodes, and a label value holds at most 63. A Tenant whose name was longer could never claim
// a node: it was retried forever (Provisioning, the namespace's label refused) and, not Failed, held its place in the
// line for nodes, so younger tenants of the type got only what was left after its 5. Now the API server refuses such
// a name; a tenant stuck before its pool for any other reason holds no place; and an object the API server refuses
// as Invalid turns the tenant Failed with the API server's words instead of being retried forever.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tenantResource } from '../../src/api/crd.ts';
import type { Tenant } from '../../src/api/tenant.ts';
import { apiPath, type ResourceType } from '../../src/kube/api-path.ts';
import type { KubeApiError } from '../../src/kube/http.ts';
import { resources } from '../../src/kube/resources.ts';
import { conditionOf } from '../../src/operator/tenant-status.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { nodesOf } from '../support/node-pool.ts';
import { startOperator, waitForPhase, waitUntilGone } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const { http } = testCluster();
startOperator();
const instanceType = 'compute-optimized';
const tenantNow = (name: string) => http.request<Tenant>({ method: 'GET', path: apiPath(tenantResource, { name }) });
const policyResource: ResourceType = {
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicy',
  plural: 'validatingadmissionpolicies',
  namespaced: false,
};
const bindingResource: ResourceType = {
  ...policyResource,
  kind: 'ValidatingAdmissionPolicyBinding',
  plural: 'validatingadmissionpolicybindings',
};

/**
 * A policy of the test's own refusing the namespace named `team` (as a cluster's other guard would), with 403
 * Forbidden (a refusal a retry may outlive) or 422 Invalid; returns its removal. Active once a dry run is refused.
 */
async function refuseNamespace(team: string, reason: 'Forbidden' | 'Invalid'): Promise<() => Promise<void>> {
  const name = uniqueName('test-refuse-namespace');
  await http.request({
    method: 'POST',
    path: apiPath(policyResource),
    body: {
      apiVersion: policyResource.apiVersion,
      kind: policyResource.kind,
      metadata: { name },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['namespaces'] },
          ],
        },
        validations: [
          {
            expression: `object.metadata.name != '${team}'`,
            message: `metadata.name: namespace ${team} is refused by this cluster's test policy`,
            reason,
          },
        ],
      },
    },
  });
  await http.request({
    method: 'POST',
    path: apiPath(bindingResource),
    body: {
      apiVersion: bindingResource.apiVersion,
      kind: bindingResource.kind,
      metadata: { name },
      spec: { policyName: name, validationActions: ['Deny'] },
    },
  });
  await waitFor(
    async () => {
      const probe = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: team } };
      const path = apiPath(resources.namespace);
      return (await http.send({ method: 'POST', path, query: { dryRun: 'All' }, body: probe })).status >= 400;
    },
    `the test policy refusing namespace ${team} to be active`,
    30_000,
  );
  return async () => {
    await http.send({ method: 'DELETE', path: apiPath(bindingResource, { name }) });
    await http.send({ method: 'DELETE', path: apiPath(policyResource, { name }) });
  };
}

async function createWithPool(name: string, size: number): Promise<void> {
  const document = validTenant(name, name);
  document.spec.nodePool = { size, instanceType };
  await http.request({ method: 'POST', path: apiPath(tenantResource), body: document });
}

describe('a Tenant whose name is longer than a label value', () => {
  it('is refused by the API server, naming metadata.name and the 63 characters allowed', async () => {
    const team = uniqueName('long');
    const document = validTenant(`${team}-${'x'.repeat(64)}`, team);
    await assert.rejects(
      http.request({ method: 'POST', path: apiPath(tenantResource), body: document }),
      (error: KubeApiError) => {
        assert.equal(error.status, 422, error.message);
        assert.match(error.message, /metadata\.name must be at most 63 characters/);
        return true;
      },
    );
  });
});

describe('a tenant stuck before its pool', () => {
  it('holds no place in the line for nodes: a younger tenant gets the free nodes', async () => {
    const [stuck, younger] = [uniqueName('stuck'), uniqueName('younger')];
    const allow = await refuseNamespace(stuck, 'Forbidden');
    try {
      await createWithPool(stuck, 5);
      // Seen by the operator (its namespace refused, retried), before the younger tenant asks.
      await waitFor(
        async () => conditionOf((await tenantNow(stuck)).status, 'NamespacesReady')?.status === 'False',
        `the operator to have tried ${stuck}`,
        30_000,
      );
      await createWithPool(younger, 3);
      await waitForPhase(younger, 'Ready', 45_000).catch(async (error: Error) => {
        const condition = conditionOf((await tenantNow(younger)).status, 'NodePoolReady');
        assert.fail(`${error.message}: NodePoolReady ${condition?.reason}: ${condition?.message}`);
      });
      assert.equal((await nodesOf(http, younger)).length, 3);
      const waiting = await tenantNow(stuck);
      assert.equal(waiting.status?.phase, 'Provisioning', 'a refusal a retry may outlive is retried');
      assert.equal(conditionOf(waiting.status, 'NodePoolReady')?.status, 'Unknown');
      assert.equal((await nodesOf(http, stuck)).length, 0);
    } finally {
      await allow();
      for (const name of [stuck, younger])
        await http.send({ method: 'DELETE', path: apiPath(tenantResource, { name }) });
      for (const name of [stuck, younger]) await waitUntilGone(name, 90_000);
    }
  });
});

describe('an object of a tenant the API server refuses as Invalid', () => {
  it("turns the tenant Failed with the API server's words naming the field, not retried forever", async () => {
    const refused = uniqueName('refused');
    const allow = await refuseNamespace(refused, 'Invalid');
    try {
      await createWithPool(refused, 1);
      await waitForPhase(refused, 'Failed', 30_000);
      const tenant = await tenantNow(refused);
      const ready = conditionOf(tenant.status, 'Ready');
      assert.equal(ready?.reason, 'RefusedByAPIServer', JSON.stringify(ready));
      assert.match(ready?.message ?? '', /metadata\.name: namespace .* is refused by this cluster's test policy/);
      assert.equal((await nodesOf(http, refused)).length, 0, 'a Failed tenant claims no node');
    } finally {
      await allow();
      await http.send({ method: 'DELETE', path: apiPath(tenantResource, { name: refused }) });
      await waitUntilGone(refused, 90_000);
    }
  });
});
