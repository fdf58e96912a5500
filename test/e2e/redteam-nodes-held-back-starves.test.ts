// Red team, issue 13: first come, first served reads an older tenant's spec.nodePool as it is asked, not as it was
// accepted. A change beyond the ceilings is held back (status.acceptedSpec, WithinLimits False: the tenant keeps its
// nodes and claims no more), yet the claim order still counts the size asked as owed to it, so one tenant asking
// for 10 nodes it will never get keeps every younger tenant from claiming a node of that type, for as long as it
// keeps asking.
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

async function createWithPool(name: string, size: number): Promise<void> {
  const document = validTenant(name, name);
  document.spec.nodePool = { size, instanceType };
  await http.request({ method: 'POST', path: apiPath(tenantResource), body: document });
}
const tenantNow = (name: string) => http.request<Tenant>({ method: 'GET', path: apiPath(tenantResource, { name }) });

describe('a tenant whose larger pool is held back by the ceilings', () => {
  it('holds no place in the line for nodes it will not get: a younger tenant still gets a free node', async () => {
    const [greedy, younger] = [uniqueName('greedy'), uniqueName('younger')];
    try {
      await createWithPool(greedy, 1);
      await waitForPhase(greedy, 'Ready', 60_000);
      // 10 is within the CRD (1-10) and above tenantCeilings' 5 dedicated nodes: held back, never claimed.
      await http.request({
        method: 'PATCH',
        path: apiPath(tenantResource, { name: greedy }),
        contentType: 'application/merge-patch+json',
        body: { spec: { nodePool: { size: 10, instanceType } } },
      });
      await waitFor(
        async () => conditionOf((await tenantNow(greedy)).status, 'WithinLimits')?.status === 'False',
        `${greedy}'s size 10 to be held back by the ceilings`,
        30_000,
      );
      assert.equal((await nodesOf(http, greedy)).length, 1, 'the held-back tenant keeps its one node, claims none');

      await createWithPool(younger, 1);
      try {
        await waitForPhase(younger, 'Ready', 45_000);
      } catch (error) {
        const condition = conditionOf((await tenantNow(younger)).status, 'NodePoolReady');
        assert.fail(
          `${younger} never got one of the free ${instanceType} nodes while ${greedy}'s held-back size 10 stands: ` +
            `NodePoolReady ${condition?.reason}: ${condition?.message} (${(error as Error).message})`,
        );
      }
      assert.equal((await nodesOf(http, younger)).length, 1);
    } finally {
      for (const name of [greedy, younger])
        await http.send({ method: 'DELETE', path: apiPath(tenantResource, { name }) });
      for (const name of [greedy, younger]) await waitUntilGone(name, 90_000);
    }
  });
});
