// Red team, issue 13: attacks on dedicated nodes the platform refuses, beyond those of node-placement.test.ts and
// node-pool-attacks.test.ts. The attacker is a member of a team on shared nodes (kubectl --as, --as-group); the
// target is another team's dedicated node.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { tenantResource } from '../../src/api/crd.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import { resources } from '../../src/kube/resources.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { deployment } from '../support/guardrail-objects.ts';
import { nodesOf } from '../support/node-pool.ts';
import { startOperator, waitForPhase, waitUntilGone } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const { http } = testCluster();
const settings = testEnvironment().platform.nodePools;
startOperator();
const [victim, attacker] = [uniqueName('victim'), uniqueName('attacker')];
const asAttacker = { 'Impersonate-User': `${attacker}-dev@financecore.example`, 'Impersonate-Group': attacker };
let victimNode = '';

before(async () => {
  const pooled = validTenant(victim, victim);
  pooled.spec.nodePool = { size: 1, instanceType: 'standard' };
  const shared = validTenant(attacker, attacker);
  delete shared.spec.nodePool;
  for (const tenant of [pooled, shared])
    await http.request({ method: 'POST', path: apiPath(tenantResource), body: tenant });
  for (const name of [victim, attacker]) await waitForPhase(name, 'Ready', 60_000);
  victimNode = (await nodesOf(http, victim))[0]?.metadata?.name as string;
});
after(async () => {
  for (const name of [victim, attacker]) await http.send({ method: 'DELETE', path: apiPath(tenantResource, { name }) });
  for (const name of [victim, attacker]) await waitUntilGone(name, 90_000);
});

const send = (method: 'GET' | 'POST' | 'PATCH', path: string, body?: object, contentType?: string) =>
  http.send({ method, path, headers: asAttacker, body, ...(contentType ? { contentType } : {}) });
const podPath = (name?: string, subresource?: string) =>
  apiPath(resources.pod, { namespace: attacker, ...(name ? { name } : {}), ...(subresource ? { subresource } : {}) });

/** A gated Pod of the attacker (the scheduler leaves it alone until the gate is lifted). */
async function gatedPod(name: string): Promise<void> {
  const spec = { ...deployment(name).spec.template.spec, schedulingGates: [{ name: 'example.com/hold' }] };
  const answer = await send('POST', podPath(), { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec });
  assert.equal(answer.status, 201, answer.body.slice(0, 300));
}
const victimToleration = { key: settings.taintKey, operator: 'Equal', value: victim, effect: 'NoSchedule' };

