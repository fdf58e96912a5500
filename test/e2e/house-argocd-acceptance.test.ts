import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { Tenant } from '../../src/api/tenant.ts';
import { tenantResource } from '../../src/api/crd.ts';
import { commitFiles } from '../../src/git/commit-files.ts';
import { dexClientState } from '../support/dex-clients.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import type { KubeHttp } from '../../src/kube/http.ts';
import { createTeamRepo, restrictedDeployment } from '../support/argocd.ts';
import { ArgoCdClient } from '../support/argocd-api.ts';
import { signInToArgoCd } from '../support/argocd-login.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { addToDirectoryGroup, deleteDirectoryGroup } from '../support/directory.ts';
import { createHouse, houseClient } from '../support/house.ts';
import { nodesOf } from '../support/node-pool.ts';
import { startOperator, waitForPhase, waitUntilGone } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

// Issue 15's acceptance: a house's own Argo CD, installed by the host Argo CD, signs the team in through the central
// Dex with directory passwords, deploys the team's apps (and its operator) inside the house only, and nobody else
// sees anything in it.
const { http } = testCluster();
const environment = testEnvironment();
startOperator();
const a = uniqueName('hac');
const b = uniqueName('hbc');
const houses = new Map<string, KubeHttp>();
let startedAt = 0;

/** A call to a house's Argo CD REST API with one session token. */
const argo = <T = unknown>(url: string, token: string, method: string, path: string, body?: unknown) =>
  new ArgoCdClient(token, url).call<T>(method, path, body);

/** Whether the URL answers 200 (connection refused or closed: not yet). */
async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).status === 200;
  } catch {
    return false;
  }
}

const tenantOf = (team: string) =>
  http.request<Tenant>({ method: 'GET', path: apiPath(tenantResource, { name: team }) });

const condition = (tenant: Tenant, type: string) => tenant.status?.conditions?.find((c) => c.type === type);

/** Pushes files to the team's repository as the team would. */
async function push(team: string, files: Record<string, unknown[]>, message: string) {
  const url = `${environment.platform.git.baseURL}/${team}-gitops.git`;
  const changes = Object.entries(files).map(([path, objects]) => ({
    path,
    content: objects.map((object) => stringify(object)).join('---\n'),
  }));
  return commitFiles(url, changes, message, { name: team, email: `${team}@financecore.example` });
}

/** The host's pods of a house's namespace made from a namespace inside it (vCluster labels them so). */
async function hostPodsOf(team: string, namespace: string) {
  const pods = await http.request<{ items: { spec?: { nodeName?: string }; status?: { phase?: string } }[] }>({
    method: 'GET',
    path: `/api/v1/namespaces/vcluster-${team}/pods`,
    query: { labelSelector: `vcluster.loft.sh/namespace=${namespace}` },
  });
  return pods.items;
}

/** Asks the team's Argo CD to look at its repository now, as the Git host's webhook will (issue 16), not at its next poll. */
async function refreshBootstrap(team: string): Promise<void> {
  await (houses.get(team) as KubeHttp).request({
    method: 'PATCH',
    path: `/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/${team}-apps`,
    body: { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } } },
    contentType: 'application/merge-patch+json',
  });
}

/** An Application of the team's own Argo CD: a folder of its repository into the house. */
function teamApplication(team: string, name: string, path: string, namespace: string) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd' },
    spec: {
      project: 'default',
      source: { repoURL: `${environment.platform.git.baseURL}/${team}-gitops.git`, targetRevision: 'main', path },
      destination: { server: 'https://kubernetes.default.svc', namespace },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
    },
  };
}

/** The team's operator: its CRD, a ClusterRole over it, and its controller Deployment. */
function operatorShapedApp(team: string) {
  return [
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `widgets.${team}.example.com` },
      spec: {
        group: `${team}.example.com`,
        names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: `${team}-widget-controller` },
      rules: [{ apiGroups: [`${team}.example.com`], resources: ['widgets'], verbs: ['*'] }],
    },
    restrictedDeployment('widget-controller', 1, 'widgets'),
  ];
}

before(async () => {
  for (const team of [a, b]) {
    await createTeamRepo(team);
    await push(team, { 'argocd-apps/README.yaml': [] }, 'first commit of argocd-apps/');
  }
  addToDirectoryGroup(a, ['alice']);
  addToDirectoryGroup(b, ['bob']);
  startedAt = Date.now();
  await createHouse(a, '1.36');
  // B has a node pool: what its own Argo CD deploys runs on its dedicated node.
  await createHouse(b, '1.36', (document) => (document.spec.nodePool = { size: 1, instanceType: 'standard' }));
  for (const team of [a, b]) {
    await waitForPhase(team, 'Ready', 600_000);
    houses.set(team, await houseClient(team));
  }
});

