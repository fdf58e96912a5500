import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Tenant } from '../../src/api/tenant.ts';
import { validateTenant } from '../../src/api/validate.ts';
import { isSubset } from '../../src/operator/subset.ts';
import { buildDesiredState } from '../../src/tenancy/desired-state.ts';
import { houseServerURL } from '../../src/tenancy/house-address.ts';
import { type LooseDocument, validTenant } from '../fixtures/tenants.ts';
import { subjectMay } from '../support/access-review.ts';
import { memberClient } from '../support/argocd-api.ts';
import { asBreakGlass } from '../support/break-glass.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { startOperator } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const { http, discovery } = testCluster();
startOperator();
const team = uniqueName('house');
const houseNamespace = `vcluster-${team}`;
const tenantPath = `/apis/landlord.dev/v1alpha1/tenants/${team}`;
const argocd = testEnvironment().platform.argocd.namespace;
const clusterSecretPath = `/api/v1/namespaces/${argocd}/secrets/vcluster-${team}`;
const adminSecretPath = `/api/v1/namespaces/${houseNamespace}/secrets/vc-${team}`;
const hostArgoCdPath = `/apis/argoproj.io/v1alpha1/namespaces/${argocd}/applications/argocd-${team}`;
after(() => http.send({ method: 'DELETE', path: tenantPath }));

function houseDocument() {
  const document = validTenant(team, team);
  document.spec.isolation = 'vcluster';
  document.spec.kubernetesVersion = '1.36';
  delete document.spec.nodePool;
  return document;
}

async function liveObject(kind: string, apiVersion: string, name: string, namespace?: string) {
  const resource = await discovery.resource(apiVersion, kind);
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const path = namespace
    ? `${base}/namespaces/${namespace}/${resource.plural}/${name}`
    : `${base}/${resource.plural}/${name}`;
  return http.request<LooseDocument>({ method: 'GET', path });
}

const getTenant = () => http.request<Tenant>({ method: 'GET', path: tenantPath });
const conditionOf = (tenant: Tenant, type: string) => tenant.status?.conditions?.find((c) => c.type === type);

/** A throwaway CA and client certificate, standing in for what vCluster writes (no house answers here). */
function fakeCredentials(dir: string, cn: string): Record<string, string> {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-subj',
    '/CN=fake-ca',
    '-days',
    '1',
  );
  run(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'client.key',
    '-out',
    'client.csr',
    '-subj',
    `/CN=${cn}`,
  );
  run(
    'x509',
    '-req',
    '-in',
    'client.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'client.crt',
    '-days',
    '1',
  );
  const b64 = (file: string) => readFileSync(join(dir, file)).toString('base64');
  return {
    'certificate-authority': b64('ca.crt'),
    'client-certificate': b64('client.crt'),
    'client-key': b64('client.key'),
    config: b64('client.crt'),
  };
}

