// Issue 13 point 4: the pods of a tenant with a dedicated node pool land on its nodes without the team writing a
// nodeSelector, nobody else's do, and no team escapes its placement: each attack a member tries through kubectl
// (impersonating the directory user and group), against the real scheduler and KWOK's nodes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Pod, Toleration } from 'kubernetes-types/core/v1.js';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { deployment } from '../support/guardrail-objects.ts';
import { kubectl } from '../support/kubectl.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';
import { policyTypeWarnings } from '../support/policy-type-check.ts';
import { completePoolByHand, listNodes, releaseNodes } from '../support/pool-nodes.ts';
import { waitFor } from '../support/wait.ts';

const { http, kubeconfig } = testCluster();
const settings = testEnvironment().platform.nodePools;
const { placementLabel, taintKey } = settings;
const spareKey = settings.spare.label;
startOperator();
const [pooled, shared] = [uniqueName('placed'), uniqueName('shared')];
const scratch = mkdtempSync(join(tmpdir(), 'landlord-placement-'));
/** The pool's nodes, and those this file claimed by hand (the operator's claiming is built beside this). */
let pool: string[] = [];
let claimedHere: string[] = [];

const member = (team: string) => ['--as', `${team}-dev@financecore.example`, '--as-group', team];

/** kubectl as a member of the namespace's team: its output, or the error kubectl printed. */
async function asMember(namespace: string, ...args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout } = await kubectl(kubeconfig, ...member(namespace), '-n', namespace, ...args);
    return { ok: true, output: stdout };
  } catch (error) {
    return { ok: false, output: (error as { stderr?: string }).stderr ?? String(error) };
  }
}
async function create(namespace: string, object: object) {
  const file = join(scratch, `${uniqueName('object')}.json`);
  writeFileSync(file, JSON.stringify(object));
  return asMember(namespace, 'create', '-f', file);
}
async function refused(namespace: string, object: object, message: RegExp): Promise<void> {
  const { ok, output } = await create(namespace, object);
  assert.equal(ok, false, `admitted: ${output}`);
  assert.match(output, /Forbidden/, output);
  assert.match(output, message, output);
}

/** A Pod passing Pod Security (restricted), its spec changed by `change`. */
function pod(name: string, change: (spec: Record<string, unknown>) => void = () => {}) {
  const spec = deployment(name).spec.template.spec as Record<string, unknown>;
  change(spec);
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: name } }, spec };
}
const tolerating =
  (...tolerations: Toleration[]) =>
  (spec: Record<string, unknown>) => {
    spec.tolerations = tolerations;
  };
const podsOf = async (namespace: string, app: string) =>
  (
    await http.request<{ items: Pod[] }>({
      method: 'GET',
      path: `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(`app=${app}`)}`,
    })
  ).items;

/** Waits until `count` pods of the app run, returning them. */
async function running(namespace: string, app: string, count: number): Promise<Pod[]> {
  let pods: Pod[] = [];
  await waitFor(
    async () => {
      pods = await podsOf(namespace, app);
      return pods.length === count && pods.every((p) => p.status?.phase === 'Running' && p.spec?.nodeName);
    },
    `${count} running pod(s) of ${namespace}/${app}`,
    60_000,
  );
  return pods;
}
const nodesOf = (pods: Pod[]) => [...new Set(pods.map((p) => p.spec?.nodeName ?? ''))].toSorted();

before(async () => {
  const poolTenant = validTenant(pooled, pooled);
  poolTenant.spec.nodePool = { size: 2, instanceType: 'standard' };
  const sharedTenant = validTenant(shared, shared);
  delete sharedTenant.spec.nodePool;
  for (const tenant of [poolTenant, sharedTenant])
    await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: tenant });
  for (const tenant of [pooled, shared]) await waitForPhase(tenant, 'Ready');
  ({ pool, claimedHere } = await completePoolByHand(
    http,
    { tenant: pooled, team: pooled, size: 2, instanceType: 'standard' },
    settings,
  ));
});
after(async () => {
  await releaseNodes(http, claimedHere, settings);
  rmSync(scratch, { recursive: true, force: true });
});

