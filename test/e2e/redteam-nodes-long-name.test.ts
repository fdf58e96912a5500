// Red team, issue 13: a Tenant name is a DNS subdomain (up to 253 characters), but it is the value of Landlord's
// ownership label on its nodes, and a label value holds at most 63. A Tenant whose name is longer can never claim a
// node. Today it is retried forever (Provisioning, the namespace's label refused) and, not Failed, holds its place in
// the line for nodes: younger tenants of the type get only what is left after its 5. It must hold no place, and be
// refused (Failed, naming metadata.name).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tenantResource } from '../../src/api/crd.ts';
import type { Tenant } from '../../src/api/tenant.ts';
import { apiPath } from '../../src/kube/api-path.ts';
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

describe('a Tenant whose name is longer than a label value', () => {
  it('is refused, holding no place in the line: a younger tenant gets the free nodes', async () => {
    const team = uniqueName('long');
    const long = `${team}-${'x'.repeat(64)}`;
    const younger = uniqueName('younger');
    try {
      const document = validTenant(long, team);
      document.spec.nodePool = { size: 5, instanceType };
      await http.request({ method: 'POST', path: apiPath(tenantResource), body: document });
      // Seen by the operator (its namespace refused for the label), before the younger tenant asks.
      await waitFor(
        async () => conditionOf((await tenantNow(long)).status, 'NamespacesReady')?.status === 'False',
        `the operator to have tried ${long}`,
        30_000,
      );
      const other = validTenant(younger, younger);
      other.spec.nodePool = { size: 3, instanceType };
      await http.request({ method: 'POST', path: apiPath(tenantResource), body: other });
      await waitForPhase(younger, 'Ready', 45_000).catch(async (error: Error) => {
        const condition = conditionOf((await tenantNow(younger)).status, 'NodePoolReady');
        assert.fail(`${error.message}: NodePoolReady ${condition?.reason}: ${condition?.message}`);
      });
      assert.equal((await nodesOf(http, younger)).length, 3);
      const refused = await tenantNow(long);
      assert.equal(refused.status?.phase, 'Failed', `${long} is ${refused.status?.phase}, retried forever`);
      assert.match(JSON.stringify(refused.status?.conditions), /metadata\.name/);
    } finally {
      for (const name of [long, younger])
        await http.send({ method: 'DELETE', path: apiPath(tenantResource, { name }) });
      for (const name of [long, younger]) await waitUntilGone(name, 90_000);
    }
  });
});
