import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Node } from 'kubernetes-types/core/v1.js';
import { tenantResource } from '../../src/api/crd.ts';
import type { Tenant } from '../../src/api/tenant.ts';
import { kwokStoppedAnnotation } from '../../src/dev/cluster/kwokctl-config.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import { resources } from '../../src/kube/resources.ts';
import { conditionOf } from '../../src/operator/tenant-status.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { getNode, nodesOf, notFullyClaimed, notFullySpare } from '../support/node-pool.ts';
import { startOperator, waitForPhase, waitUntilGone } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const { http } = testCluster();
const notReadySeconds = 15;
startOperator({ platform: (platform) => ({ ...platform, nodePools: { ...platform.nodePools, notReadySeconds } }) });
const team = uniqueName('repl');
const filler = uniqueName('fill');

const tenantNow = (name: string) => http.request<Tenant>({ method: 'GET', path: apiPath(tenantResource, { name }) });
const create = (name: string, size: number) => {
  const document = validTenant(name, name);
  document.spec.nodePool = { size, instanceType: 'standard' };
  return http.request({ method: 'POST', path: apiPath(tenantResource), body: document });
};
const patchNode = (name: string, body: object, subresource?: string) =>
  http.request<Node>({
    method: 'PATCH',
    path: apiPath(resources.node, { name, ...(subresource ? { subresource } : {}) }),
    contentType: 'application/merge-patch+json',
    body,
  });

/** Stops KWOK keeping the node's status (as a kubelet that died): from now on only the test writes it. */
const stopKubelet = (name: string) =>
  patchNode(name, { metadata: { annotations: { [kwokStoppedAnnotation]: 'true' } } });

/** Reports the node NotReady, as the node controller would, unless it already is. */
async function reportNotReady(name: string): Promise<void> {
  const node = await getNode(http, name);
  if (node.status?.conditions?.find((condition) => condition.type === 'Ready')?.status !== 'True') return;
  const now = new Date().toISOString();
  const conditions = (node.status?.conditions ?? []).map((condition) =>
    condition.type === 'Ready'
      ? { ...condition, status: 'False', reason: 'KubeletStopped', lastTransitionTime: now, lastHeartbeatTime: now }
      : condition,
  );
  await patchNode(name, { status: { conditions } }, 'status');
}

describe('a claimed node that turns NotReady', () => {
  let broken: string | undefined;
  after(async () => {
    if (!broken) return;
    await patchNode(broken, { metadata: { annotations: { [kwokStoppedAnnotation]: null } } });
    await waitFor(
      async () =>
        (await getNode(http, broken as string)).status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True',
      `${broken} Ready again under KWOK`,
      60_000,
    );
  });

  it('still counts until the grace period, then is Lost and replaced from the spare pool once one is free', async () => {
    await create(team, 2);
    await waitForPhase(team, 'Ready', 60_000);
    // Every other standard node taken, so the replacement waits until one is freed (Lost is then seen for sure).
    await create(filler, 5);
    await waitForPhase(filler, 'Ready', 60_000);
    const [first, second] = (await nodesOf(http, team)).map((node) => node.metadata?.name as string).sort();
    broken = first as string;
    await stopKubelet(broken);

    await waitFor(
      async () => {
        // A heartbeat KWOK had scheduled before it stopped may still mark the node Ready once: reported again.
        await reportNotReady(broken as string);
        const { nodePool } = (await tenantNow(team)).status ?? {};
        return nodePool?.nodes?.some((n) => n.name === broken && n.state === 'NotReady') ?? false;
      },
      `${broken} reported NotReady`,
      notReadySeconds * 1000,
      100,
    );
    const within = await tenantNow(team);
    assert.equal(
      conditionOf(within.status, 'NodePoolReady')?.status,
      'True',
      'a NotReady node counts within the grace period',
    );
    assert.deepEqual((await nodesOf(http, team)).map((node) => node.metadata?.name).sort(), [first, second]);

    let lost: Tenant | undefined;
    await waitFor(
      async () => {
        lost = await tenantNow(team);
        return lost.status?.nodePool?.nodes?.some((n) => n.name === broken && n.state === 'Lost') ?? false;
      },
      `${broken} reported Lost after ${notReadySeconds} s`,
      60_000,
    );
    const condition = conditionOf(lost?.status, 'NodePoolReady');
    assert.equal(condition?.reason, 'NotEnoughNodes');
    assert.equal(condition?.message, 'wants 2 standard node(s), holds 1, 0 free');
    assert.ok(
      (await nodesOf(http, team)).some((node) => node.metadata?.name === broken),
      'kept until replaced',
    );

    await http.request({ method: 'DELETE', path: apiPath(tenantResource, { name: filler }) });
    await waitUntilGone(filler, 60_000);
    await waitForPhase(team, 'Ready', 60_000);
    let held: Node[] = [];
    await waitFor(
      async () => {
        held = await nodesOf(http, team);
        return held.length === 2 && !held.some((node) => node.metadata?.name === broken);
      },
      `${broken} replaced and given back`,
      60_000,
    );
    for (const node of held) assert.equal(notFullyClaimed(node, team, team), undefined);
    assert.ok(
      held.some((node) => node.metadata?.name === second),
      'the healthy node stays',
    );
    const pool = (await tenantNow(team)).status?.nodePool;
    assert.deepEqual(
      pool?.nodes?.map((n) => [n.name, n.state]),
      held.map((n) => [n.metadata?.name, 'Ready']).sort(),
    );
    const released = await getNode(http, broken);
    assert.equal(notFullySpare(released), undefined, `${broken} back in the spare pool`);

    await http.request({ method: 'DELETE', path: apiPath(tenantResource, { name: team }) });
    await waitUntilGone(team, 60_000);
  });
});
