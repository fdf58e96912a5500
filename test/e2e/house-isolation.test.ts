import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Pod, ResourceQuota } from 'kubernetes-types/core/v1.js';
import type { KubeHttp } from '../../src/kube/http.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { subjectMay } from '../support/access-review.ts';
import { nodesOf } from '../support/node-pool.ts';
import { createHouse, houseClient } from '../support/house.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

// Two houses side by side: each serves its own version of the same CRD, A's workloads run (and are counted) in A's
// host namespace only, B's house sees none of them, and A's team reaches neither B's host namespace nor A's secrets.
const { http } = testCluster();
startOperator();
const a = uniqueName('hia');
const b = uniqueName('hib');
const houses = new Map<string, KubeHttp>();
const crd = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/certificates.cert-manager.io';
const certificates = '/apis/cert-manager.io/v1/namespaces/default/certificates';
/** A member of A's team, as the API server sees them through their directory group (the tenant's adGroup). */
const memberOfA = { user: `member-of-${a}@financecore.example`, groups: [a] };
const asMemberOfA = { 'Impersonate-User': memberOfA.user, 'Impersonate-Group': a };

/** cert-manager's Certificate, cut down: 1.12's schema has additionalOutputFormats, 1.10's does not. */
function certificateCRD(withOutputFormats: boolean) {
  const spec: Record<string, unknown> = {
    secretName: { type: 'string' },
    dnsNames: { type: 'array', items: { type: 'string' } },
  };
  if (withOutputFormats)
    spec.additionalOutputFormats = {
      type: 'array',
      items: { type: 'object', properties: { type: { type: 'string', enum: ['DER', 'CombinedPEM'] } } },
    };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'certificates.cert-manager.io' },
    spec: {
      group: 'cert-manager.io',
      names: { kind: 'Certificate', listKind: 'CertificateList', plural: 'certificates', singular: 'certificate' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { spec: { type: 'object', required: ['secretName'], properties: spec } },
            },
          },
        },
      ],
    },
  };
}

/** The same Certificate written into each house: the output formats only A's schema knows. */
const certificate = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: { name: 'web' },
  spec: { secretName: 'web-tls', dnsNames: ['web.example'], additionalOutputFormats: [{ type: 'DER' }] },
};

/** A Deployment of two pods that the host's guardrails and Pod Security restricted admit once synced. */
const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'web',
            image: 'registry.financecore.local/app:1', // the platform mirror the registry guardrail admits
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          },
        ],
      },
    },
  },
};

const house = (team: string) => houses.get(team) as KubeHttp;
/** The host pods vCluster synced from the house's `default/web-*` pods. */
async function hostWebPods(team: string): Promise<Pod[]> {
  const { items } = await http.request<{ items: Pod[] }>({
    method: 'GET',
    path: `/api/v1/namespaces/vcluster-${team}/pods`,
  });
  return items.filter(
    (pod) =>
      pod.metadata?.annotations?.['vcluster.loft.sh/object-namespace'] === 'default' &&
      pod.metadata.annotations['vcluster.loft.sh/object-name']?.startsWith('web-'),
  );
}
async function quotaPodsUsed(team: string): Promise<number> {
  const quota = await http.request<ResourceQuota>({
    method: 'GET',
    path: `/api/v1/namespaces/vcluster-${team}/resourcequotas/${team}-quota`,
  });
  return Number(quota.status?.used?.pods ?? 0);
}