describe('placement: the team writes no nodeSelector', () => {
  it("runs a Deployment of 4 replicas of the pool's tenant on the pool's two nodes only", async () => {
    const written = deployment('payments');
    written.spec.replicas = 4;
    const { ok, output } = await create(pooled, written);
    assert.ok(ok, output);
    const pods = await running(pooled, 'payments', 4);
    assert.deepEqual(nodesOf(pods), pool.toSorted(), 'every replica on a node of the pool');
    for (const placed of pods) {
      assert.equal(placed.spec?.nodeSelector?.[placementLabel], pooled);
      assert.ok(
        placed.spec?.tolerations?.some(
          (t) => t.key === taintKey && t.value === pooled && t.effect === 'NoSchedule' && t.operator === 'Equal',
        ),
        JSON.stringify(placed.spec?.tolerations),
      );
    }
    const stored = await http.request<{ spec: { template: { spec: { nodeSelector?: object } } } }>({
      method: 'GET',
      path: `/apis/apps/v1/namespaces/${pooled}/deployments/payments`,
    });
    assert.equal(stored.spec.template.spec.nodeSelector, undefined, 'the Deployment stays as the team wrote it');
  });

  it("keeps the team's own tolerations beside the pool's", async () => {
    const maintenance: Toleration = { key: 'example.com/maintenance', operator: 'Exists', effect: 'NoExecute' };
    const { ok, output } = await create(pooled, pod('tolerant', tolerating(maintenance)));
    assert.ok(ok, output);
    const [placed] = await running(pooled, 'tolerant', 1);
    const keys = placed?.spec?.tolerations?.map((t) => `${t.key}=${t.value ?? ''}`) ?? [];
    assert.ok(keys.includes('example.com/maintenance='), keys.join(', '));
    assert.ok(keys.includes(`${taintKey}=${pooled}`), keys.join(', '));
    assert.ok(pool.includes(placed?.spec?.nodeName ?? ''));
  });

  it("runs a Deployment of the shared tenant on shared nodes, never on the pool's nor on a spare", async () => {
    const written = deployment('ledger');
    written.spec.replicas = 4;
    const { ok, output } = await create(shared, written);
    assert.ok(ok, output);
    const pods = await running(shared, 'ledger', 4);
    const spare = (await listNodes(http))
      .filter((node) => node.spec?.taints?.some((taint) => taint.key === spareKey))
      .map((node) => node.metadata?.name);
    for (const node of nodesOf(pods)) {
      assert.ok(!pool.includes(node), `${node} is a node of ${pooled}'s pool`);
      assert.ok(!spare.includes(node), `${node} is a spare node`);
    }
    for (const placed of pods) assert.equal(placed.spec?.nodeSelector?.[placementLabel], undefined);
  });
});

