// Issue 12 point 4 through Git: what a team pushes is applied by Argo CD as the team's deployer, and the guardrails
// refuse it there too, the sync reporting the rule; the legitimate objects of the same push are applied.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { finishedSyncOf, waitForApplication } from '../support/argocd.ts';
import { mergeManifests } from '../support/team-repository.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { deployment, ingress, service } from '../support/guardrail-objects.ts';
import { startFactoryOperator } from '../support/git-factory.ts';
import { provisionTeam } from '../support/teams.ts';

const { http } = testCluster();
const { argocd, domain } = testEnvironment().platform;
startFactoryOperator();
const team = uniqueName('guard-git');

describe('guardrails on what a team pushes', () => {
  it('refuse a NodePort Service, a hostPath Deployment and a foreign Ingress host, naming the rule in the sync', async () => {
    await provisionTeam(team);
    const initializer = `application-initializer-${team}`;
    const revision = await mergeManifests(
      team,
      {
        'web.yaml': [deployment('web'), service('web')],
        'exposed.yaml': [service('exposed', { type: 'NodePort' })],
        'host-disk.yaml': [
          deployment('host-disk', (spec) => (spec.volumes = [{ name: 'root', hostPath: { path: '/' } }])),
        ],
        'ingress.yaml': [ingress('argocd-steal', [`argocd-devteam-b.${domain}`])],
      },
      'Expose ourselves',
    );
    const app = await waitForApplication(
      argocd.namespace,
      initializer,
      (candidate) =>
        finishedSyncOf(revision)(candidate) &&
        (candidate.status?.operationState?.syncResult?.resources ?? []).filter((r) => r.status === 'SyncFailed')
          .length === 3,
      'a sync attempt of the pushed revision with its three refusals',
    );
    const results = app.status?.operationState?.syncResult?.resources ?? [];
    const message = (name: string) => results.find((r) => r.name === name)?.message ?? '';
    assert.match(
      message('exposed'),
      /landlord guardrail \(no NodePort or LoadBalancer Services\)/,
      JSON.stringify(results),
    );
    assert.match(message('host-disk'), /landlord guardrail \(no hostPath volumes\)/);
    assert.match(message('argocd-steal'), /landlord guardrail \(Ingress hosts only under the team’s subdomain\)/);
    for (const path of [
      `/api/v1/namespaces/${team}/services/exposed`,
      `/apis/apps/v1/namespaces/${team}/deployments/host-disk`,
      `/apis/networking.k8s.io/v1/namespaces/${team}/ingresses/argocd-steal`,
    ]) {
      assert.equal((await http.send({ method: 'GET', path })).status, 404, `${path} was not created`);
    }
    for (const path of [
      `/api/v1/namespaces/${team}/services/web`,
      `/apis/apps/v1/namespaces/${team}/deployments/web`,
    ]) {
      assert.equal((await http.send({ method: 'GET', path })).status, 200, `${path} was applied`);
    }
  });
});