describe('a house (isolation: vcluster)', () => {
  it('creates every object of its desired state, exactly, in vcluster-<team> and Argo CD’s namespace', async () => {
    await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: houseDocument() });
    await waitFor(
      async () => conditionOf(await getTenant(), 'ArgoCDReady')?.status === 'True',
      'the house’s objects',
      60_000,
    );
    const defaulted = validateTenant(houseDocument());
    assert.ok(defaulted.ok);
    const tenant = await getTenant();
    // The house's own Argo CD is applied once the house answers (tenancy/house/argocd-gate.ts): compared below then.
    const ownArgoCd = (object: { kind: string; metadata: { name: string } }) =>
      object.kind === 'Application' && object.metadata.name === `argocd-${team}`;
    if (conditionOf(tenant, 'HouseAPIReady')?.status !== 'True')
      assert.equal((await http.send({ method: 'GET', path: hostArgoCdPath })).status, 404, 'before the house answers');
    for (const object of buildDesiredState(defaulted.tenant, testEnvironment().platform)
      .flatMap((part) => part.objects)
      .filter((object) => !ownArgoCd(object))) {
      const live = await liveObject(object.kind, object.apiVersion, object.metadata.name, object.metadata.namespace);
      const { stringData, ...comparable } = object;
      assert.ok(isSubset(comparable, live), `${object.kind} ${object.metadata.name} differs: ${JSON.stringify(live)}`);
      assert.deepEqual(
        live.metadata.ownerReferences?.map((o: { uid: string }) => o.uid),
        [tenant.metadata.uid],
      );
    }
    assert.deepEqual(tenant.status?.namespaces, [houseNamespace]);
    assert.equal((await http.send({ method: 'GET', path: `/api/v1/namespaces/${team}` })).status, 404);
  });

  it('is not Ready while the vCluster is not deployed, registered and answering, and says so', async () => {
    const tenant = await getTenant();
    assert.equal(tenant.status?.phase, 'Provisioning');
    assert.equal(conditionOf(tenant, 'HouseDeployed')?.status, 'False');
    assert.equal(conditionOf(tenant, 'HouseRegistered')?.reason, 'WaitingForCredentials');
    assert.equal(tenant.status?.vclusterURL, houseServerURL(tenant, testEnvironment().platform));
  });

  it('gives the team’s group no access to the house’s admin Secret, its namespace or anything cluster-wide', async () => {
    const member = { user: 'alice', groups: [team, 'system:authenticated'] };
    for (const attributes of [
      { verb: 'get', resource: 'secrets', namespace: houseNamespace, name: `vc-${team}` },
      { verb: 'list', resource: 'secrets', namespace: houseNamespace },
      { verb: 'create', resource: 'pods', namespace: houseNamespace },
      { verb: 'create', resource: 'pods/exec', namespace: houseNamespace },
      { verb: 'get', resource: 'secrets', namespace: argocd, name: `vcluster-${team}` },
      { verb: 'create', resource: 'rolebindings', group: 'rbac.authorization.k8s.io', namespace: houseNamespace },
      { verb: 'list', resource: 'secrets' },
    ])
      assert.equal(await subjectMay(http, member, attributes), false, JSON.stringify(attributes));
    // Nor may the chart deployer read beyond its namespace.
    const deployer = {
      user: `system:serviceaccount:${houseNamespace}:landlord-house-deployer`,
      groups: ['system:serviceaccounts'],
    };
    assert.equal(await subjectMay(http, deployer, { verb: 'get', resource: 'secrets', namespace: argocd }), false);
    assert.equal(
      await subjectMay(http, deployer, {
        verb: 'create',
        resource: 'statefulsets',
        group: 'apps',
        namespace: houseNamespace,
      }),
      true,
    );
    assert.equal(
      await subjectMay(http, deployer, {
        verb: 'create',
        resource: 'clusterroles',
        group: 'rbac.authorization.k8s.io',
      }),
      false,
    );
  });

  it('refuses a member of the team who tries to read vc-<team> or deploy through the house’s project', async () => {
    const asAlice = { 'Impersonate-User': 'alice', 'Impersonate-Group': team };
    const read = await http.send({ method: 'GET', path: adminSecretPath, headers: asAlice });
    assert.equal(read.status, 403);
    // Through Argo CD: the house's project has no role, so no member creates or syncs anything in it.
    const alice = await memberClient('alice', [team]);
    const created = await alice.call('POST', '/api/v1/applications', {
      metadata: { name: `${team}-sneak`, namespace: argocd },
      spec: {
        project: `vcluster-${team}`,
        source: {
          repoURL: testEnvironment().platform.houses.chart.repoURL,
          chart: 'vcluster',
          targetRevision: '0.36.1',
        },
        destination: { server: testEnvironment().platform.argocd.destinationServer, namespace: houseNamespace },
      },
    });
    assert.equal(created.status, 403, JSON.stringify(created.body));
    const clusters = await alice.call<{ items?: { server: string }[] }>('GET', '/api/v1/clusters');
    assert.ok(
      !JSON.stringify(clusters.body).includes(`vcluster-${team}`),
      'the house’s registration is not shown to members',
    );
  });

  it('registers the house from vc-<team> and follows a change of its credentials, which appear nowhere else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'house-'));
    try {
      const first = fakeCredentials(dir, 'first');
      await http.request({
        method: 'POST',
        path: `/api/v1/namespaces/${houseNamespace}/secrets`,
        headers: asBreakGlass,
        body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: `vc-${team}` }, data: first },
      });
      const configOf = async () => {
        const secret = await http.request<{ data?: Record<string, string> }>({
          method: 'GET',
          path: clusterSecretPath,
        });
        return secret.data?.config ? JSON.parse(Buffer.from(secret.data.config, 'base64').toString()) : undefined;
      };
      await waitFor(
        async () => (await configOf())?.tlsClientConfig?.certData === first['client-certificate'],
        'the registration',
        30_000,
      );
      const config = await configOf();
      assert.deepEqual(config.tlsClientConfig, {
        caData: first['certificate-authority'],
        certData: first['client-certificate'],
        keyData: first['client-key'],
      });
      const secret = await http.request<LooseDocument>({ method: 'GET', path: clusterSecretPath });
      assert.equal(secret.metadata.labels['argocd.argoproj.io/secret-type'], 'cluster');
      assert.equal(Buffer.from(secret.data.project, 'base64').toString(), `vcluster-${team}`);
      await waitFor(
        async () => conditionOf(await getTenant(), 'HouseRegistered')?.status === 'True',
        'HouseRegistered',
        30_000,
      );
      const tenant = await getTenant();
      assert.equal(
        conditionOf(tenant, 'HouseAPIReady')?.status,
        'False',
        'nothing answers at the house’s address here',
      );

      const second = fakeCredentials(dir, 'second');
      await http.request({
        method: 'PATCH',
        path: adminSecretPath,
        headers: asBreakGlass,
        body: { data: second },
        contentType: 'application/merge-patch+json',
      });
      await waitFor(
        async () => (await configOf())?.tlsClientConfig?.certData === second['client-certificate'],
        'the new credentials',
        30_000,
      );

      // No key material in the tenant, the cluster Secret's annotations or the tenant's events.
      const key = second['client-key'] ?? '';
      const pem = Buffer.from(key, 'base64').toString().split('\n')[1] ?? '';
      const live = JSON.stringify(await http.request({ method: 'GET', path: clusterSecretPath }));
      const annotations = JSON.stringify(JSON.parse(live).metadata.annotations ?? {});
      const events = JSON.stringify(await http.request({ method: 'GET', path: '/apis/events.k8s.io/v1/events' }));
      for (const text of [JSON.stringify(await getTenant()), annotations, events]) {
        assert.ok(!text.includes(key.slice(0, 40)) && !text.includes(pem), 'a credential leaked');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tears down in order: what is deployed into the house, the registration, the vCluster release, the namespace', async () => {
    const server = houseServerURL(await getTenant(), testEnvironment().platform);
    // A house in use: its own Argo CD installed (one deleted before it answered: house-early-delete.test.ts).
    await waitFor(
      async () => conditionOf(await getTenant(), 'HouseArgoCDReady')?.status === 'True',
      'the house’s own Argo CD installed',
      300_000,
    );
    const defaulted = validateTenant(houseDocument());
    assert.ok(defaulted.ok);
    const desiredArgoCd = buildDesiredState(defaulted.tenant, testEnvironment().platform)
      .flatMap((part) => part.objects)
      .find((object) => object.kind === 'Application' && object.metadata.name === `argocd-${team}`);
    assert.ok(desiredArgoCd && isSubset(desiredArgoCd, await http.request({ method: 'GET', path: hostArgoCdPath })));
    // An Application aimed at the house, held back by a finalizer as if the house’s team left one inside.
    const hold = 'test.landlord.dev/hold';
    await http.request({
      method: 'POST',
      path: `/apis/argoproj.io/v1alpha1/namespaces/${argocd}/applications`,
      headers: asBreakGlass,
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: `${team}-inside`, finalizers: [hold] },
        spec: {
          project: `vcluster-${team}`,
          source: {
            repoURL: testEnvironment().platform.houses.chart.repoURL,
            chart: 'vcluster',
            targetRevision: '0.36.1',
          },
          destination: { server, namespace: 'default' },
        },
      },
    });
    await http.request({ method: 'DELETE', path: tenantPath });
    await waitFor(
      async () => /Application .*-inside/.test(conditionOf(await getTenant(), 'Ready')?.message ?? ''),
      'the teardown to wait for the Application inside the house',
      30_000,
    );
    assert.equal(
      (await http.send({ method: 'GET', path: clusterSecretPath })).status,
      200,
      'registration kept while the house is used',
    );
    assert.equal(
      (
        await http.send({
          method: 'GET',
          path: `/apis/argoproj.io/v1alpha1/namespaces/${argocd}/applications/vcluster-${team}`,
        })
      ).status,
      200,
    );
    await http.request({
      method: 'PATCH',
      path: `/apis/argoproj.io/v1alpha1/namespaces/${argocd}/applications/${team}-inside`,
      headers: asBreakGlass,
      body: { metadata: { finalizers: [] } },
      contentType: 'application/merge-patch+json',
    });
    await waitFor(
      async () => (await http.send({ method: 'GET', path: tenantPath })).status === 404,
      'the teardown',
      120_000,
    );
    for (const path of [
      clusterSecretPath,
      `/api/v1/namespaces/${houseNamespace}`,
      `/apis/argoproj.io/v1alpha1/namespaces/${argocd}/appprojects/vcluster-${team}`,
    ])
      assert.equal(
        (await http.send({ method: 'GET', path })).status === 404 ||
          (await http.request<LooseDocument>({ method: 'GET', path })).metadata?.deletionTimestamp !== undefined,
        true,
        path,
      );
  });
});
