import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tenantResource } from '../../src/api/crd.ts';
import type { Tenant } from '../../src/api/tenant.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import { conditionOf } from '../../src/operator/tenant-status.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { nodesOf, poolNodes, poolProblems } from '../support/node-pool.ts';
import { startOperator, waitForPhase, waitUntilGone } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const { http } = testCluster();
startOperator();
const instanceType = 'memory-optimized';
const size = 4;

/** Waits until one tenant is Ready and the other waits for nodes, none of them free; both, as they are then. */
async function oneServedOneWaiting(teams: string[]): Promise<{ served: Tenant; waiting: Tenant }> {
  const get = (name: string) => http.request<Tenant>({ method: 'GET', path: apiPath(tenantResource, { name }) });
  let waiting: Tenant | undefined;
  let served: Tenant | undefined;
  await waitFor(
    async () => {
      const tenants = await Promise.all(teams.map(get));
      served = tenants.find((tenant) => tenant.status?.phase === 'Ready');
      waiting = tenants.find((tenant) => conditionOf(tenant.status, 'NodePoolReady')?.reason === 'NotEnoughNodes');
      return served !== undefined && waiting?.status?.nodePool?.free === 0;
    },
    'one tenant Ready, the other waiting for nodes',
    60_000,
  );
  return { served: served as Tenant, waiting: waiting as Tenant };
}

/** NotEnoughNodes naming the shortfall exactly; Provisioning, not Failed. */
function assertWaits(waiting: Tenant, held: number): void {
  const condition = conditionOf(waiting.status, 'NodePoolReady');
  assert.equal(condition?.status, 'False');
  assert.equal(condition?.message, `wants ${size} ${instanceType} node(s), holds ${held}, 0 free`);
  assert.equal(waiting.status?.phase, 'Provisioning', 'not fully provisioned, and not Failed');
  assert.equal(conditionOf(waiting.status, 'Ready')?.status, 'False');
  assert.equal(waiting.status?.nodePool?.free, 0);
}

describe('two tenants asking together for more nodes of a type than exist', () => {
  it('never share a node; one waits naming the shortfall and completes by itself once the other goes', async () => {
    const exist = (await poolNodes(http)).filter(
      (node) => node.metadata?.labels?.['node.kubernetes.io/instance-type'] === instanceType,
    ).length;
    assert.ok(exist < 2 * size && exist >= size, `${exist} ${instanceType} nodes: enough for one pool, not two`);
    const teams = [uniqueName('short-a'), uniqueName('short-b')];
    await Promise.all(
      teams.map((team) => {
        const document = validTenant(team, team);
        document.spec.nodePool = { size, instanceType };
        return http.request({ method: 'POST', path: apiPath(tenantResource), body: document });
      }),
    );
    const { served, waiting } = await oneServedOneWaiting(teams);
    const [servedName, waitingName] = [served.metadata.name, waiting.metadata.name];
    const live = new Map(teams.map((team) => [team, team]));
    assert.deepEqual(await poolProblems(http, live), [], 'every node wholly one tenant’s or wholly spare');
    const held = (await nodesOf(http, waitingName)).length;
    assert.equal((await nodesOf(http, servedName)).length, size);
    assert.equal(held, exist - size, 'the one waiting keeps what is left');
    assertWaits(waiting, held);

    await http.request({ method: 'DELETE', path: apiPath(tenantResource, { name: servedName }) });
    await waitUntilGone(servedName, 60_000);
    const ready = await waitForPhase(waitingName, 'Ready', 60_000);
    assert.equal((await nodesOf(http, waitingName)).length, size);
    assert.equal(ready.status?.nodePool?.summary, `${size}/${size} ${instanceType}`);
    live.delete(servedName);
    assert.deepEqual(await poolProblems(http, live), []);
    await http.request({ method: 'DELETE', path: apiPath(tenantResource, { name: waitingName }) });
    await waitUntilGone(waitingName, 60_000);
    assert.deepEqual(await poolProblems(http, new Map()), [], 'every node back in the spare pool');
  });
});
