import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { restrictedDeployment, waitForApplication } from '../support/argocd.ts';
import { mergeManifests } from '../support/team-repository.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { startFactoryOperator } from '../support/git-factory.ts';
import { waitFor } from '../support/wait.ts';
import { provisionTeam } from '../support/teams.ts';

const { http } = testCluster();
const argocdNamespace = testEnvironment().platform.argocd.namespace;
startFactoryOperator();
const team = uniqueName('deploy');

describe('a team deploys through its repository', () => {
  it('gets its Deployment synced by the initializer and running on the simulated nodes', async () => {
    await provisionTeam(team);
    const initializer = `application-initializer-${team}`;
    await waitForApplication(
      argocdNamespace,
      initializer,
      (app) => app.status?.sync?.status === 'Synced',
      'first sync',
    );

    const pushed = Date.now();
    const revision = await mergeManifests(
      team,
      { 'payments.yaml': [restrictedDeployment('payments', 2)] },
      'Add payments',
    );
    const app = await waitForApplication(
      argocdNamespace,
      initializer,
      (candidate) =>
        candidate.status?.sync?.revision === revision &&
        candidate.status?.sync?.status === 'Synced' &&
        candidate.status?.health?.status === 'Healthy' &&
        candidate.status?.operationState?.phase === 'Succeeded',
      'the pushed revision Synced, Healthy and its sync Succeeded',
    );
    process.stderr.write(`[measure] push to Healthy: ${Date.now() - pushed} ms\n`);
    assert.equal(app.status?.operationState?.syncResult?.revision, revision);

    const deployment = await http.request<{ status?: { readyReplicas?: number } }>({
      method: 'GET',
      path: `/apis/apps/v1/namespaces/${team}/deployments/payments`,
    });
    assert.equal(deployment.status?.readyReplicas, 2, 'KWOK runs both replicas');
    await waitFor(async () => {
      const pods = await http.request<{ items: { status: { phase: string } }[] }>({
        method: 'GET',
        path: `/api/v1/namespaces/${team}/pods`,
        query: { labelSelector: 'app=payments' },
      });
      return pods.items.length === 2 && pods.items.every((pod) => pod.status.phase === 'Running');
    }, 'two Running pods');
  });
});
