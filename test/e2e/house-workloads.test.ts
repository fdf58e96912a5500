import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { tenantResource } from '../../src/api/crd.ts';
import { apiPath, type ResourceType } from '../../src/kube/api-path.ts';
import { resources } from '../../src/kube/resources.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { createHouse } from '../support/house.ts';
import { kubectl } from '../support/kubectl.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

// A workload made inside a house with kubectl runs: its pod Running in the house and the synced pod Running on the
// host. The pod asks for no resources, so the host namespace's LimitRange gives the synced pod some; vCluster then
// resizes the host pod in place, which the API server accepts only from a node that reports its containers'
// resources (as kubelets do, and our KWOK stages now do too).
const { http } = testCluster();
startOperator();
const team = uniqueName('hwl');
const hostNamespace = `vcluster-${team}`;
const secrets: ResourceType = { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true };
const dir = mkdtempSync(join(tmpdir(), 'house-workloads-'));
const kubeconfig = join(dir, 'house.kubeconfig');

/** A Deployment without resources, that the host's guardrails and Pod Security restricted admit once synced. */
const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'hello', namespace: 'default' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'hello' } },
    template: {
      metadata: { labels: { app: 'hello' } },
      spec: {
        securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'hello',
            image: 'registry.financecore.local/app:1', // the platform mirror the registry guardrail admits
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          },
        ],
      },
    },
  },
};

/** The house's pods of the Deployment, as its team sees them with kubectl. */
async function podsInHouse(): Promise<Pod[]> {
  const { stdout } = await kubectl(
    kubeconfig,
    'get',
    'pods',
    '--namespace',
    'default',
    '-l',
    'app=hello',
    '-o',
    'json',
  );
  return (JSON.parse(stdout) as { items: Pod[] }).items;
}

/** The host pods vCluster synced from the house's `default/hello-*` pods. */
async function podsOnHost(): Promise<Pod[]> {
  const { items } = await http.request<{ items: Pod[] }>({
    method: 'GET',
    path: apiPath(resources.pod, { namespace: hostNamespace }),
  });
  return items.filter(
    (pod) =>
      pod.metadata?.annotations?.['vcluster.loft.sh/object-namespace'] === 'default' &&
      pod.metadata.annotations['vcluster.loft.sh/object-name']?.startsWith('hello-'),
  );
}

const isReady = (pod: Pod) =>
  pod.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false;
const running = (pods: Pod[]) => pods.filter((pod) => pod.status?.phase === 'Running');

describe('a workload made inside a house', () => {
  before(async () => {
    await createHouse(team, '1.36');
    await waitForPhase(team, 'Ready', 900_000);
    // The admin kubeconfig vCluster wrote, as a platform admin may use it with kubectl.
    const secret = await http.request<{ data: Record<string, string> }>({
      method: 'GET',
      path: apiPath(secrets, { namespace: hostNamespace, name: `vc-${team}` }),
    });
    writeFileSync(kubeconfig, Buffer.from(secret.data.config ?? '', 'base64'), { mode: 0o600 });
  });
  after(async () => {
    await http.send({ method: 'DELETE', path: apiPath(tenantResource, { name: team }) });
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs: its pod Running in the house, the synced pod Running on the host with the namespace defaults', async () => {
    const manifest = join(dir, 'deployment.json');
    writeFileSync(manifest, JSON.stringify(deployment));
    await kubectl(kubeconfig, 'apply', '-f', manifest);
    await waitFor(
      async () => running(await podsOnHost()).length === 1,
      `the synced pod Running in ${hostNamespace}`,
      180_000,
      1000,
    );
    await waitFor(
      async () => running(await podsInHouse()).length === 1,
      'the pod Running inside the house',
      120_000,
      1000,
    );
    const [hostPod] = await podsOnHost();
    const [housePod] = await podsInHouse();
    assert.ok(hostPod?.spec && housePod?.spec);
    const [hostContainer] = hostPod.spec.containers;
    // The LimitRange's defaults: what made vCluster resize the host pod in the first place.
    assert.ok(hostContainer?.resources?.requests?.cpu, 'the host pod got the namespace default requests');
    assert.equal(housePod.spec.containers[0]?.resources?.requests, undefined, 'the house pod asks for nothing');
    const [reported] = hostPod.status?.containerStatuses ?? [];
    assert.deepEqual(reported?.resources, hostContainer.resources, 'the host reports the resources the pod runs with');
    assert.ok(isReady(housePod), 'the house pod is Ready');
  });
});
