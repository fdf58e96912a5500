import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { Tenant } from '../../src/api/tenant.ts';
import { gitDir } from '../../src/dev/environment.ts';
import { ensureSeededRepo, repoURL } from '../../src/dev/git/local-repos.ts';
import { applyObject } from '../../src/kube/apply.ts';
import {
  buildPlatformApplication,
  buildPlatformProject,
  platformDeployers,
  type PlatformRepo,
} from '../../src/platform/platform-application.ts';
import { renderTenantFolder } from '../../src/tenancy/gitops-folder.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { applyDeployRbac } from '../support/deploy-rbac.ts';
import { asBreakGlass } from '../support/break-glass.ts';
import { commitToPlatformRepo, createTeamRepo, refreshApplication, waitForApplication } from '../support/argocd.ts';
import { subjectMay } from '../support/access-review.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { startOperator, waitForPhase, waitUntilGone } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const { http, discovery, cluster } = testCluster();
const { platform } = testEnvironment();
const argocdNamespace = platform.argocd.namespace;
const platformApp = 'landlord-platform';
startOperator();
const team = uniqueName('platform');
const neighbour = uniqueName('neighbour');
const file = `tenants/${team}.yaml`;
const tenantDocument = (cpu: string, name = team) => {
  const tenant = validTenant(name, name);
  tenant.spec.resourceQuota.cpu = cpu;
  return stringify(tenant);
};
/** What the API server's authorizer answers for a user (a SubjectAccessReview). */
const deployerMay = (user: string, attributes: { verb: string; group: string; resource: string; namespace?: string }) =>
  subjectMay(http, { user }, attributes);
const quotaCpu = async () => {
  const quotas = await http.request<{ items: { spec: { hard: Record<string, string> } }[] }>({
    method: 'GET',
    path: `/api/v1/namespaces/${team}/resourcequotas`,
  });
  return quotas.items.map((quota) => quota.spec.hard['requests.cpu']);
};
/** Commits to the platform repo and tells Argo CD, as the Git host's webhook would; waits for the sync. */
const commitAndSync = async (files: Record<string, string | null>, message: string) => {
  const revision = await commitToPlatformRepo(files, message);
  await refreshApplication(argocdNamespace, platformApp);
  await waitForApplication(
    argocdNamespace,
    platformApp,
    (app) => app.status?.sync?.revision === revision && app.status?.operationState?.phase === 'Succeeded',
    `the platform app synced at ${revision}`,
  );
};

describe('the platform repository (tenants/*.yaml) drives the tenants', () => {
  let neighbourUid: string | undefined;
  after(() => commitAndSync({ [`tenants/${neighbour}.yaml`]: null }, `Remove ${neighbour}`));

  it('provisions a tenant when its file is added', async () => {
    await createTeamRepo(team);
    // Argo CD never lets an automated sync empty the repository's app (allowEmpty false): a neighbour stays.
    await commitAndSync({ [`tenants/${neighbour}.yaml`]: tenantDocument('2', neighbour) }, `Add ${neighbour}`);
    neighbourUid = (await waitForPhase(neighbour, 'Ready')).metadata.uid;
    const committed = Date.now();
    await commitAndSync({ [file]: tenantDocument('8') }, `Add ${team}`);
    const tenant = await waitForPhase(team, 'Ready');
    process.stderr.write(`[measure] platform repo commit to tenant Ready: ${Date.now() - committed} ms\n`);
    assert.ok(tenant.metadata.annotations?.['argocd.argoproj.io/tracking-id'], 'the Tenant is tracked by Argo CD');
    assert.deepEqual(await quotaCpu(), ['8']);
  });

  it('is synced as the platform deployer, which may manage Tenants and nothing else', async () => {
    const project = await http.request<{ spec: { destinationServiceAccounts: unknown[] } }>({
      method: 'GET',
      path: `/apis/argoproj.io/v1alpha1/namespaces/${argocdNamespace}/appprojects/${platformApp}`,
    });
    const deployer = `${argocdNamespace}:${platformDeployers.tenants}`;
    assert.deepEqual(project.spec.destinationServiceAccounts, [
      { server: '*', namespace: '*', defaultServiceAccount: deployer },
    ]);
    const may = (verb: string, group: string, resource: string, namespace?: string) =>
      deployerMay(`system:serviceaccount:${deployer}`, { verb, group, resource, namespace });
    assert.equal(await may('create', 'landlord.dev', 'tenants'), true);
    assert.equal(await may('delete', 'landlord.dev', 'tenants'), true);
    assert.equal(await may('create', '', 'namespaces'), false);
    assert.equal(await may('create', 'rbac.authorization.k8s.io', 'rolebindings', team), false);
    assert.equal(await may('get', '', 'secrets', argocdNamespace), false);
    assert.equal(await may('patch', 'argoproj.io', 'appprojects', argocdNamespace), false);
  });

  it('updates the tenant when its file changes', async () => {
    await commitAndSync({ [file]: tenantDocument('12') }, `Grow ${team}`);
    await waitFor(async () => (await quotaCpu()).join() === '12', 'the quota to follow the file');
  });

  it('decommissions the tenant when its file is removed', async () => {
    await commitAndSync({ [file]: null }, `Remove ${team}`);
    await waitUntilGone(team);
    const namespace = await http.send({ method: 'GET', path: `/api/v1/namespaces/${team}` });
    assert.ok(namespace.status === 404 || JSON.parse(namespace.body).status?.phase === 'Terminating');
    const neighbourNow = await waitForPhase(neighbour, 'Ready');
    assert.equal(neighbourNow.metadata.uid, neighbourUid, 'the neighbour is the same object, never deleted');
    assert.equal(neighbourNow.metadata.deletionTimestamp, undefined, 'nor being deleted');
  });
});

