// The local cluster's simulated kubelets (our KWOK stages, src/dev/cluster/kwok-stages.ts) against the real API
// server: what a kubelet reports that Kubernetes and vCluster rely on. The tests work on nodes of their own,
// tainted so no other test's pod lands there; their pods tolerate the taint and select the node by its label.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Container, Node, Pod } from 'kubernetes-types/core/v1.js';
import { kwokStoppedAnnotation } from '../../src/dev/cluster/kwokctl-config.ts';
import { apiPath, type ResourceType } from '../../src/kube/api-path.ts';
import { resources } from '../../src/kube/resources.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { waitFor } from '../support/wait.ts';

const { http } = testCluster();
const jobs: ResourceType = { apiVersion: 'batch/v1', kind: 'Job', plural: 'jobs', namespaced: true };
const namespace = uniqueName('kwok-stages');
const node = uniqueName('kwok-node');
const createdNodes: string[] = [];
const testNode = 'landlord.dev/kwok-stages-test';
/** Onto this file's node through the scheduler (the node-placement guardrail refuses spec.nodeName). */
const placement = {
  nodeSelector: { [testNode]: node },
  tolerations: [{ key: testNode, operator: 'Exists' as const, effect: 'NoSchedule' as const }],
};

const getNode = (name: string) => http.request<Node>({ method: 'GET', path: apiPath(resources.node, { name }) });
const getPod = (name: string) =>
  http.request<Pod>({ method: 'GET', path: apiPath(resources.pod, { namespace, name }) });
const isReady = (object: Node | Pod) =>
  object.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false;

/** A node of this file only: KWOK plays its kubelet, nothing else is scheduled there. */
async function createNode(name: string, annotations: Record<string, string> = {}): Promise<void> {
  const body: Node = {
    metadata: { name, annotations: { 'kwok.x-k8s.io/node': 'fake', ...annotations }, labels: { [testNode]: name } },
    spec: { taints: [{ key: testNode, effect: 'NoSchedule' }] },
  };
  await http.request({ method: 'POST', path: apiPath(resources.node), body });
  createdNodes.push(name);
}

async function createPod(name: string, containers: Container[], extra: Partial<Pod['spec']> = {}): Promise<void> {
  const body: Pod = { metadata: { name }, spec: { ...placement, containers, ...extra } };
  await http.request({ method: 'POST', path: apiPath(resources.pod, { namespace }), body });
}

const containerStatus = (pod: Pod, name: string) =>
  pod.status?.containerStatuses?.find((status) => status.name === name);
const conditionStatus = (pod: Pod, type: string) =>
  pod.status?.conditions?.find((condition) => condition.type === type)?.status;

/** KWOK holds the node's lease and renews it before it runs out: the node controller never takes it for gone. */
async function assertLeaseHeld(name: string): Promise<void> {
  const lease = () =>
    http.request<Lease>({ method: 'GET', path: apiPath(resources.lease, { namespace: 'kube-node-lease', name }) });
  await waitFor(async () => Boolean((await lease()).spec?.renewTime), `a lease for ${name}`);
  const { holderIdentity, renewTime = '', leaseDurationSeconds = 0 } = (await lease()).spec ?? {};
  assert.ok(holderIdentity, 'the lease is held');
  assert.ok(Date.parse(renewTime) + leaseDurationSeconds * 1000 > Date.now(), `the lease is valid (${renewTime})`);
}

/** The resources each container reports, by name. */
const reported = (pod: Pod) =>
  Object.fromEntries((pod.status?.containerStatuses ?? []).map((status) => [status.name, status.resources]));

// Images from the platform's mirror: the registry guardrail holds in every namespace.
const app: Container = {
  name: 'app',
  image: 'registry.financecore.local/app:1',
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
};
const bare: Container = { name: 'bare', image: 'registry.financecore.local/bare:1' };

