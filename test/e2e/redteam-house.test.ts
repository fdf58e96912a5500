import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1.js';
import type { PersistentVolume, Pod, ResourceQuota, Secret, Service } from 'kubernetes-types/core/v1.js';
import { defaultNodePoolSettings as pools } from '../../src/api/node-pool-settings.ts';
import { KubeApiError } from '../../src/kube/api-error.ts';
import type { KubeHttp } from '../../src/kube/http.ts';
import { parseQuantity } from '../../src/tenancy/quantity.ts';
import { type LooseDocument } from '../fixtures/tenants.ts';
import { subjectMay } from '../support/access-review.ts';
import { ensureNamespace, testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { createHouse, houseClient } from '../support/house.ts';
import { nodesOf, poolNodes } from '../support/node-pool.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

// A hostile team, cluster-admin inside its own house (and a member of its directory group on the host), writes into
// the house what the host would never let it write in a namespace, hoping vCluster's syncer makes it on the host.
// Each attack is made inside the house; what the syncer could or could not make in vcluster-<team> is then read on
// the host, and a refusal is read where the syncer reports it: a SyncError Event on the virtual object.
const { http } = testCluster();
startOperator();
const team = uniqueName('rth');
const hostNamespace = `vcluster-${team}`;
const syncer = `system:serviceaccount:${hostNamespace}:vc-${team}`;
const member = { user: `member-of-${team}@financecore.example`, groups: [team] };
const asMember = { 'Impersonate-User': member.user, 'Impersonate-Group': team };
const allowedImage = 'registry.financecore.local/app:1';
let house: KubeHttp;

/** A pod spec Pod Security restricted and every guardrail admit, changed by `change`. */
function podSpec(change: (spec: LooseDocument) => void = () => {}): LooseDocument {
  const spec: LooseDocument = {
    securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'app',
        image: allowedImage,
        resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '20m', memory: '32Mi' } },
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      },
    ],
  };
  change(spec);
  return spec;
}

/**
 * Creates an object in the house's `default` namespace, trying again while the host's quota admission answers a
 * write conflict on the quota (the syncer creates it on the host first; a busy quota makes any client retry).
 */
async function inHouse(plural: string, body: Record<string, unknown>, group = '/api/v1'): Promise<void> {
  const request = { method: 'POST' as const, path: `${group}/namespaces/default/${plural}`, body };
  await waitFor(
    async () => {
      try {
        await house.request(request);
        return true;
      } catch (error) {
        if (!(error instanceof KubeApiError && error.status === 409 && error.message.includes('resourcequotas')))
          throw error;
        return false;
      }
    },
    `${plural} created in the house past the host quota's write conflicts`,
    30_000,
    250,
  );
}
const housePod = (name: string, spec: LooseDocument, labels: Record<string, string> = {}) =>
  inHouse('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec });

/** The host objects the syncer made in vcluster-<team> from the house's `default/<name>`. */
async function hostCopies<T extends { metadata?: { annotations?: Record<string, string> } }>(
  plural: string,
  name: string,
  group = '/api/v1',
): Promise<T[]> {
  const { items } = await http.request<{ items: T[] }>({
    method: 'GET',
    path: `${group}/namespaces/${hostNamespace}/${plural}`,
  });
  return items.filter(
    (item) =>
      item.metadata?.annotations?.['vcluster.loft.sh/object-namespace'] === 'default' &&
      item.metadata.annotations['vcluster.loft.sh/object-name'] === name,
  );
}
async function hostCopy<T extends { metadata?: { annotations?: Record<string, string> } }>(
  plural: string,
  name: string,
): Promise<T | undefined> {
  return (await hostCopies<T>(plural, name))[0];
}

/** The syncer's refusals of `default/<name>` inside the house: its SyncError Events' messages. */
async function syncErrors(name: string): Promise<string[]> {
  const { items } = await house.request<{ items: { reason?: string; message?: string }[] }>({
    method: 'GET',
    path: '/api/v1/namespaces/default/events',
    query: { fieldSelector: `involvedObject.name=${name}` },
  });
  return items.filter((event) => event.reason === 'SyncError').map((event) => event.message ?? '');
}

/** Waits until the syncer reports the host refused `default/<name>` with `guard`, then checks no copy is there. */
async function refusedOnHost(plural: string, name: string, guard: string): Promise<void> {
  await waitFor(
    async () => (await syncErrors(name)).some((message) => message.includes(guard)),
    `the host to refuse ${plural} default/${name} with “${guard}”`,
    60_000,
    500,
  );
  assert.deepEqual(await hostCopies(plural, name), [], `no host copy of ${plural} default/${name}`);
}

const decode = (value: string) => Buffer.from(value, 'base64').toString();

/** The host quota's hard figures, and how many more pods of 1 CPU (limit 2) it holds beside the pods there now. */
async function quotaRoom(): Promise<{ hard: Record<string, string>; fit: number }> {
  const quota = await http.request<ResourceQuota>({
    method: 'GET',
    path: `/api/v1/namespaces/${hostNamespace}/resourcequotas/${team}-quota`,
  });
  const hard = quota.spec?.hard ?? {};
  const { items } = await http.request<{ items: Pod[] }>({
    method: 'GET',
    path: `/api/v1/namespaces/${hostNamespace}/pods`,
  });
  const running = items.filter((pod) => !['Succeeded', 'Failed'].includes(pod.status?.phase ?? ''));
  const sum = (field: 'requests' | 'limits') =>
    running
      .flatMap((pod) => pod.spec?.containers ?? [])
      .reduce((total, container) => total + parseQuantity(container.resources?.[field]?.cpu ?? '0'), 0n);
  const byRequests = (parseQuantity(hard['requests.cpu'] ?? '0') - sum('requests')) / 1000n;
  const byLimits = (parseQuantity(hard['limits.cpu'] ?? '0') - sum('limits')) / 2000n;
  return { hard, fit: Number(byRequests < byLimits ? byRequests : byLimits) };
}

/** Whether a label selector (matchLabels, matchExpressions) selects these labels. */
function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  const matched = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  return (
    matched &&
    (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
      if (operator === 'Exists') return key in labels;
      if (operator === 'DoesNotExist') return !(key in labels);
      if (operator === 'In') return key in labels && values.includes(labels[key] as string);
      return !(key in labels) || !values.includes(labels[key] as string);
    })
  );
}