describe('two houses, isolated from each other', () => {
  before(async () => {
    // A has a dedicated node: its workloads must land there, its control plane on the shared nodes.
    await Promise.all([
      createHouse(a, '1.36', (document) => (document.spec.nodePool = { size: 1, instanceType: 'standard' })),
      createHouse(b, '1.36'),
    ]);
    await Promise.all([waitForPhase(a, 'Ready', 900_000), waitForPhase(b, 'Ready', 900_000)]);
    for (const team of [a, b]) houses.set(team, await houseClient(team));
  });
  after(async () => {
    for (const client of houses.values()) client.close();
    for (const team of [a, b])
      await http.send({ method: 'DELETE', path: `/apis/landlord.dev/v1alpha1/tenants/${team}` });
  });

  it('serves two schemas of cert-manager.io/v1 Certificate at once, one per house; the host has neither', async () => {
    await house(a).request({ method: 'POST', path: crd.replace(/\/[^/]+$/, ''), body: certificateCRD(true) });
    await house(b).request({ method: 'POST', path: crd.replace(/\/[^/]+$/, ''), body: certificateCRD(false) });
    for (const team of [a, b])
      await waitFor(
        async () => (await house(team).send({ method: 'GET', path: certificates })).status === 200,
        `${team} to serve certificates.cert-manager.io`,
        60_000,
      );
    for (const team of [a, b]) await house(team).request({ method: 'POST', path: certificates, body: certificate });
    const inA = await house(a).request<typeof certificate>({ method: 'GET', path: `${certificates}/web` });
    const inB = await house(b).request<{ spec: Record<string, unknown> }>({
      method: 'GET',
      path: `${certificates}/web`,
    });
    assert.deepEqual(inA.spec.additionalOutputFormats, [{ type: 'DER' }], 'A’s schema (1.12) keeps the output formats');
    assert.equal(inB.spec.additionalOutputFormats, undefined, 'B’s schema (1.10) has no such field: pruned');
    assert.equal(inB.spec.secretName, 'web-tls');
    assert.equal((await http.send({ method: 'GET', path: crd })).status, 404, 'the host has no Certificate CRD');
    assert.equal((await http.send({ method: 'GET', path: '/apis/cert-manager.io/v1' })).status, 404);
  });

  it('runs a Deployment made inside A as pods in A’s host namespace on A’s dedicated node (its control plane on the shared nodes), counted in A’s quota; B sees none of it', async () => {
    const usedBefore = await quotaPodsUsed(a);
    await house(a).request({ method: 'POST', path: '/apis/apps/v1/namespaces/default/deployments', body: deployment });
    await waitFor(
      async () => (await hostWebPods(a)).filter((pod) => pod.status?.phase === 'Running').length === 2,
      `A’s two pods Running in vcluster-${a} on the host`,
      180_000,
      1000,
    );
    await waitFor(
      async () => (await quotaPodsUsed(a)) === usedBefore + 2,
      `A’s quota to count its two pods (${usedBefore} before)`,
      60_000,
    );
    const dedicated = (await nodesOf(http, a)).map((node) => node.metadata?.name);
    assert.equal(dedicated.length, 1, 'A holds its one dedicated node');
    for (const pod of await hostWebPods(a))
      assert.ok(dedicated.includes(pod.spec?.nodeName), `${pod.metadata?.name} on ${pod.spec?.nodeName}, not A’s node`);
    // The control plane is the platform's, not the team's: it runs on the shared nodes, without the pool's placement.
    const controlPlane = await http.request<Pod>({
      method: 'GET',
      path: `/api/v1/namespaces/vcluster-${a}/pods/${a}-0`,
    });
    assert.ok(controlPlane.spec?.nodeName, 'A’s control plane is scheduled');
    assert.ok(!dedicated.includes(controlPlane.spec?.nodeName), `A’s control plane on ${controlPlane.spec?.nodeName}`);
    assert.ok(!controlPlane.spec?.nodeName?.startsWith('spare-'), 'A’s control plane on a shared node, not a spare');
    assert.deepEqual(controlPlane.spec?.nodeSelector ?? {}, {}, 'no pool selector on the control plane');
    const inA = await house(a).request<{ items: Pod[] }>({ method: 'GET', path: '/api/v1/namespaces/default/pods' });
    assert.equal(inA.items.filter((pod) => pod.metadata?.labels?.app === 'web').length, 2, 'A sees its own pods');
    const inB = await house(b).request<{ items: Pod[] }>({ method: 'GET', path: '/api/v1/pods' });
    assert.deepEqual(
      inB.items.filter((pod) => pod.metadata?.labels?.app === 'web').map((pod) => pod.metadata?.name),
      [],
      'B sees none of A’s pods',
    );
    const deploymentsInB = await house(b).request<{ items: { metadata?: { name?: string; namespace?: string } }[] }>({
      method: 'GET',
      path: '/apis/apps/v1/deployments',
    });
    // B's own CoreDNS is its only Deployment.
    assert.deepEqual(
      deploymentsInB.items.map((each) => `${each.metadata?.namespace}/${each.metadata?.name}`),
      ['kube-system/coredns'],
      'B has none of A’s Deployments',
    );
    assert.deepEqual(await hostWebPods(b), [], 'nothing of A in B’s host namespace');
  });

  it('lets no member of A’s team read B’s host namespace, nor the secrets of A’s own', async () => {
    for (const resource of ['pods', 'secrets', 'configmaps', 'services'])
      for (const verb of ['get', 'list', 'watch'])
        assert.equal(
          await subjectMay(http, memberOfA, { verb, resource, namespace: `vcluster-${b}` }),
          false,
          `${verb} ${resource} in vcluster-${b}`,
        );
    for (const verb of ['get', 'list', 'watch'])
      assert.equal(
        await subjectMay(http, memberOfA, { verb, resource: 'secrets', namespace: `vcluster-${a}` }),
        false,
        `${verb} secrets in vcluster-${a}`,
      );
    // The same, asked as the member through impersonation, as kubectl --as would.
    for (const path of [
      `/api/v1/namespaces/vcluster-${b}/pods`,
      `/api/v1/namespaces/vcluster-${b}/secrets/vc-${b}`,
      `/api/v1/namespaces/vcluster-${a}/secrets/vc-${a}`,
      `/api/v1/namespaces/vcluster-${a}/secrets`,
    ]) {
      const answer = await http.send({ method: 'GET', path, headers: asMemberOfA });
      assert.equal(answer.status, 403, `${path} as a member of ${a}`);
    }
  });
});