describe('a member of a team on shared nodes going after another team’s dedicated node', () => {
  it('cannot bind its own pod to the node (pods/binding, bindings): the scheduler’s right only', async () => {
    await gatedPod('bind-me');
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'bind-me' },
      target: { apiVersion: 'v1', kind: 'Node', name: victimNode },
    };
    for (const path of [
      podPath('bind-me', 'binding'),
      apiPath(resources.pod, { namespace: attacker }).replace(/pods$/, 'bindings'),
    ]) {
      const answer = await send('POST', path, binding);
      assert.equal(answer.status, 403, `${path}: ${answer.status} ${answer.body.slice(0, 300)}`);
    }
    const pod = await http.request<Pod>({ method: 'GET', path: podPath('bind-me') });
    assert.equal(pod.spec?.nodeName, undefined, 'never bound');
  });

  it('cannot point a gated pod at the pool: a nodeSelector added before the gate is lifted is refused', async () => {
    await gatedPod('gated-selector');
    const answer = await send(
      'PATCH',
      podPath('gated-selector'),
      { spec: { nodeSelector: { [settings.placementLabel]: victim } } },
      'application/strategic-merge-patch+json',
    );
    assert.equal(answer.status, 403, answer.body.slice(0, 300));
    assert.match(answer.body, /only your own dedicated nodes/);
  });

  it('cannot land there with a node affinity added to a gated pod: the taint keeps it unscheduled', async () => {
    await gatedPod('gated-affinity');
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [victimNode] }] }],
        },
      },
    };
    const narrowed = await send(
      'PATCH',
      podPath('gated-affinity'),
      { spec: { affinity } },
      'application/merge-patch+json',
    );
    assert.equal(narrowed.status, 200, narrowed.body.slice(0, 300));
    const lifted = await send(
      'PATCH',
      podPath('gated-affinity'),
      { spec: { schedulingGates: null } },
      'application/merge-patch+json',
    );
    assert.equal(lifted.status, 200, lifted.body.slice(0, 300));
    await waitFor(
      async () => {
        const pod = await http.request<Pod>({ method: 'GET', path: podPath('gated-affinity') });
        return pod.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable') ?? false;
      },
      'the scheduler to find no node for the pod',
      60_000,
    );
    const pod = await http.request<Pod>({ method: 'GET', path: podPath('gated-affinity') });
    assert.equal(pod.spec?.nodeName, undefined, 'never bound to the dedicated node');
  });

  it('cannot carry the pool’s toleration in a ReplicationController, PodTemplate or CronJob', async () => {
    const spec = { ...deployment('x').spec.template.spec, tolerations: [victimToleration] };
    const template = { metadata: { labels: { app: 'x' } }, spec };
    const objects: [string, object][] = [
      [
        apiPath(resources.pod, { namespace: attacker }).replace(/pods$/, 'replicationcontrollers'),
        {
          apiVersion: 'v1',
          kind: 'ReplicationController',
          metadata: { name: 'rc' },
          spec: { replicas: 1, selector: { app: 'x' }, template },
        },
      ],
      [
        apiPath(resources.pod, { namespace: attacker }).replace(/pods$/, 'podtemplates'),
        { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'pt' }, template },
      ],
      [
        `/apis/batch/v1/namespaces/${attacker}/cronjobs`,
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          metadata: { name: 'cj' },
          spec: {
            schedule: '* * * * *',
            jobTemplate: { spec: { template: { ...template, spec: { ...spec, restartPolicy: 'Never' } } } },
          },
        },
      ],
    ];
    for (const [path, object] of objects) {
      const answer = await send('POST', path, object);
      assert.equal(answer.status, 403, `${path}: ${answer.status} ${answer.body.slice(0, 300)}`);
      // PodTemplates are beyond the team's role (RBAC); the others reach the guardrail.
      assert.match(
        answer.body,
        /only your own dedicated nodes|cannot create resource .{0,2}podtemplates/,
        answer.body.slice(0, 300),
      );
    }
  });

  it('cannot create a RuntimeClass (whose scheduling would add tolerations), nor read nodes or other Tenants', async () => {
    const runtimeClass = {
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: { name: uniqueName('escape') },
      handler: 'runc',
      scheduling: { tolerations: [victimToleration] },
    };
    const created = await send('POST', '/apis/node.k8s.io/v1/runtimeclasses', runtimeClass);
    assert.equal(created.status, 403, created.body.slice(0, 300));
    const { items } = await http.request<{ items: { metadata: { name: string }; scheduling?: unknown }[] }>({
      method: 'GET',
      path: '/apis/node.k8s.io/v1/runtimeclasses',
    });
    assert.deepEqual(
      items.filter((item) => item.scheduling).map((item) => item.metadata.name),
      [],
      'no RuntimeClass of the cluster adds tolerations or a nodeSelector to the pods that name it',
    );
    for (const path of [
      apiPath(resources.node),
      apiPath(resources.node, { name: victimNode }),
      apiPath(tenantResource, { name: victim }),
    ]) {
      const answer = await send('GET', path);
      assert.equal(answer.status, 403, `${path}: ${answer.status}`);
    }
  });
});

describe('a member of a pool tenant making its drain skip a pod', () => {
  it('cannot create a pod annotated as a mirror pod (which a drain leaves): the annotation needs a nodeName', async () => {
    const spec = deployment('static').spec.template.spec;
    const annotations = { 'kubernetes.io/config.mirror': 'hand-made' };
    for (const nodeName of [undefined, victimNode]) {
      const body = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'static', annotations },
        spec: { ...spec, ...(nodeName ? { nodeName } : {}) },
      };
      const answer = await send('POST', podPath(), body);
      assert.ok(
        [403, 422].includes(answer.status),
        `nodeName ${nodeName}: ${answer.status} ${answer.body.slice(0, 300)}`,
      );
    }
    assert.equal((await send('GET', podPath('static'))).status, 404, 'no such pod');
  });
});
