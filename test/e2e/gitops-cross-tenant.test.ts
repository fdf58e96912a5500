import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { finishedSyncOf, restrictedDeployment, waitForApplication } from '../support/argocd.ts';
import { mergeManifests } from '../support/team-repository.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { startFactoryOperator } from '../support/git-factory.ts';
import { provisionTeam } from '../support/teams.ts';

const { http } = testCluster();
const argocdNamespace = testEnvironment().platform.argocd.namespace;
startFactoryOperator();
const teamA = uniqueName('cross-a');
const teamB = uniqueName('cross-b');

describe("a manifest in devteam-a's repository that targets devteam-b's namespace", () => {
  it('is refused by Argo CD and nothing appears in devteam-b', async () => {
    await provisionTeam(teamA, 'devteam-a');
    await provisionTeam(teamB, 'devteam-b');
    const initializer = `application-initializer-${teamA}`;
    const revision = await mergeManifests(
      teamA,
      { 'intruder.yaml': [restrictedDeployment('intruder', 1, teamB)] },
      'Deploy into the neighbour',
    );
    const app = await waitForApplication(
      argocdNamespace,
      initializer,
      finishedSyncOf(revision),
      'a finished sync attempt of the pushed revision',
    );
    assert.notEqual(app.status?.operationState?.phase, 'Succeeded');
    const refusal = JSON.stringify(app.status);
    assert.match(refusal, new RegExp(`namespace ${teamB} is not permitted in project`), refusal);

    const inB = await http.send({ method: 'GET', path: `/apis/apps/v1/namespaces/${teamB}/deployments/intruder` });
    assert.equal(inB.status, 404, "no Deployment in devteam-b's namespace");
  });
});
