import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import type { Tenant } from '../../src/api/tenant.ts';
import { houseArgoCdURL } from '../../src/tenancy/house-address.ts';
import { defaultTeamRepoURL, reviewedBranch } from '../../src/tenancy/team-repository.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { getApplication, waitForApplication } from '../support/argocd.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { createHouse, houseClient } from '../support/house.ts';
import { startOperator, waitForPhase, waitUntilGone } from '../support/operator.ts';
import { dexClientState } from '../support/dex-clients.ts';
import { waitFor } from '../support/wait.ts';

// Run under `flock /tmp/landlord-house-e2e.lock`: houses of the same team in two clusters share a loopback address.
const { http } = testCluster();
startOperator();
const team = uniqueName('hac');
const platform = testEnvironment().platform;
const argocdNamespace = platform.argocd.namespace;
const tenants = '/apis/landlord.dev/v1alpha1/tenants';
const hostApp = `argocd-${team}`;
const inside = '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications';
/** A member of the team's directory group, acting on the host through impersonation. */
const asMember = { 'Impersonate-User': `alice@${team}.example`, 'Impersonate-Group': team };

const conditionOf = (tenant: Tenant, type: string) => tenant.status?.conditions?.find((c) => c.type === type);
const readTenant = () => http.request<Tenant>({ method: 'GET', path: `${tenants}/${team}` });

/** What the house and the host say about the house's Argo CD pods: its workloads, its pods, the warnings. */
async function whyNoPods(): Promise<string> {
  const house = await houseClient(team);
  try {
    const warnings = async (client: typeof http, namespace: string) =>
      (
        await client.request<{ items: { reason: string; message: string; involvedObject: { name: string } }[] }>({
          method: 'GET',
          path: `/api/v1/namespaces/${namespace}/events`,
        })
      ).items
        .filter((event) => event.reason !== 'Scheduled')
        .map((event) => `${event.involvedObject.name} ${event.reason}: ${event.message}`)
        .slice(-15);
    const insidePods = (
      await house.request<{ items: { metadata: { name: string }; status: { phase?: string } }[] }>({
        method: 'GET',
        path: '/api/v1/namespaces/argocd/pods',
      })
    ).items.map((pod) => `${pod.metadata.name}=${pod.status.phase}`);
    return JSON.stringify({
      insidePods,
      inside: await warnings(house, 'argocd'),
      host: await warnings(http, `vcluster-${team}`),
    });
  } finally {
    house.close();
  }
}

