import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { tenantResource } from '../../src/api/crd.ts';
import { defaultNodePoolSettings as settings } from '../../src/api/node-pool-settings.ts';
import type { Tenant } from '../../src/api/tenant.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import { resources } from '../../src/kube/resources.ts';
import { conditionOf } from '../../src/operator/tenant-status.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { deployment } from '../support/guardrail-objects.ts';
import { getNode, nodesOf, notFullyClaimed, notFullySpare } from '../support/node-pool.ts';
import { startOperator, waitForPhase, waitUntilGone } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const { http } = testCluster();
const drainTimeoutSeconds = 3;
startOperator({ platform: (platform) => ({ ...platform, nodePools: { ...platform.nodePools, drainTimeoutSeconds } }) });
const team = uniqueName('pool');
const app = 'web';

const tenantNow = () => http.request<Tenant>({ method: 'GET', path: apiPath(tenantResource, { name: team }) });
const setPool = (nodePool: { size: number; instanceType: string }) =>
  http.request({
    method: 'PATCH',
    path: apiPath(tenantResource, { name: team }),
    contentType: 'application/merge-patch+json',
    body: { spec: { nodePool } },
  });
/** The tenant Ready at this generation, holding exactly `size` nodes of the type, each wholly the team's. */
async function holdsExactly(size: number, instanceType: string): Promise<string[]> {
  await waitForPhase(team, 'Ready', 60_000);
  let names: string[] = [];
  await waitFor(
    async () => {
      const nodes = await nodesOf(http, team);
      names = nodes.map((node) => node.metadata?.name as string).sort();
      return (
        nodes.length === size &&
        nodes.every(
          (node) =>
            !notFullyClaimed(node, team, team) &&
            !node.spec?.unschedulable &&
            node.metadata?.labels?.[settings.instanceTypeLabel] === instanceType,
        )
      );
    },
    `${team} to hold exactly ${size} ${instanceType} node(s)`,
    60_000,
  );
  return names;
}
const podsOfApp = async () =>
  (
    await http.request<{ items: Pod[] }>({
      method: 'GET',
      path: apiPath(resources.pod, { namespace: team }),
      query: { labelSelector: `app=${app}` },
    })
  ).items.filter((pod) => !pod.metadata?.deletionTimestamp);
const pdbPath = (name?: string) =>
  apiPath(
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', namespaced: true },
    { namespace: team, ...(name ? { name } : {}) },
  );

/**
 * Four replicas on the pool, and a PodDisruptionBudget forbidding any eviction. Placement is written out by hand
 * here (automatic placement is another change): the pool's selector and toleration.
 */
async function deployOnPool(nodes: string[]): Promise<void> {
  const web = deployment(app, (pod) => {
    pod.nodeSelector = { [settings.placementLabel]: team };
    pod.tolerations = [{ key: settings.taintKey, operator: 'Equal', value: team, effect: 'NoSchedule' }];
  });
  web.spec.replicas = 4;
  const deployments = { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', namespaced: true };
  await http.request({ method: 'POST', path: apiPath(deployments, { namespace: team }), body: web });
  const onPool = (pod: Pod) => pod.status?.phase === 'Running' && nodes.includes(pod.spec?.nodeName ?? '');
  await waitFor(
    async () => {
      const pods = await podsOfApp();
      return pods.length === 4 && pods.every(onPool);
    },
    'four pods running on the pool',
    60_000,
  );
  const pdb = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: app },
    spec: { maxUnavailable: 0, selector: { matchLabels: { app } } },
  };
  await http.request({ method: 'POST', path: pdbPath(), body: pdb });
}

/** The drain held by the budget: reported once the drain timeout passed, nodes cordoned, no pod forced out. */
async function assertDrainBlocked(): Promise<void> {
  let blocked: Tenant | undefined;
  await waitFor(
    async () => {
      blocked = await tenantNow();
      return conditionOf(blocked.status, 'NodePoolReady')?.reason === 'DrainBlocked';
    },
    'the stuck drain to be reported',
    60_000,
  );
  const condition = conditionOf(blocked?.status, 'NodePoolReady');
  assert.equal(condition?.status, 'False');
  assert.match(
    condition?.message ?? '',
    new RegExp(
      `^drain of spare-\\d+ has not finished after ${drainTimeoutSeconds} s: pod ${team}/${app}-[a-z0-9-]+ cannot be evicted: .*disruption budget`,
    ),
  );
  assert.equal(blocked?.status?.phase, 'Provisioning', 'a stuck drain is reported, the tenant not Failed');
  await assertDrainingListed(blocked as Tenant);
}

/** The nodes given back, listed as Draining with what holds them, cordoned; every pod still there. */
async function assertDrainingListed(blocked: Tenant): Promise<void> {
  const draining = (blocked.status?.nodePool?.nodes ?? []).filter((node) => node.state === 'Draining');
  assert.ok(draining.length > 0, 'the nodes being given back are listed as Draining');
  assert.ok(
    draining.some((node) => /cannot be evicted/.test(node.message ?? '')),
    'with what holds them',
  );
  for (const node of draining) assert.equal((await getNode(http, node.name)).spec?.unschedulable, true, 'cordoned');
  assert.equal((await podsOfApp()).length, 4, 'no pod deleted or forced out');
}

describe('a pool grown, shrunk and moved to another instance type', () => {
  it('claims nodes for size 2 -> 4, drains by eviction (held by a PodDisruptionBudget, reported) for 4 -> 1', async () => {
    const document = validTenant(team, team);
    document.spec.nodePool = { size: 2, instanceType: 'standard' };
    await http.request({ method: 'POST', path: apiPath(tenantResource), body: document });
    await holdsExactly(2, 'standard');
    await setPool({ size: 4, instanceType: 'standard' });
    const four = await holdsExactly(4, 'standard');

    await deployOnPool(four);
    await setPool({ size: 1, instanceType: 'standard' });
    await assertDrainBlocked();

    await http.request({
      method: 'PATCH',
      path: pdbPath(app),
      contentType: 'application/merge-patch+json',
      body: { spec: { maxUnavailable: 4 } },
    });
    const [kept] = await holdsExactly(1, 'standard');
    for (const node of four.filter((name) => name !== kept))
      assert.equal(notFullySpare(await getNode(http, node)), undefined, `${node} released to the spare pool`);
    await waitFor(
      async () => {
        const pods = await podsOfApp();
        return pods.length === 4 && pods.every((pod) => pod.spec?.nodeName === kept);
      },
      'the pods moved to the node kept',
      60_000,
    );
    const pool = (await tenantNow()).status?.nodePool;
    assert.equal(pool?.summary, '1/1 standard');
    assert.deepEqual(
      pool?.nodes?.map((node) => node.name),
      [kept],
    );
  });

  it('moves the tenant to nodes of the new instance type when instanceType changes', async () => {
    const [standard] = await nodesOf(http, team);
    await setPool({ size: 1, instanceType: 'compute-optimized' });
    const [compute] = await holdsExactly(1, 'compute-optimized');
    assert.notEqual(compute, standard?.metadata?.name);
    assert.equal(notFullySpare(await getNode(http, standard?.metadata?.name as string)), undefined);
    await waitFor(
      async () => (await podsOfApp()).every((pod) => pod.spec?.nodeName === compute),
      'the pods moved to the new node',
      60_000,
    );
    await http.request({ method: 'DELETE', path: apiPath(tenantResource, { name: team }) });
    await waitUntilGone(team, 60_000);
    assert.deepEqual(await nodesOf(http, team), []);
  });
});
