// Red team, issue 13: a drain that skips some of the team's own pods releases the node with them still running on
// it. The node goes back to the spare pool, then to another team, and the first team's pod keeps running on that
// team's dedicated node: the taints are NoSchedule (nothing already there is moved) and no one re-checks a running
// pod's nodeSelector. How a member made the drain skip a pod: a DaemonSet of its own (ADR 22 lets a pool
// tenant run one; a DaemonSet pod was left by a drain, and its controller keeps it on a node whose NoSchedule taint
// it no longer tolerates). (A bare pod annotated as a mirror pod, which the drain skips too, is refused:
// redteam-nodes-refused.test.ts.) The fix (ADR 25): a drain waits for every pod but the platform's daemons, takes
// the pool's placement label off the node, and a DaemonSet in a pool's namespace must select its pool, so its
// controller removes its own pod; one that does not (planted as break-glass) holds the node, reported.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { tenantResource } from '../../src/api/crd.ts';
import type { Tenant } from '../../src/api/tenant.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import { resources } from '../../src/kube/resources.ts';
import { isFreeSpare } from '../../src/tenancy/node-pool.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { asBreakGlass } from '../support/break-glass.ts';
import { deployment } from '../support/guardrail-objects.ts';
import { getNode, nodesOf, notFullySpare, poolNodes } from '../support/node-pool.ts';
import { startOperator, waitForPhase, waitUntilGone } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const { http } = testCluster();
const settings = testEnvironment().platform.nodePools;
startOperator();
const instanceType = 'memory-optimized';
const member = (team: string) => ({ 'Impersonate-User': `${team}-dev@financecore.example`, 'Impersonate-Group': team });
const cordonedHere: string[] = [];

const setCordon = (name: string, unschedulable: boolean) =>
  http.request({
    method: 'PATCH',
    path: apiPath(resources.node, { name }),
    contentType: 'application/merge-patch+json',
    body: { spec: { unschedulable: unschedulable || null } },
  });
after(async () => {
  for (const name of cordonedHere) await setCordon(name, false);
});

/** A tenant of its own team holding one dedicated node: its name and the node's. */
async function tenantWithOneNode(prefix: string): Promise<{ team: string; node: string }> {
  const team = uniqueName(prefix);
  const document = validTenant(team, team);
  document.spec.nodePool = { size: 1, instanceType };
  await http.request({ method: 'POST', path: apiPath(tenantResource), body: document });
  await waitForPhase(team, 'Ready', 60_000);
  const [node] = await nodesOf(http, team);
  return { team, node: node?.metadata?.name as string };
}

/** Creates an object in the team's namespace as a member of the team (kubectl --as, --as-group). */
async function createAsMember(team: string, path: string, body: object): Promise<void> {
  const answer = await http.send({ method: 'POST', path, headers: member(team), body });
  assert.equal(answer.status, 201, `${path} as a member of ${team}: ${answer.status} ${answer.body.slice(0, 400)}`);
}

const liveTeamPodsOn = async (team: string, node: string) =>
  (
    await http.request<{ items: Pod[] }>({
      method: 'GET',
      path: apiPath(resources.pod, { namespace: team }),
      query: { fieldSelector: `spec.nodeName=${node}` },
    })
  ).items.filter((pod) => !pod.metadata?.deletionTimestamp);

async function runningOn(team: string, node: string): Promise<string> {
  let name = '';
  await waitFor(
    async () => {
      const running = (await liveTeamPodsOn(team, node)).find((pod) => pod.status?.phase === 'Running');
      name = running?.metadata?.name ?? '';
      return running !== undefined;
    },
    `a pod of ${team} running on its node ${node}`,
    60_000,
  );
  return name;
}

/** Takes the pool off the tenant's spec. */
async function removePool(team: string): Promise<void> {
  await http.request({
    method: 'PATCH',
    path: apiPath(tenantResource, { name: team }),
    contentType: 'application/merge-patch+json',
    body: { spec: { nodePool: null } },
  });
}

/** Takes the pool off the tenant and waits until its node is back in the spare pool. */
async function removePoolAndWaitForRelease(team: string, node: string): Promise<void> {
  await removePool(team);
  await waitFor(
    async () => notFullySpare(await getNode(http, node)) === undefined,
    `${node} to be drained and released to the spare pool`,
    60_000,
  );
}

/** A second team claims the released node: every other free spare of the type cordoned meanwhile (restored after). */
async function anotherTeamClaims(node: string): Promise<string> {
  const others = (await poolNodes(http)).filter(
    (candidate: Node) => candidate.metadata?.name !== node && isFreeSpare(candidate, instanceType, settings),
  );
  for (const other of others) {
    const name = other.metadata?.name as string;
    cordonedHere.push(name);
    await setCordon(name, true);
  }
  try {
    const victim = await tenantWithOneNode('victim');
    assert.equal(victim.node, node, 'the only free node of the type is the one released');
    return victim.team;
  } finally {
    for (const name of cordonedHere.splice(0)) await setCordon(name, false);
  }
}