after(async () => {
  for (const client of houses.values()) client.close();
  // The suite shares one cluster: B's pool node goes back to the spares with B.
  for (const team of [a, b]) await http.send({ method: 'DELETE', path: apiPath(tenantResource, { name: team }) });
  await waitUntilGone(b, 600_000);
  // Other tests read alice's and bob's groups whole (the sign-in tests): the directory as it was.
  for (const team of [a, b]) deleteDirectoryGroup(team);
});

describe('a house has its own Argo CD, signed in through the central Dex', () => {
  it('is ready with the house: status names its URL, the host Application installing it is Healthy', async () => {
    await waitFor(
      async () => condition(await tenantOf(a), 'HouseArgoCDReady')?.status === 'True',
      `HouseArgoCDReady of ${a}`,
      600_000,
    );
    const url = (await tenantOf(a)).status?.argocdURL ?? '';
    assert.ok(url, 'status.argocdURL is set');
    // KWOK reports the house's Argo CD pods Ready at once; the runner's real processes answer a few seconds later.
    await waitFor(async () => answers(`${url}/healthz`), `the house's Argo CD answering at ${url}`, 120_000);
    await signInToArgoCd(url, 'alice');
    process.stderr.write(`[measure] Tenant created -> member signed in to its Argo CD: ${Date.now() - startedAt} ms\n`);
    const app = await http.request<{ status?: { health?: { status?: string }; sync?: { status?: string } } }>({
      method: 'GET',
      path: `/apis/argoproj.io/v1alpha1/namespaces/${environment.platform.argocd.namespace}/applications/argocd-${a}`,
    });
    assert.equal(app.status?.health?.status, 'Healthy');
    assert.equal(app.status?.sync?.status, 'Synced');
  });

  it("signs a member of the team's group in with their directory password; they see the bootstrap App of Apps", async () => {
    const url = (await tenantOf(a)).status?.argocdURL ?? '';
    const token = await signInToArgoCd(url, 'alice');
    const apps = await argo<{ items?: { metadata: { name: string } }[] }>(url, token, 'GET', '/api/v1/applications');
    assert.equal(apps.status, 200);
    assert.ok(
      apps.body.items?.some((app) => app.metadata.name === `${a}-apps`),
      JSON.stringify(apps.body),
    );
  });

  it('lets the member create and sync an Application there', async () => {
    const url = (await tenantOf(a)).status?.argocdURL ?? '';
    const token = await signInToArgoCd(url, 'alice');
    await push(
      a,
      {
        'hello/config.yaml': [
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hello' }, data: { hi: 'there' } },
        ],
      },
      'hello',
    );
    const created = await argo(
      url,
      token,
      'POST',
      '/api/v1/applications',
      teamApplication(a, 'hello', 'hello', 'hello'),
    );
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const house = houses.get(a) as KubeHttp;
    await waitFor(
      async () =>
        (await house.send({ method: 'GET', path: '/api/v1/namespaces/hello/configmaps/hello' })).status === 200,
      'the ConfigMap synced by the team Argo CD into its house',
      180_000,
    );
  });

  it('shows a member of another team and a person in no group nothing, and lets them change nothing', async () => {
    const url = (await tenantOf(a)).status?.argocdURL ?? '';
    for (const uid of ['bob', 'dave']) {
      const token = await signInToArgoCd(url, uid);
      const apps = await argo<{ items?: unknown[] | null }>(url, token, 'GET', '/api/v1/applications');
      assert.ok(!apps.body.items || apps.body.items.length === 0, `${uid} sees ${JSON.stringify(apps.body)}`);
      const one = await argo(url, token, 'GET', `/api/v1/applications/${a}-apps`);
      assert.ok([403, 404].includes(one.status), `${uid} reads the bootstrap app: ${one.status}`);
      const clusters = await argo<{ items?: unknown[] | null }>(url, token, 'GET', '/api/v1/clusters');
      assert.ok(!clusters.body.items || clusters.body.items.length === 0, `${uid} sees clusters`);
      const made = await argo(url, token, 'POST', '/api/v1/applications', teamApplication(a, `x-${uid}`, 'hello', 'x'));
      assert.equal(made.status, 403, `${uid} creates an Application: ${JSON.stringify(made.body)}`);
    }
  });
});