describe('the local cluster kubelets (KWOK stages)', () => {
  before(async () => {
    await http.request({ method: 'POST', path: apiPath(resources.namespace), body: { metadata: { name: namespace } } });
    await createNode(node);
  });
  after(async () => {
    await http.send({ method: 'DELETE', path: apiPath(resources.namespace, { name: namespace }) });
    for (const name of createdNodes) await http.send({ method: 'DELETE', path: apiPath(resources.node, { name }) });
  });

  it('brings a new node Ready with addresses, capacity and node info, and holds its lease', async () => {
    await waitFor(async () => isReady(await getNode(node)), `${node} Ready`);
    const { addresses = [], capacity = {}, allocatable = {}, nodeInfo } = (await getNode(node)).status ?? {};
    assert.ok(addresses.some((address) => address.type === 'Hostname'));
    assert.ok(capacity.cpu && allocatable.pods);
    assert.match(nodeInfo?.kubeletVersion ?? '', /^kwok-/);
    await assertLeaseHeld(node);
    assert.ok(isReady(await getNode(node)), 'still Ready');
  });

  it('runs a pod and reports each container resources as its spec has them (requests, limits, allocated)', async () => {
    await createPod('resources', [app, bare], {
      initContainers: [
        { name: 'setup', image: 'registry.financecore.local/setup:1' },
        { name: 'sidecar', image: 'registry.financecore.local/sidecar:1', restartPolicy: 'Always' },
      ],
      readinessGates: [{ conditionType: 'example.com/gate' }],
    });
    await waitFor(async () => isReady(await getPod('resources')), 'the pod Ready');
    const pod = await getPod('resources');
    const { phase, podIP, initContainerStatuses = [] } = pod.status ?? {};
    assert.equal(phase, 'Running');
    assert.ok(podIP, 'the pod has an IP');
    assert.deepEqual(reported(pod), { app: app.resources, bare: {} });
    const appStatus = containerStatus(pod, 'app');
    assert.deepEqual(appStatus?.allocatedResources, app.resources?.requests);
    assert.ok(appStatus?.state?.running);
    assert.equal(conditionStatus(pod, 'example.com/gate'), 'True', 'readiness gates are met');
    const init = Object.fromEntries(initContainerStatuses.map((status) => [status.name, status.state]));
    assert.equal(init.setup?.terminated?.reason, 'Completed');
    assert.ok(init.sidecar?.running, 'a sidecar init container keeps running');
  });

  it('accepts an in-place resize as vCluster sends it, and then reports the new resources', async () => {
    await createPod('resize', [app, bare]);
    await waitFor(async () => isReady(await getPod('resize')), 'the pod Ready');
    const resize = (body: object) =>
      http.request<Pod>({
        method: 'PATCH',
        path: apiPath(resources.pod, { namespace, name: 'resize', subresource: 'resize' }),
        contentType: 'application/strategic-merge-patch+json',
        body,
      });
    // vCluster patches even when nothing changes (a container without resources of its own).
    await resize({ spec: { containers: [{ name: 'bare', resources: {} }] } });
    const wanted = { requests: { cpu: '200m', memory: '64Mi' }, limits: { cpu: '700m', memory: '128Mi' } };
    const resized = await resize({ spec: { containers: [{ name: 'app', resources: wanted }] } });
    assert.deepEqual(resized.spec?.containers.find((container) => container.name === 'app')?.resources, wanted);
    await waitFor(
      async () => isDeepStrictEqual(reported(await getPod('resize')).app, wanted),
      'the new resources reported',
    );
    const pod = await getPod('resize');
    assert.deepEqual(reported(pod), { app: wanted, bare: {} });
    const appStatus = containerStatus(pod, 'app');
    assert.deepEqual(appStatus?.allocatedResources, wanted.requests);
    assert.ok(appStatus?.state?.running, 'still running after the resize');
    assert.ok(isReady(pod));
  });

  it('gives a running pod its conditions back when a writer replaced them with an older list, as a kubelet would', async () => {
    await createPod('conditions', [app]);
    await waitFor(async () => isReady(await getPod('conditions')), 'the pod Ready');
    const pod = await getPod('conditions');
    // What was seen once in a house: the pod Running, its containers ready, its conditions only PodScheduled.
    const scheduled = pod.status?.conditions?.filter((condition) => condition.type === 'PodScheduled') ?? [];
    await http.request({
      method: 'PUT',
      path: apiPath(resources.pod, { namespace, name: 'conditions', subresource: 'status' }),
      body: { ...pod, status: { ...pod.status, conditions: scheduled } },
    });
    await waitFor(async () => isReady(await getPod('conditions')), 'the Ready condition back');
    const restored = await getPod('conditions');
    for (const type of ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'])
      assert.equal(conditionStatus(restored, type), 'True', type);
    assert.equal(restored.status?.phase, 'Running');
  });

  it('completes a Job pod', async () => {
    const body = {
      metadata: { name: 'once' },
      spec: {
        backoffLimit: 0,
        template: { spec: { ...placement, restartPolicy: 'Never', containers: [{ ...bare, name: 'work' }] } },
      },
    };
    await http.request({ method: 'POST', path: apiPath(jobs, { namespace }), body });
    await waitFor(async () => {
      const job = await http.request<{ status?: { succeeded?: number } }>({
        method: 'GET',
        path: apiPath(jobs, { namespace, name: 'once' }),
      });
      return job.status?.succeeded === 1;
    }, 'the Job succeeded');
    const pods = await http.request<{ items: Pod[] }>({
      method: 'GET',
      path: apiPath(resources.pod, { namespace }),
      query: { labelSelector: 'job-name=once' },
    });
    const [pod] = pods.items;
    assert.equal(pod?.status?.phase, 'Succeeded');
    const work = pod?.status?.containerStatuses?.[0];
    assert.equal(work?.state?.terminated?.exitCode, 0);
    assert.equal(work?.ready, false);
  });

  it('removes a deleted pod', async () => {
    await createPod('doomed', [bare]);
    await waitFor(async () => isReady(await getPod('doomed')), 'the pod Ready');
    await http.request({ method: 'DELETE', path: apiPath(resources.pod, { namespace, name: 'doomed' }) });
    await waitFor(async () => {
      const { status } = await http.send({
        method: 'GET',
        path: apiPath(resources.pod, { namespace, name: 'doomed' }),
      });
      return status === 404;
    }, 'the pod gone');
  });

  it(`leaves alone a node annotated ${kwokStoppedAnnotation}=true (its kubelet stopped)`, async () => {
    const stopped = uniqueName('kwok-stopped');
    const running = uniqueName('kwok-running');
    await createNode(stopped, { [kwokStoppedAnnotation]: 'true' });
    await createNode(running);
    // Both created together: once KWOK has made the one Ready, it has seen the other too.
    await waitFor(async () => isReady(await getNode(running)), `${running} Ready`);
    const { status } = await getNode(stopped);
    assert.equal(status?.conditions?.length ?? 0, 0, 'KWOK wrote no condition');
    assert.equal(status?.nodeInfo?.kubeletVersion ?? '', '');
  });
});