describe("attacks: a member tries to leave its pool or enter another's", () => {
  it("cannot select another pool: a Pod's nodeSelector is set to its own pool, a Deployment's is refused", async () => {
    const { ok, output } = await create(
      pooled,
      pod('elsewhere', (spec) => (spec.nodeSelector = { [placementLabel]: shared, 'kubernetes.io/os': 'linux' })),
    );
    assert.ok(ok, output);
    const [placed] = await running(pooled, 'elsewhere', 1);
    assert.deepEqual(placed?.spec?.nodeSelector, { [placementLabel]: pooled, 'kubernetes.io/os': 'linux' });
    assert.ok(pool.includes(placed?.spec?.nodeName ?? ''), placed?.spec?.nodeName);

    await refused(
      pooled,
      deployment('elsewhere-deploy', (spec) => (spec.nodeSelector = { [placementLabel]: 'devteam-c' })),
      new RegExp(
        `landlord guardrail \\(only your own dedicated nodes\\): Deployment ${pooled}/elsewhere-deploy \\(its pod template\\) sets spec.template.spec.nodeSelector\\[${placementLabel}\\]: "devteam-c"; the pods of namespace ${pooled} run on the dedicated nodes of ${pooled} only`,
      ),
    );
  });

  it("cannot select a pool's nodes from a tenant without one", async () => {
    await refused(
      shared,
      pod('intruder', (spec) => (spec.nodeSelector = { [placementLabel]: pooled })),
      new RegExp(
        `only your own dedicated nodes\\): Pod ${shared}/intruder sets spec.nodeSelector\\[${placementLabel}\\]: "${pooled}", but namespace ${shared} has no dedicated nodes: remove it`,
      ),
    );
  });

  it("cannot tolerate another team's taint, nor the dedicated key with Exists", async () => {
    await refused(
      shared,
      pod('squatter', tolerating({ key: taintKey, operator: 'Equal', value: pooled, effect: 'NoSchedule' })),
      new RegExp(
        `only your own dedicated nodes\\): Pod ${shared}/squatter tolerates spec.tolerations ${taintKey}=${pooled}:NoSchedule in namespace ${shared}, which has no dedicated nodes`,
      ),
    );
    await refused(
      pooled,
      deployment('neighbour', tolerating({ key: taintKey, operator: 'Equal', value: shared, effect: 'NoSchedule' })),
      new RegExp(
        `Deployment ${pooled}/neighbour \\(its pod template\\) tolerates spec.template.spec.tolerations ${taintKey}=${shared}:NoSchedule in namespace ${pooled}: only ${taintKey}=${pooled}:NoSchedule is allowed here`,
      ),
    );
    await refused(
      pooled,
      pod('any-pool', tolerating({ key: taintKey, operator: 'Exists' })),
      new RegExp(`tolerates spec.tolerations ${taintKey} Exists:\\(every effect\\) in namespace ${pooled}: only`),
    );
  });

  it('cannot reach a spare node by tolerating the spare taint (what a member did on the platform before)', async () => {
    const spareToleration = { key: spareKey, operator: 'Equal', value: settings.spare.value, effect: 'NoSchedule' };
    for (const namespace of [shared, pooled]) {
      await refused(
        namespace,
        pod('on-spare', (spec) => {
          spec.tolerations = [spareToleration];
          spec.nodeSelector = { [spareKey]: settings.spare.value };
        }),
        new RegExp(
          `landlord guardrail \\(no spare nodes\\): Pod ${namespace}/on-spare tolerates the spare nodes’ taint in spec.tolerations \\(${spareKey}=${settings.spare.value}:NoSchedule\\): no toleration of ${spareKey} is allowed`,
        ),
      );
    }
    await refused(
      shared,
      deployment('spare-any', tolerating({ key: spareKey, operator: 'Exists' })),
      /no spare nodes\): Deployment \S+\/spare-any \(its pod template\) tolerates .* \(landlord.dev\/node-pool Exists:\(every effect\)\)/,
    );
  });

  it('cannot tolerate every taint with a toleration without a key', async () => {
    await refused(
      shared,
      pod('wildcard', tolerating({ operator: 'Exists' })),
      new RegExp(
        `landlord guardrail \\(no wildcard tolerations\\): Pod ${shared}/wildcard has spec.tolerations without a key \\(\\(no key\\) Exists:\\(every effect\\)\\), which tolerate every taint`,
      ),
    );
    await refused(
      pooled,
      deployment('wildcard-deploy', tolerating({ operator: 'Exists', effect: 'NoSchedule' })),
      /no wildcard tolerations\): Deployment \S+\/wildcard-deploy \(its pod template\) has spec.template.spec.tolerations without a key \(\(no key\) Exists:NoSchedule\)/,
    );
  });

  it('cannot name a node (spec.nodeName skips the scheduler and every taint)', async () => {
    const [spareNode] = (await listNodes(http))
      .filter((node) => node.spec?.taints?.some((taint) => taint.key === spareKey))
      .map((node) => node.metadata?.name ?? '');
    assert.ok(spareNode);
    await refused(
      shared,
      pod('pinned', (spec) => (spec.nodeName = spareNode)),
      new RegExp(
        `landlord guardrail \\(no nodeName\\): Pod ${shared}/pinned sets spec.nodeName: ${spareNode}, which puts it on that node past the scheduler and the node’s taints`,
      ),
    );
    await refused(
      shared,
      deployment('pinned-deploy', (spec) => (spec.nodeName = pool[0])),
      new RegExp(
        `no nodeName\\): Deployment ${shared}/pinned-deploy \\(its pod template\\) sets spec.template.spec.nodeName: ${pool[0]}`,
      ),
    );
    assert.deepEqual(await podsOf(shared, 'pinned'), [], 'no pod was created');
  });

  it('cannot add a forbidden toleration to a pod once created', async () => {
    const { ok, output } = await create(shared, pod('later'));
    assert.ok(ok, output);
    await running(shared, 'later', 1);
    const patch = JSON.stringify({ spec: { tolerations: [{ key: spareKey, operator: 'Exists' }] } });
    const added = await asMember(shared, 'patch', 'pod', 'later', '--type', 'strategic', '-p', patch);
    assert.equal(added.ok, false, added.output);
    assert.match(added.output, /no spare nodes\): Pod \S+\/later tolerates the spare nodes’ taint/);
  });

  it("cannot leave the pool's nodes with a node affinity: the pod stays unscheduled", async () => {
    const [worker] = (await listNodes(http))
      .filter((node) => !node.spec?.taints?.length)
      .map((node) => node.metadata?.name ?? '');
    const { ok, output } = await create(
      pooled,
      pod('escape', (spec) => {
        spec.affinity = {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [worker] }] },
              ],
            },
          },
        };
      }),
    );
    assert.ok(ok, output);
    await waitFor(async () => {
      const [stuck] = await podsOf(pooled, 'escape');
      return Boolean(stuck?.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable'));
    }, 'the scheduler to find no node for the escaping pod');
    const [stuck] = await podsOf(pooled, 'escape');
    assert.equal(stuck?.spec?.nodeName, undefined, 'never bound to a node');
  });
});