/** The attacker's pods on the node once another team holds it: what must be empty. */
async function assertNoneLeftOn(attacker: string, node: string, victim: string): Promise<void> {
  const left = (await liveTeamPodsOn(attacker, node)).map((pod) => `${attacker}/${pod.metadata?.name}`);
  assert.deepEqual(
    left,
    [],
    `${left.join(', ')} still run(s) on ${node}, now a dedicated node of ${victim}: the drain released the node ` +
      `with the team's pods on it`,
  );
}

async function cleanUp(...teams: string[]): Promise<void> {
  for (const team of teams) await http.send({ method: 'DELETE', path: apiPath(tenantResource, { name: team }) });
  for (const team of teams) await waitUntilGone(team, 90_000);
}

/** A DaemonSet of the team's agent tolerating its own pool's taint; `selects`: its template names its pool too. */
function agentDaemonSet(team: string, selects: boolean): object {
  const agent = deployment('agent', (spec) => {
    spec.tolerations = [{ key: settings.taintKey, operator: 'Equal', value: team, effect: 'NoSchedule' }];
    if (selects) spec.nodeSelector = { [settings.placementLabel]: team };
  });
  const { replicas: _replicas, ...spec } = agent.spec;
  return { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: agent.metadata, spec };
}

/** The message of the node's entry in the tenant's status.nodePool. */
async function nodeMessage(team: string, node: string): Promise<string> {
  const tenant = await http.request<Tenant>({ method: 'GET', path: apiPath(tenantResource, { name: team }) });
  return tenant.status?.nodePool?.nodes?.find((entry) => entry.name === node)?.message ?? '';
}

describe('a member keeps a pod on a node its pool gives back, and so on another team’s dedicated node', () => {
  it('through a DaemonSet tolerating its own pool without selecting it: refused, naming the field', async () => {
    const { team } = await tenantWithOneNode('leaver');
    try {
      const path = `/apis/apps/v1/namespaces/${team}/daemonsets`;
      const answer = await http.send({
        method: 'POST',
        path,
        headers: member(team),
        body: agentDaemonSet(team, false),
      });
      assert.equal(answer.status, 403, `${answer.status} ${answer.body.slice(0, 400)}`);
      assert.match(answer.body, /DaemonSet must select its pool itself/);
      assert.match(answer.body, /spec\.template\.spec\.nodeSelector/);
    } finally {
      await cleanUp(team);
    }
  });

  it('through a DaemonSet selecting its own pool: its controller removes its pod before the release', async () => {
    const { team, node } = await tenantWithOneNode('leaver');
    let victim = '';
    try {
      await createAsMember(team, `/apis/apps/v1/namespaces/${team}/daemonsets`, agentDaemonSet(team, true));
      await runningOn(team, node);
      await removePoolAndWaitForRelease(team, node);
      victim = await anotherTeamClaims(node);
      await assertNoneLeftOn(team, node, victim);
      const kept = await http.send({ method: 'GET', path: `/apis/apps/v1/namespaces/${team}/daemonsets/agent` });
      assert.equal(kept.status, 200, 'Landlord deletes nothing of the team: the DaemonSet is still there');
    } finally {
      await cleanUp(team, ...(victim ? [victim] : []));
    }
  });

  it('through a DaemonSet ignoring its pool (planted as break-glass): the node is held, its pod named', async () => {
    const { team, node } = await tenantWithOneNode('leaver');
    const path = `/apis/apps/v1/namespaces/${team}/daemonsets`;
    try {
      await http.request({ method: 'POST', path, headers: asBreakGlass, body: agentDaemonSet(team, false) });
      const pod = await runningOn(team, node);
      await removePool(team);
      await waitFor(
        async () => (await nodeMessage(team, node)).includes(`${team}/${pod}`),
        `the status of ${team} to name the DaemonSet pod ${pod} holding ${node}`,
        60_000,
      );
      assert.notEqual(notFullySpare(await getNode(http, node)), undefined, `${node} released with ${pod} on it`);
      assert.equal((await liveTeamPodsOn(team, node)).length, 1, 'the drain deletes nothing');
      await http.request({ method: 'DELETE', path: `${path}/agent`, headers: asBreakGlass });
      await waitFor(
        async () => notFullySpare(await getNode(http, node)) === undefined,
        `${node} released once the DaemonSet is gone`,
        60_000,
      );
    } finally {
      await http.send({ method: 'DELETE', path: `${path}/agent`, headers: asBreakGlass });
      await cleanUp(team);
    }
  });
});
