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
const team = uniqueName('heal');
// The team's directory group, mirrored on the forge as a team: its members push to the team's repository.
const group = 'devteam-a';
const deploymentPath = `/apis/apps/v1/namespaces/${team}/deployments/payments`;
const replicas = async () =>
  (await http.request<{ spec: { replicas: number } }>({ method: 'GET', path: deploymentPath })).spec.replicas;

describe('a synced resource edited by hand', () => {
  it('is put back by Argo CD (selfHeal)', async () => {
    await provisionTeam(team, group);
    const initializer = `application-initializer-${team}`;
    const revision = await mergeManifests(
      team,
      { 'payments.yaml': [restrictedDeployment('payments', 1)] },
      'Add payments',
    );
    await waitForApplication(
      argocdNamespace,
      initializer,
      (app) => app.status?.sync?.revision === revision && app.status?.sync?.status === 'Synced',
      'the Deployment synced',
    );

    // A team member scales by hand, bypassing Git.
    await http.request({
      method: 'PATCH',
      path: deploymentPath,
      body: { spec: { replicas: 5 } },
      contentType: 'application/merge-patch+json',
      headers: { 'Impersonate-User': 'mallory@financecore.example', 'Impersonate-Group': group },
    });
    assert.equal(await replicas(), 5, 'the hand edit landed');
    const edited = Date.now();
    await waitFor(async () => (await replicas()) === 1, 'Argo CD to restore 1 replica from Git', 60_000);
    process.stderr.write(`[measure] hand edit reverted by selfHeal in ${Date.now() - edited} ms\n`);
  });
});