describe('attacks: a member dresses its pods as a house’s control plane', () => {
  it('keeps on the pool the pods of a StatefulSet named after the team (only a house’s control plane runs shared)', async () => {
    const written = deployment(pooled);
    const statefulSet = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: pooled, labels: { app: 'vcluster', release: pooled } },
      spec: { ...written.spec, serviceName: pooled, replicas: 1 },
    };
    const { ok, output } = await create(pooled, statefulSet);
    assert.ok(ok, output);
    const pods = await running(pooled, pooled, 1);
    for (const node of nodesOf(pods)) assert.ok(pool.includes(node), `${node} is not one of the pool’s nodes`);
    assert.equal(pods[0]?.spec?.nodeSelector?.[placementLabel], pooled, 'placed like every pod of the pool');
  });
});

describe('what a pool tenant may write for itself', () => {
  it("runs its DaemonSet on the pool's nodes when the template names its own pool and toleration", async () => {
    const agent = deployment('pool-agent', (spec) => {
      spec.nodeSelector = { [placementLabel]: pooled };
      spec.tolerations = [{ key: taintKey, operator: 'Equal', value: pooled, effect: 'NoSchedule' }];
    });
    const daemonSet = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: agent.metadata, spec: agent.spec };
    delete (daemonSet.spec as { replicas?: number }).replicas;
    const { ok, output } = await create(pooled, daemonSet);
    assert.ok(ok, output);
    const pods = await running(pooled, 'pool-agent', 2);
    assert.deepEqual(nodesOf(pods), pool.toSorted());
  });
});

describe('the policies as the API server reads them', () => {
  it('raise no type-checker warning in the guardrail (a mistyped field would never refuse)', async () => {
    assert.deepEqual(await policyTypeWarnings(http, 'landlord-guard-node-placement'), []);
  });
});

describe('the platform itself is not judged', () => {
  it('runs a DaemonSet in a platform namespace on every node, spare and dedicated ones included', async () => {
    const namespace = 'landlord-system';
    const daemonSet = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: uniqueName('node-agent'), namespace },
      spec: {
        selector: { matchLabels: { app: 'node-agent' } },
        template: {
          metadata: { labels: { app: 'node-agent' } },
          spec: {
            tolerations: [{ operator: 'Exists' }],
            containers: [{ name: 'agent', image: 'registry.financecore.local/node-agent:1' }],
          },
        },
      },
    };
    const path = `/apis/apps/v1/namespaces/${namespace}/daemonsets`;
    await http.request({ method: 'POST', path, body: daemonSet });
    try {
      const nodes = (await listNodes(http)).length;
      await waitFor(
        async () => {
          const live = await http.request<{ status?: { numberAvailable?: number } }>({
            method: 'GET',
            path: `${path}/${daemonSet.metadata.name}`,
          });
          return live.status?.numberAvailable === nodes;
        },
        `the DaemonSet's pods to run on all ${nodes} nodes`,
        90_000,
      );
    } finally {
      await http.send({
        method: 'DELETE',
        path: `${path}/${daemonSet.metadata.name}?propagationPolicy=Foreground`,
      });
    }
  });
});
