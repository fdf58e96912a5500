import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { finishedSyncOf, waitForApplication } from '../support/argocd.ts';
import { mergeManifests } from '../support/team-repository.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { startFactoryOperator } from '../support/git-factory.ts';
import { provisionTeam } from '../support/teams.ts';

const { http } = testCluster();
const argocdNamespace = testEnvironment().platform.argocd.namespace;
startFactoryOperator();
const team = uniqueName('kinds');

/** What a team may not bring in through Git: the platform's own objects, and anything cluster-wide. */
const forbidden = [
  {
    file: 'quota.yaml',
    path: `/api/v1/namespaces/${team}/resourcequotas/more-cpu`,
    object: { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'more-cpu' }, spec: { hard: { cpu: '999' } } },
  },
  {
    file: 'netpol.yaml',
    path: `/apis/networking.k8s.io/v1/namespaces/${team}/networkpolicies/allow-all`,
    object: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-all' },
      spec: { podSelector: {}, ingress: [{}], egress: [{}], policyTypes: ['Ingress', 'Egress'] },
    },
  },
  {
    file: 'clusterrole.yaml',
    path: `/apis/rbac.authorization.k8s.io/v1/clusterroles/${team}-god`,
    object: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: `${team}-god` },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    },
  },
  {
    file: 'namespace.yaml',
    path: `/api/v1/namespaces/${team}-shadow`,
    object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `${team}-shadow` } },
  },
];

describe('platform objects in a team repository', () => {
  it('are refused: ResourceQuota, NetworkPolicy, ClusterRole and Namespace', async () => {
    await provisionTeam(team);
    const initializer = `application-initializer-${team}`;
    const revision = await mergeManifests(
      team,
      Object.fromEntries(forbidden.map((entry) => [entry.file, [entry.object]])),
      'Grant ourselves more',
    );
    const app = await waitForApplication(
      argocdNamespace,
      initializer,
      finishedSyncOf(revision),
      'a finished sync attempt of the pushed revision',
    );
    const refusal = JSON.stringify(app.status);
    assert.notEqual(app.status?.operationState?.phase, 'Succeeded', refusal);
    for (const kind of ['ResourceQuota', 'NetworkPolicy', 'ClusterRole', 'Namespace']) {
      assert.match(refusal, new RegExp(`${kind}[^"]* is not permitted in project`), `${kind} refused: ${refusal}`);
    }
    for (const entry of forbidden) {
      const live = await http.send({ method: 'GET', path: entry.path });
      assert.equal(live.status, 404, `${entry.object.kind} was not created`);
    }
  });
});
