import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import type { Node } from 'kubernetes-types/core/v1.js';
import { tenantResource } from '../../src/api/crd.ts';
import { defaultNodePoolSettings as settings } from '../../src/api/node-pool-settings.ts';
import type { Tenant } from '../../src/api/tenant.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import { resources } from '../../src/kube/resources.ts';
import { conditionOf } from '../../src/operator/tenant-status.ts';
import { testCluster } from '../support/cluster.ts';
import { kubectl } from '../support/kubectl.ts';
import {
  getNode,
  nodesOf,
  notFullyClaimed,
  notFullySpare,
  poolFields,
  poolNodes,
  restoreSpare,
} from '../support/node-pool.ts';
import { startOperator, waitForPhase, waitUntilGone } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const { http, kubeconfig } = testCluster();
const operator = startOperator();
const example = parse(
  readFileSync(join(import.meta.dirname, '../../examples/tenants/devteam-b.yaml'), 'utf8'),
) as Tenant;
const { name } = example.metadata;
const team = example.spec.teamName;

/** A standard spare node made to look like one of devteam-b's by hand: its labels and taint, no ownership label. */
async function labelByHand(): Promise<Node> {
  const spare = (await poolNodes(http)).filter(
    (node) => node.metadata?.labels?.[settings.instanceTypeLabel] === 'standard' && !notFullySpare(node),
  );
  const node = spare.at(-1) as Node;
  return http.request<Node>({
    method: 'PATCH',
    path: apiPath(resources.node, { name: node.metadata?.name ?? '' }),
    contentType: 'application/merge-patch+json',
    body: {
      metadata: {
        labels: {
          [settings.placementLabel]: team,
          [settings.spare.label]: settings.spare.claimedValue,
          ...Object.fromEntries(settings.displayLabels.map((key) => [key, team])),
        },
      },
      spec: { taints: [{ key: settings.taintKey, value: team, effect: 'NoSchedule' }] },
    },
  });
}

/** status.nodePool and NodePoolReady name the nodes held. */
function assertStatusLists(ready: Tenant, names: string[]): void {
  const pool = ready.status?.nodePool;
  assert.deepEqual(
    { size: pool?.size, ready: pool?.ready, instanceType: pool?.instanceType, summary: pool?.summary },
    { size: 2, ready: 2, instanceType: 'standard', summary: '2/2 standard' },
  );
  assert.deepEqual(
    pool?.nodes?.map((node) => [node.name, node.state, node.instanceType]),
    names.map((node) => [node, 'Ready', 'standard']),
  );
  const condition = conditionOf(ready.status, 'NodePoolReady');
  assert.equal(condition?.status, 'True');
  assert.equal(condition?.message, `2 standard node(s): ${names.join(', ')}`);
}

/** A gauge's series as plain objects: its labels and value. */
const series = async (metric: { get: () => Promise<{ values: { labels: object; value: number }[] }> }) =>
  (await metric.get()).values.map(({ labels, value }) => ({ ...labels, value }));

/** /metrics: the tenant's nodes by state and type, the free spares of the type. */
async function assertMetrics(held: number): Promise<void> {
  assert.deepEqual(await series(operator.metrics.tenantNodes), [
    { tenant: name, state: 'Ready', instance_type: 'standard', value: held },
  ]);
  const free = (await poolNodes(http)).filter(
    (node) => !notFullySpare(node) && node.metadata?.labels?.[settings.instanceTypeLabel] === 'standard',
  ).length;
  await waitFor(
    async () =>
      (await series(operator.metrics.freeSpareNodes)).some(
        (one) => 'instance_type' in one && one.instance_type === 'standard' && one.value === free,
      ),
    `${free} free standard spares exported`,
  );
}

describe("devteam-b's example tenant on a dedicated pool", () => {
  let byHand: Node | undefined;
  after(async () => {
    if (byHand) await restoreSpare(http, byHand);
  });

  it('ends Ready on two standard spare nodes, labelled and tainted as the team’s, listed in status and kubectl', async () => {
    byHand = await labelByHand();
    const handMade = byHand.metadata?.name as string;
    await http.request({ method: 'POST', path: apiPath(tenantResource), body: example });
    const ready = await waitForPhase(name, 'Ready', 60_000);

    const nodes = await nodesOf(http, name);
    assert.equal(nodes.length, 2, 'two nodes owned by devteam-b');
    for (const node of nodes) {
      assert.equal(notFullyClaimed(node, name, team), undefined, `${node.metadata?.name} wholly the team's`);
      assert.equal(node.metadata?.labels?.[settings.instanceTypeLabel], 'standard');
      assert.notEqual(node.metadata?.name, handMade, 'the hand-labelled node is not taken over');
    }
    const names = nodes.map((node) => node.metadata?.name as string).sort();
    assertStatusLists(ready, names);
    await assertMetrics(names.length);
    const { stdout } = await kubectl(kubeconfig, 'get', 'tenants', name, '-o', 'wide');
    const [header, row] = stdout.trim().split('\n');
    assert.match(header ?? '', /\bPOOL\b/);
    assert.match(row ?? '', /2\/2 standard/);
  });

  it('never writes the node labelled by hand, and decommission gives every node back to the spare pool', async () => {
    const handMade = byHand?.metadata?.name as string;
    const before = poolFields(byHand as Node);
    const claimed = (await nodesOf(http, name)).map((node) => node.metadata?.name as string);
    assert.equal(claimed.length, 2);
    await http.request({ method: 'DELETE', path: apiPath(tenantResource, { name }) });
    await waitUntilGone(name, 60_000);
    for (const node of claimed)
      assert.equal(notFullySpare(await getNode(http, node)), undefined, `${node} is a free spare again`);
    assert.deepEqual(poolFields(await getNode(http, handMade)), before, 'the hand-labelled node is untouched');
    assert.deepEqual(await nodesOf(http, name), []);
    assert.deepEqual(await series(operator.metrics.tenantNodes), [], 'no node series left for the tenant');
  });
});
