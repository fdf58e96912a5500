import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Tenant } from '../../src/api/tenant.ts';
import { holdsNamesBefore } from '../../src/operator/name-verdict.ts';
import type { ErrorBody } from '../../src/portal/errors.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { startOperator, tenantExists, waitForPhase } from '../support/operator.ts';
import { PortalApiClient } from '../support/portal-api.ts';
import { startTestPortal } from '../support/portal.ts';
import { waitFor } from '../support/wait.ts';

const { http } = testCluster();
const argocdNamespace = testEnvironment().platform.argocd.namespace;
startOperator();
const portal = await startTestPortal();

const tenantsPath = '/apis/landlord.dev/v1alpha1/tenants';
const exists = async (path: string) => (await http.send({ method: 'GET', path })).status === 200;
const readyCondition = (tenant: Tenant) => tenant.status?.conditions?.find((condition) => condition.type === 'Ready');

/** A Tenant as the platform repository would bring it (straight to the API server: the operator must judge it). */
async function createTenant(name: string, teamName: string, additionalNamespaces: string[] = []): Promise<Tenant> {
  const body = validTenant(name, teamName);
  if (additionalNamespaces.length > 0) body.spec.additionalNamespaces = additionalNamespaces;
  return http.request<Tenant>({ method: 'POST', path: tenantsPath, body });
}

/** Nothing of the team exists: no namespace, no AppProject, no initializer, no deployer. */
async function assertNothingOf(teamName: string): Promise<void> {
  for (const path of [
    `/api/v1/namespaces/${teamName}`,
    `/apis/argoproj.io/v1alpha1/namespaces/${argocdNamespace}/appprojects/${teamName}`,
    `/apis/argoproj.io/v1alpha1/namespaces/${argocdNamespace}/applications/application-initializer-${teamName}`,
    `/api/v1/namespaces/${argocdNamespace}/serviceaccounts/${teamName}-deployer`,
  ]) {
    assert.equal(await exists(path), false, `${path} was not created`);
  }
}

/** The namespace is the tenant's, as the operator labelled it. */
async function assertNamespaceOf(namespace: string, tenant: string): Promise<void> {
  const found = await http.request<{ metadata: { labels?: Record<string, string> } }>({
    method: 'GET',
    path: `/api/v1/namespaces/${namespace}`,
  });
  assert.equal(found.metadata.labels?.['landlord.dev/tenant'], tenant, `${namespace} is still ${tenant}'s`);
}

describe('a team name in another team’s space, reaching the operator', () => {
  it("refuses fin-payments while fin (with its namespace fin-payments) exists, touching nothing of fin's", async () => {
    const fin = uniqueName('fin');
    await createTenant(fin, fin, ['payments']);
    await waitForPhase(fin, 'Ready');
    const later = `${fin}-payments`;
    await createTenant(later, later);
    const refused = await waitForPhase(later, 'Failed');
    assert.equal(readyCondition(refused)?.reason, 'NameInAnotherTeamsSpace');
    assert.match(
      readyCondition(refused)?.message ?? '',
      new RegExp(`lies in the names of team ${fin} \\(Tenant ${fin}\\)`),
    );
    assert.match(readyCondition(refused)?.message ?? '', /a team owns its name and every name <team>-\.\.\./);
    assert.deepEqual(refused.status?.heldObjects ?? [], [], 'nothing applied for the refused tenant');
    await assertNamespaceOf(later, fin);
    for (const path of [
      `/apis/argoproj.io/v1alpha1/namespaces/${argocdNamespace}/appprojects/${later}`,
      `/apis/argoproj.io/v1alpha1/namespaces/${argocdNamespace}/applications/application-initializer-${later}`,
    ]) {
      assert.equal(await exists(path), false, `${path} was not created`);
    }
    assert.equal((await waitForPhase(fin, 'Ready')).status?.phase, 'Ready', 'fin stays Ready');
  });

  it('refuses fin while fin-payments exists (the other order), touching nothing of fin-payments', async () => {
    const fin = uniqueName('fin');
    const first = `${fin}-payments`;
    await createTenant(first, first);
    await waitForPhase(first, 'Ready');
    await createTenant(fin, fin, ['payments']);
    const refused = await waitForPhase(fin, 'Failed');
    assert.equal(readyCondition(refused)?.reason, 'NameInAnotherTeamsSpace');
    assert.match(
      readyCondition(refused)?.message ?? '',
      new RegExp(`would own the name ${first} of team ${first} \\(Tenant ${first}\\)`),
    );
    await assertNothingOf(fin);
    await assertNamespaceOf(first, first);
    assert.equal((await waitForPhase(first, 'Ready')).status?.phase, 'Ready');
  });

  it('lets the refused tenant through once the one holding the names is gone', async () => {
    const root = uniqueName('gone');
    await createTenant(root, root);
    await waitForPhase(root, 'Ready');
    await createTenant(`${root}-b`, `${root}-b`);
    await waitForPhase(`${root}-b`, 'Failed');
    await http.request({ method: 'DELETE', path: `${tenantsPath}/${root}` });
    // No resync helps here (the default is 10 min): the deletion itself must send the refused one back.
    await waitForPhase(`${root}-b`, 'Ready', 60_000);
  });

  it('decides two tenants created at once: one Ready, the other refused naming it, having applied nothing', async () => {
    const team = uniqueName('race');
    const names = [team, `${team}-x`];
    await Promise.all(names.map((name) => createTenant(name, name)));
    let settled: Tenant[] = [];
    await waitFor(async () => {
      settled = await Promise.all(
        names.map((name) => http.request<Tenant>({ method: 'GET', path: `${tenantsPath}/${name}` })),
      );
      return settled.some((t) => t.status?.phase === 'Ready') && settled.some((t) => t.status?.phase === 'Failed');
    }, 'one tenant Ready and the other Failed');
    const winner = settled.find((t) => t.status?.phase === 'Ready') as Tenant;
    const loser = settled.find((t) => t.status?.phase === 'Failed') as Tenant;
    assert.equal(readyCondition(loser)?.reason, 'NameInAnotherTeamsSpace');
    assert.match(readyCondition(loser)?.message ?? '', new RegExp(`\\(Tenant ${winner.metadata.name}\\)`));
    assert.deepEqual(loser.status?.heldObjects ?? [], [], 'the loser applied nothing');
    assert.ok(holdsNamesBefore(winner, loser), 'what the Tenants record says decides it');
  });

  it("refuses the platform's names configured for this installation: the ingress controller's namespace", async () => {
    for (const teamName of ['ingress-nginx', 'ingress']) {
      const name = uniqueName('reserved');
      await createTenant(name, teamName);
      const refused = await waitForPhase(name, 'Failed');
      assert.equal(readyCondition(refused)?.reason, 'NameReserved', teamName);
      assert.match(
        readyCondition(refused)?.message ?? '',
        /the platform's reserved name ingress-nginx \(the ingress controller's namespace\)/,
      );
      assert.deepEqual(refused.status?.heldObjects ?? [], []);
      await http.request({ method: 'DELETE', path: `${tenantsPath}/${name}` });
    }
    assert.equal(await exists('/apis/argoproj.io/v1alpha1/namespaces/argocd/appprojects/ingress'), false);
    assert.equal(await exists('/api/v1/namespaces/ingress'), false);
  });
});