describe("the team's repository deploys into its house, and only there", () => {
  it('runs an app pushed to argocd-apps/ on the host, in the house namespace', async () => {
    await push(
      a,
      {
        'apps/web/deployment.yaml': [restrictedDeployment('web', 1, 'web')],
        'argocd-apps/web.yaml': [teamApplication(a, 'web', 'apps/web', 'web')],
      },
      'web app',
    );
    await refreshBootstrap(a);
    await waitFor(
      async () => (await hostPodsOf(a, 'web')).some((pod) => pod.status?.phase === 'Running'),
      `the web pod running on the host in vcluster-${a}`,
      300_000,
    );
  });

  it('runs it on the team’s own nodes when the team has a pool', async () => {
    await waitFor(
      async () => condition(await tenantOf(b), 'HouseArgoCDReady')?.status === 'True',
      `HouseArgoCDReady of ${b}`,
      600_000,
    );
    await push(
      b,
      {
        'apps/web/deployment.yaml': [restrictedDeployment('web', 1, 'web')],
        'argocd-apps/web.yaml': [teamApplication(b, 'web', 'apps/web', 'web')],
      },
      'web app',
    );
    await waitFor(
      async () => {
        // The team's Argo CD may still be starting: its bootstrap app is looked at again until the pod runs.
        await refreshBootstrap(b).catch(() => undefined);
        return (await hostPodsOf(b, 'web')).some((pod) => pod.status?.phase === 'Running');
      },
      `the web pod running on the host in vcluster-${b}`,
      300_000,
      5000,
    );
    const dedicated = (await nodesOf(http, b)).map((node) => node.metadata?.name);
    assert.equal(dedicated.length, 1, `${b} holds its one dedicated node`);
    for (const pod of await hostPodsOf(b, 'web'))
      assert.ok(dedicated.includes(pod.spec?.nodeName), `${b}'s pod on ${pod.spec?.nodeName}, not on its pool`);
  });

  it("installs the team's operator (CRD, ClusterRole, controller) inside its house; the host and the neighbour have none of it", async () => {
    const [crd, role] = [`widgets.${a}.example.com`, `${a}-widget-controller`];
    await push(
      a,
      {
        'apps/widgets/operator.yaml': operatorShapedApp(a),
        'argocd-apps/widgets.yaml': [teamApplication(a, 'widgets', 'apps/widgets', 'widgets')],
      },
      'widget operator',
    );
    await refreshBootstrap(a);
    const house = houses.get(a) as KubeHttp;
    const crdPath = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd}`;
    const rolePath = `/apis/rbac.authorization.k8s.io/v1/clusterroles/${role}`;
    await waitFor(
      async () => (await house.send({ method: 'GET', path: crdPath })).status === 200,
      'the CRD inside the house',
      300_000,
    );
    await waitFor(
      async () => (await house.send({ method: 'GET', path: rolePath })).status === 200,
      'the ClusterRole inside the house',
      60_000,
    );
    for (const [where, client] of [
      ['the host', http],
      ["the neighbour's house", houses.get(b) as KubeHttp],
    ] as const) {
      assert.equal((await client.send({ method: 'GET', path: crdPath })).status, 404, `${where} has the CRD`);
      assert.equal((await client.send({ method: 'GET', path: rolePath })).status, 404, `${where} has the ClusterRole`);
    }
  });
});

describe('decommission', () => {
  it("removes the house's Argo CD with the house, nothing left in the host Argo CD or on the host", async () => {
    await http.request({ method: 'DELETE', path: apiPath(tenantResource, { name: a }) });
    await waitUntilGone(a, 600_000);
    const ns = environment.platform.argocd.namespace;
    for (const path of [
      `/apis/argoproj.io/v1alpha1/namespaces/${ns}/applications/argocd-${a}`,
      `/apis/argoproj.io/v1alpha1/namespaces/${ns}/applications/vcluster-${a}`,
      `/apis/argoproj.io/v1alpha1/namespaces/${ns}/appprojects/vcluster-${a}`,
      `/api/v1/namespaces/${ns}/secrets/vcluster-${a}`,
      `/api/v1/namespaces/landlord-house-access/secrets/house-${a}`,
    ])
      assert.equal((await http.send({ method: 'GET', path })).status, 404, `${path} is left`);
    // Its OIDC client is gone from the central Dex: nobody signs in through it any more.
    assert.equal(await dexClientState(`argocd-${a}`), 'absent', `Dex's client argocd-${a}`);
    await waitFor(
      async () => (await http.send({ method: 'GET', path: `/api/v1/namespaces/vcluster-${a}` })).status === 404,
      `namespace vcluster-${a} gone`,
      120_000,
    );
  });
});
