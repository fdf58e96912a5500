// Red team, issue 13: Landlord's ownership label alone makes a node a tenant's. A shared worker given a tenant's
// ownership label by hand (an admin's slip: the wrong node, or a copied label) is counted in the tenant's pool, and
// the tenant's teardown (or a smaller size) cordons it, evicts every team's pods from it and "gives it back" to
// the spare pool: a shared worker turned into a tainted spare that the next pool claims. The issue asks that a node
// Landlord did not claim is never relabelled, tainted or drained; the node never came from the spare pool.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { tenantResource } from '../../src/api/crd.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import { resources } from '../../src/kube/resources.ts';
import { claimPatch, isFreeSpare } from '../../src/tenancy/node-pool.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { deployment } from '../support/guardrail-objects.ts';
import { asBreakGlass } from '../support/break-glass.ts';
import { getNode, notFullySpare, poolFields, poolNodes, restoreSpare } from '../support/node-pool.ts';
import { startOperator, waitForPhase, waitUntilGone } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const { http } = testCluster();
const settings = testEnvironment().platform.nodePools;
startOperator();
const worker = 'worker-3';

/** Every key of `now` missing from `before` set to null (a merge patch removing what the test added). */
function removedKeys(before: Record<string, string>, now: Record<string, string>): Record<string, null> {
  return Object.fromEntries(
    Object.keys(now)
      .filter((key) => !(key in before))
      .map((key) => [key, null]),
  );
}

/** Puts the worker back as it was (labels, taints, cordon, annotations) whatever the test did to it. */
async function restore(before: Node): Promise<void> {
  const { metadata: was = {}, spec = {} } = before;
  const { metadata: is = {} } = await getNode(http, worker);
  const labels = { ...removedKeys(was.labels ?? {}, is.labels ?? {}), ...was.labels };
  const annotations = removedKeys(was.annotations ?? {}, is.annotations ?? {});
  await http.request({
    method: 'PATCH',
    path: apiPath(resources.node, { name: worker }),
    contentType: 'application/merge-patch+json',
    body: {
      metadata: { labels, annotations },
      spec: { taints: spec.taints ?? null, unschedulable: spec.unschedulable ?? null },
    },
  });
}

/** A shared tenant's pod running on the worker (a hostname selector is the team's right): its uid. */
async function sharedPodOnWorker(team: string): Promise<string> {
  const web = deployment('web', (spec) => {
    spec.nodeSelector = { 'kubernetes.io/hostname': worker };
  });
  await http.request({ method: 'POST', path: `/apis/apps/v1/namespaces/${team}/deployments`, body: web });
  let uid = '';
  await waitFor(
    async () => {
      const { items } = await http.request<{ items: Pod[] }>({
        method: 'GET',
        path: apiPath(resources.pod, { namespace: team }),
      });
      const running = items.find((pod) => pod.status?.phase === 'Running' && pod.spec?.nodeName === worker);
      uid = running?.metadata?.uid ?? '';
      return running !== undefined;
    },
    `a pod of ${team} running on ${worker}`,
    60_000,
  );
  return uid;
}

describe('a shared worker labelled by hand with a tenant’s ownership label', () => {
  it('is neither drained nor turned into a spare when the tenant goes; other teams’ pods on it stay', async () => {
    const [pooled, bystander] = [uniqueName('owner'), uniqueName('bystander')];
    const before = await getNode(http, worker);
    try {
      const pool = validTenant(pooled, pooled);
      pool.spec.nodePool = { size: 1, instanceType: 'standard' };
      const shared = validTenant(bystander, bystander);
      delete shared.spec.nodePool;
      for (const tenant of [pool, shared])
        await http.request({ method: 'POST', path: apiPath(tenantResource), body: tenant });
      for (const name of [pooled, bystander]) await waitForPhase(name, 'Ready', 60_000);
      const uid = await sharedPodOnWorker(bystander);

      // The slip: an admin puts the tenant's ownership label on the wrong node.
      await http.request({
        method: 'PATCH',
        path: apiPath(resources.node, { name: worker }),
        contentType: 'application/merge-patch+json',
        body: { metadata: { labels: { [settings.ownerLabel]: pooled } } },
      });
      const labelled = poolFields(await getNode(http, worker));
      await http.request({ method: 'DELETE', path: apiPath(tenantResource, { name: pooled }) });
      await waitUntilGone(pooled, 90_000);

      const after = poolFields(await getNode(http, worker));
      assert.deepEqual(
        { taints: after.taints, unschedulable: after.unschedulable, pool: after.labels?.[settings.spare.label] },
        {
          taints: labelled.taints,
          unschedulable: labelled.unschedulable,
          pool: labelled.labels?.[settings.spare.label],
        },
        `${worker}, a shared worker Landlord never claimed, was cordoned, tainted or relabelled as a spare`,
      );
      const { items } = await http.request<{ items: Pod[] }>({
        method: 'GET',
        path: apiPath(resources.pod, { namespace: bystander }),
      });
      assert.equal(
        items.filter((pod) => pod.metadata?.uid === uid && !pod.metadata.deletionTimestamp).length,
        1,
        `${bystander}'s pod evicted`,
      );
    } finally {
      await restore(before);
      await http.send({ method: 'DELETE', path: apiPath(tenantResource, { name: bystander }) });
      await waitUntilGone(bystander, 90_000);
    }
  });

  it('is left alone when the label names a Tenant that does not exist, while that name’s true orphan is given back', async () => {
    const ghost = uniqueName('ghost');
    const before = await getNode(http, worker);
    const spare = (await poolNodes(http)).find((node) => isFreeSpare(node, 'standard', settings));
    assert.ok(spare, 'a free standard spare for the true orphan');
    const spareName = spare.metadata?.name as string;
    try {
      // The slip: the ownership label of a Tenant that is not there, on a shared worker.
      await http.request({
        method: 'PATCH',
        path: apiPath(resources.node, { name: worker }),
        contentType: 'application/merge-patch+json',
        body: { metadata: { labels: { [settings.ownerLabel]: ghost } } },
      });
      const labelled = poolFields(await getNode(http, worker));
      // The control: a node wholly claimed under that name by a Tenant since deleted (its UID), the sweep's to give back.
      const request = { tenant: ghost, team: ghost, size: 1, instanceType: 'standard' as const };
      await http.request({
        method: 'PATCH',
        path: apiPath(resources.node, { name: spareName }),
        contentType: 'application/merge-patch+json',
        headers: asBreakGlass,
        body: claimPatch(spare, request, 'uid-of-a-deleted-tenant', settings),
      });
      await waitFor(
        async () => notFullySpare(await getNode(http, spareName)) === undefined,
        `the orphan ${spareName} of the deleted ${ghost} to be given back`,
        60_000,
      );
      const after = poolFields(await getNode(http, worker));
      assert.deepEqual(
        { labels: after.labels, taints: after.taints, unschedulable: after.unschedulable, draining: after.draining },
        {
          labels: labelled.labels,
          taints: labelled.taints,
          unschedulable: labelled.unschedulable,
          draining: undefined,
        },
        `${worker}, labelled by hand for the missing ${ghost}, was cordoned, tainted or relabelled`,
      );
    } finally {
      await restore(before);
      const node = await getNode(http, spareName);
      if (notFullySpare(node)) await restoreSpare(http, node);
    }
  });
});