describe('a hostile team, cluster-admin inside its house, against the host', () => {
  before(async () => {
    // A dedicated node (placement attacks) and a small CPU quota (a workload larger than the quota).
    await createHouse(team, '1.36', (document) => {
      document.spec.nodePool = { size: 1, instanceType: 'standard' };
      document.spec.resourceQuota.cpu = '4';
    });
    await waitForPhase(team, 'Ready', 900_000);
    house = await houseClient(team);
  });
  after(async () => {
    house?.close();
    await http.send({ method: 'DELETE', path: `/apis/landlord.dev/v1alpha1/tenants/${team}` });
    for (const volume of [`static-${team}`, `labelled-${team}`])
      await http.send({ method: 'DELETE', path: `/api/v1/persistentvolumes/${volume}` });
  });

  it('never gets a privileged, hostPath, hostNetwork or hostPID pod onto the host: Pod Security restricted on vcluster-<team> refuses the syncer', async () => {
    const attacks: [string, LooseDocument][] = [
      ['privileged', podSpec((spec) => (spec.containers[0].securityContext = { privileged: true }))],
      [
        'host-path',
        podSpec((spec) => {
          spec.volumes = [{ name: 'root', hostPath: { path: '/' } }];
          spec.containers[0].volumeMounts = [{ name: 'root', mountPath: '/host' }];
        }),
      ],
      ['host-network', podSpec((spec) => (spec.hostNetwork = true))],
      ['host-pid', podSpec((spec) => (spec.hostPID = true))],
    ];
    for (const [name, spec] of attacks) await housePod(name, spec);
    for (const [name] of attacks) await refusedOnHost('pods', name, 'violates PodSecurity "restricted:latest"');
    assert.equal(
      (await house.request<Pod>({ method: 'GET', path: '/api/v1/namespaces/default/pods/privileged' })).spec
        ?.containers[0]?.securityContext?.privileged,
      true,
      'the house itself took the privileged pod (cluster-admin there): only the host stands in the way',
    );
  });

  it('never gets a NodePort, LoadBalancer, externalIPs or ExternalName Service onto the host, made or changed so (CVE-2020-8554): the Services guardrail refuses the syncer', async () => {
    const service = (name: string, spec: Record<string, unknown>) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ...spec },
    });
    // vCluster creates a Service on the host before the house has it (for its cluster IP): the host's refusal is the
    // answer the team gets, and the house keeps nothing.
    const attacks: [string, Record<string, unknown>, string][] = [
      ['node-port', { type: 'NodePort' }, 'landlord guardrail (no NodePort or LoadBalancer Services)'],
      ['load-balancer', { type: 'LoadBalancer' }, 'landlord guardrail (no NodePort or LoadBalancer Services)'],
      ['external-ips', { externalIPs: ['10.96.0.1'] }, 'landlord guardrail (no externalIPs)'],
      [
        'external-name',
        { type: 'ExternalName', externalName: 'kubernetes.default.svc.cluster.local', selector: undefined },
        'landlord guardrail (no ExternalName Services)',
      ],
    ];
    for (const [name, spec, guard] of attacks) {
      const answer = await house.send({
        method: 'POST',
        path: '/api/v1/namespaces/default/services',
        body: service(name, spec),
      });
      assert.equal(answer.status, 403, `${name}: ${answer.body}`);
      assert.ok(answer.body.includes(guard), `${name} refused by “${guard}”: ${answer.body}`);
      const kept = await house.send({ method: 'GET', path: `/api/v1/namespaces/default/services/${name}` });
      assert.equal(kept.status, 404, `the house keeps no ${name} Service`);
      assert.deepEqual(await hostCopies('services', name), [], `no ${name} Service on the host`);
    }
    await inHouse('services', service('plain', {}));
    // A ClusterIP Service is synced; turned into a NodePort inside the house afterwards, the host's copy stays ClusterIP.
    await waitFor(async () => (await hostCopy('services', 'plain')) !== undefined, 'the plain Service on the host');
    await house.request({
      method: 'PATCH',
      path: '/api/v1/namespaces/default/services/plain',
      contentType: 'application/merge-patch+json',
      body: { spec: { type: 'NodePort' } },
    });
    await waitFor(
      async () =>
        (await syncErrors('plain')).some((message) =>
          message.includes('landlord guardrail (no NodePort or LoadBalancer Services)'),
        ),
      'the host to refuse the plain Service’s change to NodePort',
      60_000,
      500,
    );
    assert.equal((await hostCopy<Service>('services', 'plain'))?.spec?.type, 'ClusterIP');
  });

  it('never gets a pod of an image from outside the allowed registries onto the host: the registries guardrail refuses the syncer', async () => {
    await housePod(
      'foreign-image',
      podSpec((spec) => (spec.containers[0].image = 'docker.io/attacker/miner:1')),
    );
    await housePod(
      'foreign-init-image',
      podSpec((spec) => (spec.initContainers = [{ ...spec.containers[0], name: 'init', image: 'ghcr.io/x/y:1' }])),
    );
    await refusedOnHost('pods', 'foreign-image', 'landlord guardrail (images only from the allowed registries)');
    await refusedOnHost('pods', 'foreign-init-image', 'landlord guardrail (images only from the allowed registries)');
  });

  it('runs a StatefulSet with its governing Service: the hosts-file init container vCluster adds comes from the mirror, which the registries guardrail admits', async () => {
    await inHouse('services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'db' },
      spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] },
    });
    await inHouse(
      'statefulsets',
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db' },
        spec: {
          serviceName: 'db',
          replicas: 1,
          selector: { matchLabels: { app: 'db' } },
          template: { metadata: { labels: { app: 'db' } }, spec: podSpec() },
        },
      },
      '/apis/apps/v1',
    );
    let onHost: Pod | undefined;
    await waitFor(async () => Boolean((onHost = await hostCopy<Pod>('pods', 'db-0'))), 'db-0 on the host', 120_000);
    const rewriter = onHost?.spec?.initContainers?.find((c) => c.name === 'vcluster-rewrite-hosts');
    assert.equal(rewriter?.image, 'registry.landlord.local/library/alpine:3.20');
    await house.request({ method: 'DELETE', path: '/apis/apps/v1/namespaces/default/statefulsets/db' });
  });

  it('never places a pod on a node it names, nor with the spare taint’s, another pool’s or a keyless toleration: the node-placement guardrail refuses the syncer; a plain pod goes to the team’s own node', async () => {
    const spare = (await poolNodes(http)).find((node) => !node.metadata?.labels?.[pools.placementLabel]);
    assert.ok(spare?.metadata?.name, 'a spare node to aim at');
    await housePod(
      'named-node',
      podSpec((spec) => (spec.nodeName = spare.metadata?.name)),
    );
    await housePod(
      'tolerates-all',
      podSpec((spec) => (spec.tolerations = [{ operator: 'Exists' }])),
    );
    await housePod(
      'tolerates-spare',
      podSpec((spec) => (spec.tolerations = [{ key: pools.spare.label, operator: 'Exists', effect: 'NoSchedule' }])),
    );
    await housePod(
      'tolerates-other-pool',
      podSpec(
        (spec) =>
          (spec.tolerations = [
            { key: pools.taintKey, operator: 'Equal', value: 'someone-else', effect: 'NoSchedule' },
          ]),
      ),
    );
    await housePod('placed', podSpec());
    await refusedOnHost('pods', 'named-node', 'landlord guardrail (no nodeName)');
    await refusedOnHost('pods', 'tolerates-all', 'landlord guardrail (no wildcard tolerations)');
    await refusedOnHost('pods', 'tolerates-spare', 'landlord guardrail (no spare nodes)');
    await refusedOnHost('pods', 'tolerates-other-pool', 'landlord guardrail (only your own dedicated nodes)');
    const own = (await nodesOf(http, team)).map((node) => node.metadata?.name);
    assert.equal(own.length, 1, 'the team holds its one dedicated node');
    await waitFor(
      async () => own.includes((await hostCopy<Pod>('pods', 'placed'))?.spec?.nodeName),
      `the plain pod on the team’s node ${own[0]}`,
      60_000,
      500,
    );
  });

  it('cannot change a synced pod afterwards into what the host refuses at creation (a keyless toleration, a foreign image): the node-placement and registries guardrails judge the syncer’s update', async () => {
    // Every resource the host's LimitRange would default, stated: a pod whose host copy differs in resources from
    // it never gets its changes synced (vCluster first resizes the host pod in place, which the host refuses).
    const stated = podSpec((spec) => {
      spec.containers[0].resources = {
        requests: { cpu: '10m', memory: '16Mi', 'ephemeral-storage': '64Mi' },
        limits: { cpu: '20m', memory: '32Mi', 'ephemeral-storage': '128Mi' },
      };
    });
    await housePod('retolerated', stated);
    await housePod('reimaged', stated);
    for (const name of ['retolerated', 'reimaged'])
      await waitFor(async () => (await hostCopy('pods', name)) !== undefined, `${name} on the host`, 60_000, 500);
    const patch = (name: string, body: unknown) =>
      house.request({
        method: 'PATCH',
        path: `/api/v1/namespaces/default/pods/${name}`,
        contentType: 'application/strategic-merge-patch+json',
        body,
      });
    // A running pod's tolerations may grow and its images change: the two spec changes Kubernetes allows.
    const existing = await house.request<Pod>({ method: 'GET', path: '/api/v1/namespaces/default/pods/retolerated' });
    await patch('retolerated', {
      spec: { tolerations: [...(existing.spec?.tolerations ?? []), { operator: 'Exists' }] },
    });
    await patch('reimaged', { spec: { containers: [{ name: 'app', image: 'docker.io/attacker/miner:1' }] } });
    const changed = async (name: string) => {
      const copy = await hostCopy<Pod>('pods', name);
      return (
        (copy?.spec?.tolerations ?? []).some((toleration) => !toleration.key) ||
        copy?.spec?.containers.some((container) => container.image !== allowedImage) === true
      );
    };
    for (const [name, guard] of [
      ['retolerated', 'landlord guardrail (no wildcard tolerations)'],
      ['reimaged', 'landlord guardrail (images only from the allowed registries)'],
    ] as const)
      await waitFor(
        async () => (await changed(name)) || (await syncErrors(name)).some((message) => message.includes(guard)),
        `the host to refuse the change of ${name} with “${guard}”, or take it`,
        60_000,
        500,
      );
    const retolerated = (await hostCopy<Pod>('pods', 'retolerated')) as Pod;
    assert.deepEqual(
      (retolerated.spec?.tolerations ?? []).filter((toleration) => !toleration.key),
      [],
      'a keyless toleration on the host pod',
    );
    const reimaged = (await hostCopy<Pod>('pods', 'reimaged')) as Pod;
    assert.deepEqual(
      reimaged.spec?.containers.map((container) => container.image),
      [allowedImage],
    );
  });

  it('gets no host priority from a system priority class named inside the house: the syncer drops it (no priority class sync)', async () => {
    await housePod(
      'critical',
      podSpec((spec) => (spec.priorityClassName = 'system-node-critical')),
    );
    await waitFor(async () => (await hostCopy('pods', 'critical')) !== undefined, 'the critical pod on the host');
    const copy = (await hostCopy<Pod>('pods', 'critical')) as Pod;
    assert.equal(copy.spec?.priorityClassName ?? '', '');
    assert.equal(copy.spec?.priority ?? 0, 0);
  });

  it('never runs a pod on the host as a host ServiceAccount it names (vc-<team>, default, the chart deployer) nor makes the host mint a token for one: the syncer runs every pod as the tokenless vc-workload-<team> and syncs token Secrets as Opaque', async () => {
    const hostAccounts = [`vc-${team}`, 'default', 'landlord-house-deployer'];
    for (const name of hostAccounts.filter((account) => account !== 'default'))
      await inHouse('serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
    for (const [index, account] of hostAccounts.entries())
      await inHouse('secrets', {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/service-account-token',
        metadata: { name: `steal-${index}`, annotations: { 'kubernetes.io/service-account.name': account } },
      });
    await housePod(
      'as-syncer',
      podSpec((spec) => {
        spec.serviceAccountName = `vc-${team}`;
        spec.volumes = hostAccounts.map((_, index) => ({
          name: `steal-${index}`,
          secret: { secretName: `steal-${index}` },
        }));
        spec.containers[0].volumeMounts = hostAccounts.map((_, index) => ({
          name: `steal-${index}`,
          mountPath: `/steal/${index}`,
        }));
      }),
    );
    await waitFor(async () => (await hostCopy('pods', 'as-syncer')) !== undefined, 'the pod on the host');
    const copy = (await hostCopy<Pod>('pods', 'as-syncer')) as Pod;
    assert.equal(
      copy.spec?.serviceAccountName,
      `vc-workload-${team}`,
      'the house’s workload account, not the one named',
    );
    assert.equal(copy.spec?.automountServiceAccountToken, false);
    const projectedTokens = (copy.spec?.volumes ?? []).flatMap((volume) =>
      (volume.projected?.sources ?? []).filter((source) => source.serviceAccountToken),
    );
    assert.deepEqual(projectedTokens, [], 'no host token projected into the pod');
    for (const verb of ['get', 'list'])
      for (const resource of ['secrets', 'pods'])
        assert.equal(
          await subjectMay(
            http,
            { user: `system:serviceaccount:${hostNamespace}:vc-workload-${team}`, groups: ['system:serviceaccounts'] },
            { verb, resource, namespace: hostNamespace },
          ),
          false,
          `vc-workload-${team} may ${verb} ${resource} on the host`,
        );
    // The house's token controller fills the Secrets with its own tokens: synced as Opaque, the host never fills
    // them, and what they hold is no credential of the host.
    for (const [index, account] of hostAccounts.entries()) {
      await waitFor(
        async () => (await hostCopy<Secret>('secrets', `steal-${index}`))?.data?.token !== undefined,
        `steal-${index} (${account}) synced with the house’s token`,
      );
      const secret = (await hostCopy<Secret>('secrets', `steal-${index}`)) as Secret;
      assert.equal(secret.type, 'Opaque', `steal-${index} for ${account} is no token Secret on the host`);
      const review = await http.request<{ status: { authenticated?: boolean } }>({
        method: 'POST',
        path: '/apis/authentication.k8s.io/v1/tokenreviews',
        body: {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenReview',
          spec: { token: Buffer.from(secret.data?.token ?? '', 'base64').toString() },
        },
      });
      assert.notEqual(review.status.authenticated, true, `the token in steal-${index} (${account}) opens the host`);
    }
    const { items } = await http.request<{ items: Secret[] }>({
      method: 'GET',
      path: `/api/v1/namespaces/${hostNamespace}/secrets`,
    });
    assert.deepEqual(
      items.filter((secret) => secret.type === 'kubernetes.io/service-account-token').map((s) => s.metadata?.name),
      [],
      'no token Secret in the house’s host namespace',
    );
  });

  it('keeps the house’s ServiceAccount tokens out of the host pods’ annotations (anyone who may read pods on the host would read them): the syncer writes them to a Secret', async () => {
    await waitFor(async () => (await hostCopy('pods', 'placed')) !== undefined, 'the plain pod on the host');
    const copy = (await hostCopy<Pod>('pods', 'placed')) as Pod;
    const tokenAnnotations = Object.keys(copy.metadata?.annotations ?? {}).filter((key) =>
      key.startsWith('vcluster.loft.sh/token-'),
    );
    assert.deepEqual(tokenAnnotations, [], 'token annotations on the host pod');
    assert.doesNotMatch(JSON.stringify(copy), /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/, 'a JSON web token in the host pod');
    // The pod still gets its house token, from a Secret of the host namespace (which only the platform reads).
    const sources = (copy.spec?.volumes ?? []).flatMap((volume) => volume.projected?.sources ?? []);
    const tokenSecret = sources.find((source) => source.secret?.items?.some((item) => item.path === 'token'))?.secret;
    assert.ok(tokenSecret?.name, `the house token comes from a Secret: ${JSON.stringify(sources)}`);
    const secret = await http.request<Secret>({
      method: 'GET',
      path: `/api/v1/namespaces/${hostNamespace}/secrets/${tokenSecret.name}`,
    });
    assert.ok(Object.keys(secret.data ?? {}).length > 0, 'the token Secret holds the token');
  });

  it('cannot dress a pod as the control plane (its labels, a StatefulSet named after the team, the syncer’s marker set by hand): the syncer renames release and sets its marker, the pod is placed on the pool and no NetworkPolicy of the control plane selects it', async () => {
    const disguise = { app: 'vcluster', release: team, 'vcluster.loft.sh/managed-by': '' };
    await inHouse(
      'statefulsets',
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: team, labels: disguise },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'vcluster', release: team } },
          template: { metadata: { labels: disguise }, spec: podSpec() },
        },
      },
      '/apis/apps/v1',
    );
    const name = `${team}-0`;
    await waitFor(async () => (await hostCopy('pods', name)) !== undefined, `${name} on the host`, 60_000, 500);
    const copy = (await hostCopy<Pod>('pods', name)) as Pod;
    const labels = copy.metadata?.labels ?? {};
    assert.equal(labels.app, 'vcluster', 'the disguise’s app label is synced');
    assert.notEqual(labels.release, team, 'the syncer renames the release label');
    assert.equal(labels['vcluster.loft.sh/managed-by'], team, 'the syncer’s marker, whatever the team wrote');
    assert.equal(copy.spec?.nodeSelector?.[pools.placementLabel], team, 'placed on the pool like every workload');
    const controlPlane = await http.request<Pod>({
      method: 'GET',
      path: `/api/v1/namespaces/${hostNamespace}/pods/${team}-0`,
    });
    const { items } = await http.request<{ items: NetworkPolicy[] }>({
      method: 'GET',
      path: `/apis/networking.k8s.io/v1/namespaces/${hostNamespace}/networkpolicies`,
    });
    const rights = items.filter(
      (policy) =>
        policy.metadata?.name?.startsWith('allow-control-plane') ||
        policy.metadata?.name === 'allow-virtual-api-server',
    );
    assert.equal(rights.length, 2, 'the control plane’s two policies');
    for (const policy of rights) {
      const selector = policy.spec?.podSelector ?? {};
      assert.ok(
        selects(selector, controlPlane.metadata?.labels ?? {}),
        `${policy.metadata?.name} selects the control plane`,
      );
      assert.ok(!selects(selector, labels), `${policy.metadata?.name} selects the disguised pod`);
    }
  });

  it('never binds a host PersistentVolume the house’s claim names (spec.volumeName or a selector, which the syncer passes on untranslated): the volume-claims guardrail refuses the syncer', async () => {
    // A volume the platform made for someone else, on the node's disk: bound, its pod would read the node past Pod
    // Security, which sees only the claim.
    for (const [volume, labels] of [
      [`static-${team}`, {}],
      [`labelled-${team}`, { reserved: 'someone-else' }],
    ] as const)
      await http.request({
        method: 'POST',
        path: '/api/v1/persistentvolumes',
        body: {
          apiVersion: 'v1',
          kind: 'PersistentVolume',
          metadata: { name: volume, labels },
          spec: {
            capacity: { storage: '1Gi' },
            accessModes: ['ReadWriteOnce'],
            persistentVolumeReclaimPolicy: 'Retain',
            storageClassName: '',
            hostPath: { path: `/var/lib/static/${volume}` },
          },
        },
      });
    const claim = (name: string, spec: Record<string, unknown>) =>
      inHouse('persistentvolumeclaims', {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name },
        spec: {
          storageClassName: '',
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '1Gi' } },
          ...spec,
        },
      });
    await claim('by-name', { volumeName: `static-${team}` });
    await claim('by-selector', { selector: { matchLabels: { reserved: 'someone-else' } } });
    const boundTo = async (volume: string) =>
      (await http.request<PersistentVolume>({ method: 'GET', path: `/api/v1/persistentvolumes/${volume}` })).spec
        ?.claimRef;
    for (const [name, volume] of [
      ['by-name', `static-${team}`],
      ['by-selector', `labelled-${team}`],
    ] as const) {
      await waitFor(
        async () =>
          (await boundTo(volume)) !== undefined ||
          (await syncErrors(name)).some((message) =>
            message.includes('landlord guardrail (no claim of a chosen volume)'),
          ),
        `the host to refuse claim ${name}, or the claim to take ${volume}`,
        60_000,
        500,
      );
      assert.deepEqual(await boundTo(volume), undefined, `${volume} bound to the house’s claim ${name}`);
      await refusedOnHost('persistentvolumeclaims', name, 'landlord guardrail (no claim of a chosen volume)');
    }
  });

  it('lets nobody outside the platform namespaces choose a claim’s volume on the host either, at creation or afterwards: the volume-claims guardrail', async () => {
    const namespace = `rt-claims-${team}`;
    await ensureNamespace(http, namespace);
    try {
      const claims = `/api/v1/namespaces/${namespace}/persistentvolumeclaims`;
      const claim = (name: string, spec: Record<string, unknown>) => ({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name },
        spec: {
          storageClassName: '',
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '1Gi' } },
          ...spec,
        },
      });
      for (const [name, spec] of [
        ['by-name', { volumeName: `static-${team}` }],
        ['by-selector', { selector: { matchLabels: { reserved: 'someone-else' } } }],
      ] as const) {
        const answer = await http.send({ method: 'POST', path: claims, body: claim(name, spec) });
        assert.equal(answer.status, 403, `${name}: ${answer.body}`);
        assert.match(answer.body, /landlord guardrail \(no claim of a chosen volume\)/);
      }
      // An unbound claim's volume may be set once: by the volume controller only.
      await http.request({ method: 'POST', path: claims, body: claim('later', {}) });
      const answer = await http.send({
        method: 'PATCH',
        path: `${claims}/later`,
        contentType: 'application/merge-patch+json',
        body: { spec: { volumeName: `static-${team}` } },
      });
      assert.equal(answer.status, 403, answer.body);
      assert.match(answer.body, new RegExp(`names the PersistentVolume static-${team}`));
    } finally {
      await http.send({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}` });
    }
  });

  it('cannot run more on the host than its quota: pods beyond it are never created there, the syncer reports the quota', async () => {
    const { hard, fit } = await quotaRoom();
    assert.ok(fit >= 1 && fit < 6, `the quota holds ${fit} one-CPU pods`);
    await inHouse(
      'deployments',
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'hog' },
        spec: {
          replicas: fit + 2,
          selector: { matchLabels: { app: 'hog' } },
          template: {
            metadata: { labels: { app: 'hog' } },
            spec: podSpec((spec) => {
              spec.containers[0].resources = {
                requests: { cpu: '1', memory: '64Mi' },
                limits: { cpu: '2', memory: '128Mi' },
              };
            }),
          },
        },
      },
      '/apis/apps/v1',
    );
    const hogs = async () => {
      const { items: pods } = await http.request<{ items: Pod[] }>({
        method: 'GET',
        path: `/api/v1/namespaces/${hostNamespace}/pods`,
      });
      return pods.filter((pod) => pod.metadata?.annotations?.['vcluster.loft.sh/object-name']?.startsWith('hog-'));
    };
    const inHouseHogs = async () =>
      (
        await house.request<{ items: Pod[] }>({
          method: 'GET',
          path: '/api/v1/namespaces/default/pods',
          query: { labelSelector: 'app=hog' },
        })
      ).items.map((pod) => pod.metadata?.name ?? '');
    await waitFor(async () => (await inHouseHogs()).length === fit + 2, `${fit + 2} hog pods inside the house`);
    await waitFor(
      async () => {
        const refused = await Promise.all((await inHouseHogs()).map(syncErrors));
        return refused.flat().some((message) => message.includes('exceeded quota'));
      },
      'the host quota to refuse a hog pod',
      60_000,
      1000,
    );
    await waitFor(async () => (await hogs()).length === fit, `${fit} hog pods on the host`, 60_000, 500);
    const usedAfter = await http.request<ResourceQuota>({
      method: 'GET',
      path: `/api/v1/namespaces/${hostNamespace}/resourcequotas/${team}-quota`,
    });
    for (const key of ['requests.cpu', 'limits.cpu'])
      assert.ok(
        parseQuantity(usedAfter.status?.used?.[key] ?? '0') <= parseQuantity(hard[key] ?? '0'),
        `${key} used ${usedAfter.status?.used?.[key]} within ${hard[key]}`,
      );
    assert.equal((await hogs()).length, fit, 'no hog pod beyond the quota');
  });

  it('gets no Ingress onto the host, for another team’s host or the platform’s: ingress sync is off, the syncer may not write Ingresses there', async () => {
    const domain = testEnvironment().platform.domain;
    await inHouse(
      'ingresses',
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'hijack' },
        spec: {
          rules: [`argocd.${domain}`, `vcluster-someone-else.${domain}`, `someone-else.${domain}`].map((host) => ({
            host,
            http: {
              paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'plain', port: { number: 80 } } } }],
            },
          })),
        },
      },
      '/apis/networking.k8s.io/v1',
    );
    for (const verb of ['create', 'update', 'patch'])
      assert.equal(
        await subjectMay(
          http,
          { user: syncer, groups: ['system:serviceaccounts'] },
          { verb, resource: 'ingresses', group: 'networking.k8s.io', namespace: hostNamespace },
        ),
        false,
        `the syncer may ${verb} Ingresses in ${hostNamespace}`,
      );
    assert.deepEqual(await hostCopies('ingresses', 'hijack', '/apis/networking.k8s.io/v1'), []);
  });

  it('cannot point the house’s own API Service, what the ingress controller forwards to, at an address it chooses (CVE-2021-25740): the syncer copies an EndpointSlice only for a Service of the house, under that Service’s host name', async () => {
    await inHouse('services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'detour' },
      spec: { ports: [{ port: 443, targetPort: 8443 }] },
    });
    const slice = (name: string, service: string) =>
      inHouse(
        'endpointslices',
        {
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: { name, labels: { 'kubernetes.io/service-name': service } },
          addressType: 'IPv4',
          endpoints: [{ addresses: ['10.96.0.1'] }],
          ports: [{ name: '', port: 8443, protocol: 'TCP' }],
        },
        '/apis/discovery.k8s.io/v1',
      );
    await slice('detour', team);
    // The same for the house's own Service: synced, its service-name label renamed to the Service's host name.
    await slice('detour-own', 'detour');
    type Slice = { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> } };
    const serviceOf = async (name: string) =>
      (await hostCopies<Slice>('endpointslices', name, '/apis/discovery.k8s.io/v1')).map(
        (copy) => copy.metadata?.labels?.['kubernetes.io/service-name'],
      );
    await waitFor(
      async () => (await serviceOf('detour-own')).length > 0,
      'the house’s own EndpointSlice on the host',
      60_000,
      500,
    );
    assert.deepEqual(await serviceOf('detour-own'), [`detour-x-default-x-${team}`]);
    assert.ok(!(await serviceOf('detour')).includes(team), `an EndpointSlice of the house for Service ${team}`);
    const { items } = await http.request<{ items: { metadata?: { labels?: Record<string, string> } }[] }>({
      method: 'GET',
      path: `/apis/discovery.k8s.io/v1/namespaces/${hostNamespace}/endpointslices`,
      query: { labelSelector: `kubernetes.io/service-name=${team}` },
    });
    assert.ok(items.length > 0, `the control plane Service ${team} has its slices`);
    assert.deepEqual(
      items.map((slice) => slice.metadata?.labels?.['endpointslice.kubernetes.io/managed-by']),
      items.map(() => 'endpointslice-controller.k8s.io'),
      `only the host’s controller writes the slices of Service ${team}`,
    );
  });

  it('reaches no admin credential of the host: nothing of the host namespace’s own Secrets is inside the house, and as a member on the host the team reads neither vc-<team> nor another house’s, nor gets a token for the syncer', async () => {
    const { items: hostSecrets } = await http.request<{ items: Secret[] }>({
      method: 'GET',
      path: `/api/v1/namespaces/${hostNamespace}/secrets`,
    });
    // The host's own Secrets there (vc-<team>, vc-config-<team>...), not the ones the syncer copied from the house; their
    // private parts (a certificate is public, the house's CA is in every namespace of it).
    const hostPrivates = hostSecrets
      .filter((secret) => !secret.metadata?.labels?.['vcluster.loft.sh/managed-by'])
      .flatMap((secret) => Object.values(secret.data ?? {}))
      .filter(
        (value) =>
          value.length > 40 && !/^(-----BEGIN CERTIFICATE-----[^]*?-----END CERTIFICATE-----\s*)+$/.test(decode(value)),
      );
    assert.ok(
      hostPrivates.some((value) => decode(value).includes('PRIVATE KEY')),
      `vc-${team}’s private key is among them`,
    );
    const { items: houseSecrets } = await house.request<{ items: Secret[] }>({
      method: 'GET',
      path: '/api/v1/secrets',
    });
    const { items: houseConfigMaps } = await house.request<{ items: { data?: Record<string, string> }[] }>({
      method: 'GET',
      path: '/api/v1/configmaps',
    });
    const inside = [
      ...houseSecrets.flatMap((secret) => Object.values(secret.data ?? {}).flatMap((value) => [value, decode(value)])),
      ...houseConfigMaps.flatMap((map) => Object.values(map.data ?? {})),
    ];
    assert.deepEqual(
      hostPrivates.filter((value) => inside.some((text) => text.includes(value) || text.includes(decode(value))))
        .length,
      0,
      'a private part of a host Secret inside the house',
    );
    for (const path of [
      `/api/v1/namespaces/${hostNamespace}/secrets/vc-${team}`,
      `/api/v1/namespaces/${hostNamespace}/secrets`,
      `/api/v1/namespaces/vcluster-someone-else/secrets/vc-someone-else`,
      `/api/v1/namespaces/${testEnvironment().platform.argocd.namespace}/secrets/${hostNamespace}`,
    ])
      assert.equal((await http.send({ method: 'GET', path, headers: asMember })).status, 403, `${path} as a member`);
    // A pod inside the house naming vc-<team>: the syncer points it at the house's own (translated) Secret name.
    await housePod(
      'peek',
      podSpec((spec) => {
        spec.volumes = [{ name: 'admin', secret: { secretName: `vc-${team}`, optional: true } }];
        spec.containers[0].volumeMounts = [{ name: 'admin', mountPath: '/admin' }];
        spec.containers[0].env = [
          { name: 'KEY', valueFrom: { secretKeyRef: { name: `vc-${team}`, key: 'client-key', optional: true } } },
        ];
      }),
    );
    await waitFor(
      async () => (await hostCopy('pods', 'peek')) !== undefined,
      'the peeking pod on the host',
      60_000,
      500,
    );
    const peek = (await hostCopy<Pod>('pods', 'peek')) as Pod;
    const named = [
      ...(peek.spec?.volumes ?? []).map((volume) => volume.secret?.secretName),
      ...(peek.spec?.containers[0]?.env ?? []).map((env) => env.valueFrom?.secretKeyRef?.name),
    ].filter((name) => name !== undefined);
    assert.ok(named.length === 2 && !named.includes(`vc-${team}`), `the host pod names ${named.join(', ')}`);
    const token = await http.send({
      method: 'POST',
      path: `/api/v1/namespaces/${hostNamespace}/serviceaccounts/vc-${team}/token`,
      headers: asMember,
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} },
    });
    assert.equal(token.status, 403, 'a token for the syncer as a member');
    for (const [verb, resource, subresource] of [
      ['create', 'pods', 'exec'],
      ['create', 'pods', undefined],
      ['create', 'serviceaccounts', 'token'],
      ['get', 'secrets', undefined],
    ] as const)
      assert.equal(
        await subjectMay(http, member, { verb, resource, subresource, namespace: hostNamespace }),
        false,
        `${verb} ${resource}/${subresource ?? ''} in ${hostNamespace} as a member`,
      );
  });
});