describe('a team name in another team’s space, requested through the portal', () => {
  /** What the request form sends for a team of devteam-a. */
  const request = (teamName: string, additionalNamespaces: string[] = []) => {
    const { spec } = validTenant(teamName, teamName);
    return {
      spec: { ...spec, adGroup: 'devteam-a', ...(additionalNamespaces.length ? { additionalNamespaces } : {}) },
    };
  };
  const refusal = async (answer: Response) => ({ status: answer.status, body: (await answer.json()) as ErrorBody });
  /** The portal has seen the tenant (its cache is what it judges requests by). */
  const seenByPortal = (client: PortalApiClient, name: string) =>
    waitFor(async () => (await client.get(`/api/v1/tenants/${name}`)).status === 200, `the portal to see ${name}`);

  it('refuses fin-payments while fin exists, and fin while fin-payments exists, naming the holder; writes nothing', async () => {
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    const fin = uniqueName('pfin');
    assert.equal((await arthur.send('POST', '/api/v1/tenants', request(fin, ['payments']))).status, 202);
    await seenByPortal(arthur, fin);
    const later = await refusal(await arthur.send('POST', '/api/v1/tenants', request(`${fin}-payments`)));
    assert.equal(later.status, 409, JSON.stringify(later.body));
    assert.equal(later.body.error.code, 'name-taken');
    assert.match(later.body.error.message, new RegExp(`lies in the names of team ${fin} \\(Tenant ${fin}\\)`));
    assert.equal(later.body.error.fields?.[0]?.path, 'spec.teamName');
    assert.equal(await tenantExists(`${fin}-payments`), false, 'no Tenant written');

    const other = uniqueName('pfin');
    assert.equal((await arthur.send('POST', '/api/v1/tenants', request(`${other}-payments`))).status, 202);
    await seenByPortal(arthur, `${other}-payments`);
    const reverse = await refusal(await arthur.send('POST', '/api/v1/tenants', request(other, ['payments'])));
    assert.equal(reverse.status, 409, JSON.stringify(reverse.body));
    assert.match(
      reverse.body.error.message,
      new RegExp(`would own the name ${other}-payments of team ${other}-payments`),
    );
    assert.equal(await tenantExists(other), false, 'no Tenant written');
  });

  it("refuses the platform's names: ingress-nginx and ingress (configured), kube-system (in the CRD)", async () => {
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    for (const teamName of ['ingress-nginx', 'ingress']) {
      const answer = await refusal(await arthur.send('POST', '/api/v1/tenants', request(teamName)));
      assert.equal(answer.status, 422, JSON.stringify(answer.body));
      assert.equal(answer.body.error.code, 'reserved');
      assert.match(answer.body.error.message, /reserved name ingress-nginx \(the ingress controller's namespace\)/);
      assert.equal(await tenantExists(teamName), false);
    }
    for (const teamName of ['kube-system', 'vcluster-fin', 'argocd-fin']) {
      const answer = await refusal(await arthur.send('POST', '/api/v1/tenants', request(teamName)));
      assert.equal(answer.status, 422, JSON.stringify(answer.body));
      assert.match(answer.body.error.message, /nor be or start with kube-, vcluster- or argocd-/);
      assert.equal(await tenantExists(teamName), false);
    }
  });
});
