import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { Tenant } from '../../src/api/tenant.ts';
import { git } from '../../src/git/commit-files.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { commitToPlatformRepo, refreshApplication, waitForApplication } from '../support/argocd.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { startOperator, tenantExists, waitForPhase } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const { http } = testCluster();
const { platform, platformRepo } = testEnvironment();
const platformApp = 'landlord-platform';
startOperator();
const team = uniqueName('git100k');
const neighbour = uniqueName('gitn');
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

describe('a Tenant beyond the ceilings committed straight to the platform repository (no portal)', () => {
  // Inside the describe: the files go before the operator's teardown, or Argo CD would bring the Tenants back.
  after(async () => {
    await commitToPlatformRepo({ [`tenants/${team}.yaml`]: null, [`tenants/${neighbour}.yaml`]: null }, 'Remove');
    await syncPlatform();
  });

  it('is created by Argo CD and refused by the operator: Failed naming the ceiling, nothing applied', async () => {
    const hostile = validTenant(team, team);
    hostile.spec.resourceQuota.cpu = '100k';
    // Argo CD never lets an automated sync empty the repository's app (allowEmpty false): a neighbour stays.
    await commitToPlatformRepo(
      {
        [`tenants/${neighbour}.yaml`]: stringify(validTenant(neighbour, neighbour)),
        [`tenants/${team}.yaml`]: stringify(hostile),
      },
      `Add ${team} asking cpu: 100k`,
    );
    await syncPlatform();
    await waitFor(() => tenantExists(team), `Argo CD to create ${team}`, 20_000);
    const tenant: Tenant = await waitForPhase(team, 'Failed');
    const condition = tenant.status?.conditions?.find((c) => c.type === 'WithinLimits');
    assert.equal(condition?.reason, 'CeilingExceeded');
    assert.match(condition?.message ?? '', /spec.resourceQuota.cpu: 100k is above the platform's ceiling of 64/);
    assert.equal((await http.send({ method: 'GET', path: `/api/v1/namespaces/${team}` })).status, 404);
    await waitForPhase(neighbour, 'Ready');
  });
});