describe('a house’s own Argo CD, installed by the host Argo CD (real vCluster, real host Argo CD)', () => {
  after(() => http.send({ method: 'DELETE', path: `${tenants}/${team}` }).then(() => undefined));

  it('is synced by the host Argo CD into the house, with Landlord’s settings and no bundled Dex', async (t) => {
    await createHouse(team, '1.36');
    const tenant = await waitForPhase(team, 'Ready', 600_000);
    assert.equal(tenant.status?.argocdURL, houseArgoCdURL(tenant, platform));
    const app = await waitForApplication(
      argocdNamespace,
      hostApp,
      (a) => a.status?.sync?.status === 'Synced',
      'Synced',
      600_000,
    );
    assert.equal(app.spec.project, `vcluster-${team}`);
    // Healthy needs the Argo CD pods inside the house running (KWOK runs none until the house runner plays them).
    t.diagnostic(`${hostApp}: ${app.status?.sync?.status}/${app.status?.health?.status}`);
    const house = await houseClient(team);
    try {
      const cm = await house.request<{ data: Record<string, string> }>({
        method: 'GET',
        path: '/api/v1/namespaces/argocd/configmaps/argocd-cm',
      });
      assert.equal(cm.data.url, houseArgoCdURL(tenant, platform));
      const oidc = parse(cm.data['oidc.config'] ?? '') as Record<string, unknown>;
      assert.equal(oidc.clientID, `argocd-${team}`);
      assert.equal(oidc.issuer, platform.sso.issuer);
      assert.equal(cm.data['admin.enabled'], 'false');
      const rbac = await house.request<{ data: Record<string, string> }>({
        method: 'GET',
        path: '/api/v1/namespaces/argocd/configmaps/argocd-rbac-cm',
      });
      assert.equal(rbac.data['policy.default'], '');
      assert.equal(rbac.data['policy.csv'], `g, ${team}, role:admin\ng, platform-admins, role:admin\n`);
      const dex = await house.send({
        method: 'GET',
        path: '/apis/apps/v1/namespaces/argocd/deployments/argocd-dex-server',
      });
      assert.equal(dex.status, 404, 'no bundled Dex inside the house');
      const server = await house.send({
        method: 'GET',
        path: '/apis/apps/v1/namespaces/argocd/deployments/argocd-server',
      });
      assert.equal(server.status, 200, 'the Argo CD server is inside the house');
      const crd = await house.send({
        method: 'GET',
        path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/applications.argoproj.io',
      });
      assert.equal(crd.status, 200, 'the cluster-wide install’s CRDs are inside the house');
    } finally {
      house.close();
    }
  });

  it('runs its pods on the host in vcluster-<team>: admitted by Pod Security restricted and the registry guardrail', async () => {
    // vCluster syncs the house's pods into the host namespace; the host's admission
    // (Pod Security restricted, the registry guardrail, the LimitRange) would have refused any that broke its rules.
    const components = platform.houses.argocd.footprint;
    const expected = Object.values(components).reduce((sum, size) => sum + size.replicas, 0);
    let pods: { metadata: { name: string }; spec: { containers: { image: string }[] } }[] = [];
    await waitFor(
      async () => {
        // vCluster marks each synced pod with its namespace inside the house (long names are shortened with a hash).
        const list = await http.request<{ items: typeof pods }>({
          method: 'GET',
          path: `/api/v1/namespaces/vcluster-${team}/pods`,
          query: { labelSelector: 'vcluster.loft.sh/namespace=argocd' },
        });
        pods = list.items;
        return pods.length >= expected;
      },
      `${expected} Argo CD pods of the house on the host`,
      180_000,
    ).catch(async (error: unknown) => {
      throw new Error(`${(error as Error).message}; ${await whyNoPods()}`, { cause: error });
    });
    const images = new Set(pods.flatMap((pod) => pod.spec.containers.map((container) => container.image)));
    for (const image of images)
      assert.ok(
        [platform.houses.argocd.images.argocd, platform.houses.argocd.images.redis].includes(image),
        `${image} from the mirror`,
      );
  });

  it('takes back a team’s change to argocd-rbac-cm: the house Argo CD’s policy is the platform’s (self-heal)', async () => {
    // The team is cluster-admin inside its house (the admin client stands for it) and may edit the ConfigMap...
    const house = await houseClient(team);
    const path = '/api/v1/namespaces/argocd/configmaps/argocd-rbac-cm';
    try {
      await house.request({
        method: 'PATCH',
        path,
        body: { data: { 'policy.default': 'role:readonly' } },
        contentType: 'application/merge-patch+json',
      });
      // ... but the host Argo CD puts the platform's policy back: nobody else gets anything.
      await waitFor(
        async () =>
          (await house.request<{ data: Record<string, string> }>({ method: 'GET', path })).data['policy.default'] ===
          '',
        'argocd-rbac-cm policy.default back to empty',
        180_000,
      );
    } finally {
      house.close();
    }
  });

  it('writes the bootstrap Application inside the house and puts it back when the team edits or deletes it', async () => {
    const house = await houseClient(team);
    try {
      let bootstrap: { spec: { source: { repoURL: string; path: string }; project: string } } | undefined;
      await waitFor(
        async () => {
          const answer = await house.send({ method: 'GET', path: `${inside}/${team}-apps` });
          bootstrap = answer.status === 200 ? JSON.parse(answer.body) : undefined;
          return bootstrap !== undefined;
        },
        `${team}-apps inside the house`,
        180_000,
      );
      const tenant = await readTenant();
      assert.deepEqual(bootstrap?.spec.source, {
        repoURL: defaultTeamRepoURL(tenant, platform),
        path: 'argocd-apps',
        targetRevision: reviewedBranch,
      });
      assert.equal(bootstrap?.spec.project, 'default');
      // The team is cluster-admin inside its house (the admin client stands for it): an edit is put back...
      await house.request({
        method: 'PATCH',
        path: `${inside}/${team}-apps`,
        body: { spec: { source: { path: 'elsewhere' } } },
        contentType: 'application/merge-patch+json',
      });
      await waitFor(
        async () => {
          const app = await house.request<{ spec: { source: { path: string } } }>({
            method: 'GET',
            path: `${inside}/${team}-apps`,
          });
          return app.spec.source.path === 'argocd-apps';
        },
        'the edited bootstrap Application put back',
        90_000,
      );
      // ... and so is a deletion.
      await house.request({ method: 'DELETE', path: `${inside}/${team}-apps` });
      await waitFor(
        async () => (await house.send({ method: 'GET', path: `${inside}/${team}-apps` })).status === 200,
        'the deleted bootstrap Application put back',
        90_000,
      );
    } finally {
      house.close();
    }
  });

  it('becomes HouseArgoCDReady with the SSO Secret from the client registry inside the house, its secret nowhere else', async (t) => {
    // Every local operator has the local Dex's client registry: the house's client is made, its secret put in the house.
    let tenant: Tenant | undefined;
    await waitFor(
      async () => {
        tenant = await readTenant();
        return conditionOf(tenant, 'HouseArgoCDReady')?.status === 'True';
      },
      'HouseArgoCDReady True',
      240_000,
    );
    const condition = conditionOf(tenant as Tenant, 'HouseArgoCDReady');
    t.diagnostic(`HouseArgoCDReady: ${condition?.reason}: ${condition?.message}`);
    const house = await houseClient(team);
    try {
      const sso = await house.request<{ data?: Record<string, string> }>({
        method: 'GET',
        path: '/api/v1/namespaces/argocd/secrets/landlord-sso',
      });
      const secret = Buffer.from(sso.data?.clientSecret ?? '', 'base64').toString();
      assert.ok(secret.length >= 32, 'the client secret is in the house');
      assert.ok(!JSON.stringify(tenant?.status).includes(secret), 'the secret is not in the status');
    } finally {
      house.close();
    }
    // The house itself is Ready: its Argo CD has its own condition and holds nothing back.
    assert.equal(tenant?.status?.phase, 'Ready');
  });

  it('lets no team member touch the host Application, and refuses a team named into the argocd- space', async () => {
    const patch = await http.send({
      method: 'PATCH',
      path: `/apis/argoproj.io/v1alpha1/namespaces/${argocdNamespace}/applications/${hostApp}`,
      body: { spec: { destination: { server: 'https://kubernetes.default.svc', namespace: 'kube-system' } } },
      contentType: 'application/merge-patch+json',
      headers: asMember,
    });
    assert.equal(patch.status, 403, patch.body);
    const squat = validTenant(`squat-${team}`, `argocd-${team}`);
    const created = await http.send({ method: 'POST', path: tenants, body: squat });
    assert.equal(created.status, 422, created.body);
    assert.match(created.body, /argocd/);
  });

  it('takes away what it put in when the team’s Argo CD is turned off: its Dex client, SSO Secret, bootstrap, condition', async () => {
    await http.request({
      method: 'PATCH',
      path: `${tenants}/${team}`,
      body: { spec: { services: { argocd: false } } },
      contentType: 'application/merge-patch+json',
    });
    await waitFor(
      async () => conditionOf(await readTenant(), 'HouseArgoCDReady') === undefined,
      'HouseArgoCDReady gone from the status once everything of it is taken away',
      300_000,
      1000,
    );
    const tenant = await readTenant();
    assert.equal(tenant.status?.phase, 'Ready');
    assert.ok(!tenant.status?.argocdURL?.includes(`argocd-${team}`), `argocdURL ${tenant.status?.argocdURL}`);
    assert.equal(
      await dexClientState(`argocd-${team}`),
      'absent',
      'the house’s client in Dex: its secret, known inside the house, signs nobody in',
    );
    const house = await houseClient(team);
    try {
      for (const path of ['/api/v1/namespaces/argocd/secrets/landlord-sso', `${inside}/${team}-apps`])
        assert.equal((await house.send({ method: 'GET', path })).status, 404, `${path} inside the house`);
    } finally {
      house.close();
    }
    await waitFor(
      async () => (await getApplication(argocdNamespace, hostApp)) === undefined,
      `the host Application ${hostApp} pruned`,
      300_000,
      1000,
    );
  });

  it('goes with the house: nothing of it is left in the host Argo CD', async () => {
    await http.request({ method: 'DELETE', path: `${tenants}/${team}` });
    await waitUntilGone(team, 600_000);
    assert.equal(await getApplication(argocdNamespace, hostApp), undefined);
    const secret = await http.send({
      method: 'GET',
      path: `/api/v1/namespaces/${argocdNamespace}/secrets/vcluster-${team}`,
    });
    assert.equal(secret.status, 404);
  });
});
