import assert from 'node:assert/strict';
import { request } from 'node:https';
import { connect } from 'node:net';
import { after, describe, it } from 'node:test';
import type { Tenant } from '../../src/api/tenant.ts';
import { houseServerURL } from '../../src/tenancy/house-address.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { adminClient } from '../support/argocd-api.ts';
import { stringify } from 'yaml';
import { commitFiles } from '../../src/git/commit-files.ts';
import { createTeamRepo, refreshApplication } from '../support/argocd.ts';
import { asBreakGlass } from '../support/break-glass.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const { http } = testCluster();
const operator = startOperator();
const team = uniqueName('hr');
const tenants = '/apis/landlord.dev/v1alpha1/tenants';
const argocd = testEnvironment().platform.argocd.namespace;
const argo = `/apis/argoproj.io/v1alpha1/namespaces/${argocd}`;
/** Whether anything still accepts a connection at the house's address (its runner's bridge, its vCluster). */
function answers(url: URL): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port || 443) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The platform admin's own Application into the house: theirs to remove, never the operator's. */
async function removeInsideApplication(): Promise<void> {
  await http.send({ method: 'DELETE', path: `${argo}/applications/${team}-inside`, headers: asBreakGlass });
  await http.send({ method: 'DELETE', path: `${argo}/appprojects/${team}-inside`, headers: asBreakGlass });
}

/** GET inside the house with the admin credentials vCluster wrote (as a platform admin may). */
async function inHouse(server: string, path: string): Promise<{ status: number; body: string }> {
  const secret = await http.request<{ data: Record<string, string> }>({
    method: 'GET',
    path: `/api/v1/namespaces/vcluster-${team}/secrets/vc-${team}`,
  });
  const pem = (key: string) => Buffer.from(secret.data[key] ?? '', 'base64');
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, server),
      { ca: pem('certificate-authority'), cert: pem('client-certificate'), key: pem('client-key'), timeout: 5000 },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('a house, for real (the local runner runs its vCluster)', () => {
  // Before the operator's own cleanup (file level), which waits for every tenant to go.
  after(async () => {
    await removeInsideApplication();
    await http.send({ method: 'DELETE', path: `${tenants}/${team}` });
  });

  it('becomes Ready: deployed by the host Argo CD, registered, answering with the requested version', async () => {
    const document = validTenant(team, team);
    document.spec.isolation = 'vcluster';
    document.spec.kubernetesVersion = '1.36';
    delete document.spec.nodePool;
    await http.request({ method: 'POST', path: tenants, body: document });
    const tenant = await waitForPhase(team, 'Ready', 600_000);
    const types = (tenant.status?.conditions ?? []).filter((c) => c.status === 'True').map((c) => c.type);
    for (const type of ['HouseDeployed', 'HouseRegistered', 'HouseAPIReady']) assert.ok(types.includes(type), type);
    assert.match(tenant.status?.kubernetesVersion ?? '', /^v1\.36\./);
    assert.equal(tenant.status?.vclusterURL, houseServerURL(tenant, testEnvironment().platform));
    assert.ok((tenant.status?.provisioningSeconds ?? 0) > 0);
    const metrics = await operator.metrics.registry.metrics();
    assert.match(metrics, new RegExp(`landlord_house_up\\{tenant="${team}"\\} 1`));
  });

  it('is a cluster Argo CD connects to (Successful) and deploys into through a host Application', async () => {
    const tenant = await http.request<Tenant>({ method: 'GET', path: `${tenants}/${team}` });
    const server = houseServerURL(tenant, testEnvironment().platform);
    const client = await adminClient();
    const repo = await createTeamRepo(team);
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'hello', namespace: 'default' },
      data: { from: 'host' },
    };
    await commitFiles(
      repo,
      [{ path: 'applicationset/configmap.yaml', content: stringify(configMap) }],
      'a ConfigMap for the house',
      {
        name: team,
        email: `${team}@financecore.example`,
      },
    );
    await http.request({
      method: 'POST',
      path: `${argo}/appprojects`,
      headers: asBreakGlass,
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AppProject',
        metadata: { name: `${team}-inside` },
        spec: {
          sourceRepos: [repo],
          destinations: [{ server, namespace: 'default' }],
          destinationServiceAccounts: [
            { server, namespace: 'default', defaultServiceAccount: 'kube-system:landlord-argocd' },
          ],
        },
      },
    });
    await http.request({
      method: 'POST',
      path: `${argo}/applications`,
      headers: asBreakGlass,
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: `${team}-inside` },
        spec: {
          project: `${team}-inside`,
          source: { repoURL: repo, path: 'applicationset', targetRevision: 'main' },
          destination: { server, namespace: 'default' },
          syncPolicy: { automated: {} },
        },
      },
    });
    await refreshApplication(argocd, `${team}-inside`);
    await waitFor(
      async () => (await inHouse(server, '/api/v1/namespaces/default/configmaps/hello')).status === 200,
      'the ConfigMap inside the house',
      180_000,
    );
    await waitFor(
      async () => {
        const clusters = await client.call<{ items?: { server: string; connectionState?: { status?: string } }[] }>(
          'GET',
          '/api/v1/clusters',
        );
        return clusters.body.items?.find((c) => c.server === server)?.connectionState?.status === 'Successful';
      },
      'Argo CD to report the house’s connection Successful',
      120_000,
    );
  });

  it('is decommissioned whole: Applications, registration, namespace and the vCluster process gone', async () => {
    const tenant = await http.request<Tenant>({ method: 'GET', path: `${tenants}/${team}` });
    const server = houseServerURL(tenant, testEnvironment().platform);
    await http.request({ method: 'DELETE', path: `${tenants}/${team}` });
    // The admin's Application aimed at the house holds the teardown (never deleted by Landlord) until its owner acts.
    await waitFor(
      async () => {
        const held = await http.request<Tenant>({ method: 'GET', path: `${tenants}/${team}` });
        return JSON.stringify(held.status?.conditions ?? []).includes(`${team}-inside`);
      },
      'the teardown to say which Application it waits for',
      60_000,
    );
    const inside = await http.send({ method: 'GET', path: `${argo}/applications/${team}-inside` });
    assert.equal(inside.status, 200, 'the operator deleted an Application that is not its own');
    await removeInsideApplication();
    await waitFor(
      async () => (await http.send({ method: 'GET', path: `${tenants}/${team}` })).status === 404,
      'the house tenant to be gone',
      300_000,
    );
    for (const path of [
      `/api/v1/namespaces/vcluster-${team}`,
      `/api/v1/namespaces/${argocd}/secrets/vcluster-${team}`,
      `${argo}/applications/vcluster-${team}`,
      `${argo}/appprojects/vcluster-${team}`,
    ])
      assert.equal((await http.send({ method: 'GET', path })).status, 404, path);
    await waitFor(async () => !(await answers(new URL(server))), 'the house’s address to stop answering', 60_000);
  });
});