describe('a platform repository holding the output of `landlord render`', () => {
  const renderedTeam = uniqueName('rendered');
  const repoPath = join(gitDir(cluster), `${renderedTeam}-platform.git`);
  const rendered: PlatformRepo = {
    name: `landlord-platform-${renderedTeam}`,
    repoURL: repoURL(repoPath),
    targetRevision: 'main',
    layout: 'rendered',
  };
  after(async () => {
    // Argo CD will not prune a repository emptied whole (allowEmpty false): remove the app, then what it made,
    // as break-glass (the admission policies let no one else remove Landlord's objects by hand).
    const argo = `/apis/argoproj.io/v1alpha1/namespaces/${argocdNamespace}`;
    for (const path of [
      `${argo}/applications/${rendered.name}`,
      `${argo}/appprojects/${rendered.name}`,
      `${argo}/applications/application-initializer-${renderedTeam}`,
      `${argo}/appprojects/${renderedTeam}`,
      `/api/v1/namespaces/${argocdNamespace}/secrets/repo-${renderedTeam}`,
      `/api/v1/namespaces/${renderedTeam}`,
    ]) {
      await http.send({ method: 'DELETE', path, headers: asBreakGlass });
      await waitFor(async () => (await http.send({ method: 'GET', path })).status === 404, `${path} gone`, 60_000);
    }
  });

  it('provisions the same objects, applied by Argo CD', async () => {
    const tenant = validTenant(renderedTeam, renderedTeam) as Tenant;
    tenant.spec.isolation = 'namespace';
    const files = renderTenantFolder(tenant, platform);
    await ensureSeededRepo(
      repoPath,
      [...files].map(([path, content]) => ({ path, content })),
      'Rendered',
    );
    // Argo CD syncs this layout as its own deployer, with the rights `landlord render` output needs.
    await applyDeployRbac('platform-deployer-rendered.yaml');
    await applyObject(http, discovery, buildPlatformProject(platform, rendered));
    await applyObject(http, discovery, buildPlatformApplication(platform, rendered));
    await waitForApplication(
      argocdNamespace,
      rendered.name as string,
      (app) => app.status?.operationState?.phase === 'Succeeded' && app.status?.sync?.status === 'Synced',
      'the rendered platform app synced',
    );
    for (const path of [
      `/api/v1/namespaces/${renderedTeam}`,
      `/api/v1/namespaces/${renderedTeam}/resourcequotas`,
      `/apis/networking.k8s.io/v1/namespaces/${renderedTeam}/networkpolicies/default-deny-all`,
      `/apis/argoproj.io/v1alpha1/namespaces/${argocdNamespace}/appprojects/${renderedTeam}`,
      `/apis/argoproj.io/v1alpha1/namespaces/${argocdNamespace}/applications/application-initializer-${renderedTeam}`,
    ]) {
      const response = await http.send({ method: 'GET', path });
      assert.equal(response.status, 200, `${path} exists`);
    }
  });
});
