import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitForApplication } from '../support/argocd.ts';
import { factoryRepoURL } from '../support/team-repository.ts';
import { memberClient } from '../support/argocd-api.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { startFactoryOperator } from '../support/git-factory.ts';
import { provisionTeam } from '../support/teams.ts';

const { http } = testCluster();
const { platform } = testEnvironment();
startFactoryOperator();
const teamA = uniqueName('rogue-a');
const teamB = uniqueName('rogue-b');

/** An Application team A declares in its own namespace. */
const application = (name: string, project: string, destinationNamespace: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name, namespace: teamA },
  spec: {
    project,
    source: { repoURL: factoryRepoURL(teamA), path: 'applicationset', targetRevision: 'main' },
    destination: { server: platform.argocd.destinationServer, namespace: destinationNamespace },
    syncPolicy: { automated: { prune: true } },
  },
});
const refusedWith = (name: string, message: RegExp) =>
  waitForApplication(
    teamA,
    name,
    (app) => (app.status?.conditions ?? []).some((condition) => message.test(condition.message)),
    `a condition saying ${message}`,
  );

describe('an Application a team declares in its own namespace', () => {
  it('is set up: two tenants', async () => {
    await provisionTeam(teamA, 'devteam-a');
    await provisionTeam(teamB, 'devteam-b');
  });

  it("is refused when it names another team's project", async () => {
    await http.request({
      method: 'POST',
      path: `/apis/argoproj.io/v1alpha1/namespaces/${teamA}/applications`,
      body: application('borrow-project', teamB, teamB),
    });
    const app = await refusedWith('borrow-project', /is not permitted to use project/);
    assert.notEqual(app.status?.sync?.status, 'Synced');
    const inB = await http.send({ method: 'GET', path: `/apis/apps/v1/namespaces/${teamB}/deployments` });
    assert.deepEqual(JSON.parse(inB.body).items, [], "nothing deployed into team B's namespace");
  });

  it('is refused when its destination is outside its namespaces', async () => {
    await http.request({
      method: 'POST',
      path: `/apis/argoproj.io/v1alpha1/namespaces/${teamA}/applications`,
      body: application('escape', teamA, teamB),
    });
    const app = await refusedWith('escape', /do not match any of the allowed destinations/);
    assert.notEqual(app.status?.sync?.status, 'Synced');
  });

  it('cannot even be created through the Argo CD API by a member of team A', async () => {
    const alice = await memberClient('alice', []);
    const body = application('via-api', teamB, teamB);
    const created = await alice.call('POST', '/api/v1/applications', body);
    assert.equal(created.status, 403, JSON.stringify(created.body));
    const live = await http.send({
      method: 'GET',
      path: `/apis/argoproj.io/v1alpha1/namespaces/${teamA}/applications/via-api`,
    });
    assert.equal(live.status, 404);
  });
});
