import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import type { Tenant } from '../../src/api/tenant.ts';
import { git } from '../../src/git/commit-files.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { commitToPlatformRepo, createTeamRepo, refreshApplication, waitForApplication } from '../support/argocd.ts';
import { testEnvironment, uniqueName } from '../support/cluster.ts';
import { startOperator, tenantExists, waitForPhase, waitUntilGone } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';
import { PortalApiClient } from '../support/portal-api.ts';
import { startTestPortal } from '../support/portal.ts';

const { platform, platformRepo } = testEnvironment();
const platformApp = 'landlord-platform';
startOperator();
const portal = await startTestPortal({
  mode: 'gitops',
  platformRepoURL: platformRepo.repoURL,
  platformApplication: { namespace: platform.argocd.namespace, name: platformApp },
});
const team = uniqueName('pgit');
const neighbour = uniqueName('pgitn');
const repoPath = new URL(platformRepo.repoURL).pathname;

/** Tells Argo CD about the new commit, as the Git host's webhook would, and waits for the sync. */
async function syncPlatform(): Promise<void> {
  const head = (await git(repoPath, ['rev-parse', 'main'])).stdout.trim();
  await refreshApplication(platform.argocd.namespace, platformApp);
  await waitForApplication(
    platform.argocd.namespace,
    platformApp,
    (app) => app.status?.sync?.revision === head && app.status?.operationState?.phase === 'Succeeded',
    `the platform app synced at ${head}`,
  );
}

const lastCommitOf = async (file: string) =>
  (await git(repoPath, ['log', '-1', '--format=%an <%ae>|%s', 'main', '--', file])).stdout.trim();

describe('the portal in GitOps mode commits requests to the platform repository', () => {
  after(async () => {
    await commitToPlatformRepo({ [`tenants/${neighbour}.yaml`]: null }, `Remove ${neighbour}`);
    await syncPlatform();
  });

  it('commits tenants/<name>.yaml as the requester; Argo CD creates the Tenant; it becomes Ready', async () => {
    // Argo CD never lets an automated sync empty the repository's app (allowEmpty false): a neighbour stays.
    await commitToPlatformRepo({ [`tenants/${neighbour}.yaml`]: stringify(validTenant(neighbour, neighbour)) }, 'Add');
    await createTeamRepo(team);
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    const { spec } = validTenant(team, team);
    const answer = await arthur.send('POST', '/api/v1/tenants', { spec: { ...spec, adGroup: 'devteam-a' } });
    assert.equal(answer.status, 202, await answer.clone().text());
    assert.deepEqual(await answer.json(), { name: team, mode: 'gitops' });
    const file = `tenants/${team}.yaml`;
    assert.match(
      await lastCommitOf(file),
      new RegExp(`^Arthur Amsel <arthur@financecore.example>\\|Request tenant ${team}`),
    );
    const committed = parse((await git(repoPath, ['show', `main:${file}`])).stdout) as Tenant;
    assert.equal(committed.spec.adGroup, 'devteam-a');
    assert.equal(committed.spec.isolation, 'namespace', 'with the schema defaults, as reviewed');
    const again = await arthur.send('POST', '/api/v1/tenants', {
      name: `${team}-2`,
      spec: { ...spec, adGroup: 'devteam-a' },
    });
    assert.equal(again.status, 409, 'the team already has a tenant file (or Tenant)');
    // No refresh from the test: the portal tells Argo CD itself (Argo CD would poll only after 60 s or more).
    await waitFor(() => tenantExists(team), `Argo CD to create ${team}`, 20_000);
    await waitForPhase(team, 'Ready');
    assert.ok(portal.audit.some((line) => line.action === 'request' && line.tenant === team && line.commit));
  });

  it('decommissions by removing the file, as the requester', async () => {
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    const answer = await arthur.send('DELETE', `/api/v1/tenants/${team}`, { confirm: team });
    assert.equal(answer.status, 202, await answer.clone().text());
    assert.match(
      await lastCommitOf(`tenants/${team}.yaml`),
      /^Arthur Amsel <arthur@financecore.example>\|Decommission tenant/,
    );
    await waitUntilGone(team, 30_000);
  });
});
