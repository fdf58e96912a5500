import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { finishedSyncOf, restrictedDeployment, waitForApplication } from '../support/argocd.ts';
import { mergeManifests } from '../support/team-repository.ts';
import { subjectMay } from '../support/access-review.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { startFactoryOperator } from '../support/git-factory.ts';
import { provisionTeam } from '../support/teams.ts';

const { http } = testCluster();
const argocdNamespace = testEnvironment().platform.argocd.namespace;
startFactoryOperator();
const team = uniqueName('escalate');
// The team's directory group, mirrored on the forge as a team: its members push to the team's repository.
const group = 'devteam-a';
const initializer = `application-initializer-${team}`;
const rbac = 'rbac.authorization.k8s.io/v1';

/** What a team may delegate: a Role with rights it holds (`admin` reads pods), bound to its own ServiceAccount. */
const delegation = [
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'pod-reader' } },
  {
    apiVersion: rbac,
    kind: 'Role',
    metadata: { name: 'pod-reader' },
    rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
  },
  {
    apiVersion: rbac,
    kind: 'RoleBinding',
    metadata: { name: 'pod-reader' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
    subjects: [{ kind: 'ServiceAccount', name: 'pod-reader', namespace: team }],
  },
];

/** The attack of issue 11: the team's own group bound to cluster-admin, pushed through Git. */
const clusterAdminBinding = {
  apiVersion: rbac,
  kind: 'RoleBinding',
  metadata: { name: 'we-are-cluster-admin' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
};

const exists = async (path: string) => (await http.send({ method: 'GET', path })).status === 200;
const deployer = `system:serviceaccount:${argocdNamespace}:${team}-deployer`;
/** A member of the team's directory group, as the API server sees them through impersonation. */
const asMember = (method: 'GET' | 'POST', path: string, body?: unknown) =>
  http.send({
    method,
    path,
    body,
    headers: { 'Impersonate-User': 'alice@financecore.example', 'Impersonate-Group': group },
  });

describe("Argo CD applies a team's repository with the team's rights (sync impersonation)", () => {
  it('applies a Deployment, and a Role and RoleBinding within the rights the team holds', async () => {
    await provisionTeam(team, group);
    const revision = await mergeManifests(
      team,
      { 'payments.yaml': [restrictedDeployment('payments')], 'delegation.yaml': delegation },
      'Deploy payments; let pod-reader read pods',
    );
    await waitForApplication(
      argocdNamespace,
      initializer,
      (app) =>
        app.status?.operationState?.syncResult?.revision === revision &&
        app.status?.operationState?.phase === 'Succeeded' &&
        app.status?.sync?.status === 'Synced',
      'the pushed revision synced',
    );
    for (const path of [
      `/apis/apps/v1/namespaces/${team}/deployments/payments`,
      `/apis/rbac.authorization.k8s.io/v1/namespaces/${team}/roles/pod-reader`,
      `/apis/rbac.authorization.k8s.io/v1/namespaces/${team}/rolebindings/pod-reader`,
    ]) {
      assert.ok(await exists(path), `${path} was applied`);
    }
  });

  it('is refused by the API server for a RoleBinding to cluster-admin, and the sync says so', async () => {
    const revision = await mergeManifests(
      team,
      { 'escalate.yaml': [clusterAdminBinding] },
      'Make the team cluster-admin',
    );
    // The API server's own words, as the team's deployer: not Argo CD's rights, and not a lost reason.
    const reason = /is forbidden: user "([^"]+)".* is attempting to grant RBAC permissions not currently held/s;
    // A retrying attempt passes through "waiting for healthy state": wait for the one that reports its end.
    const app = await waitForApplication(
      argocdNamespace,
      initializer,
      (candidate) =>
        finishedSyncOf(revision)(candidate) && reason.test(candidate.status?.operationState?.message ?? ''),
      'a finished sync attempt of the pushed revision, reporting the refusal',
    );
    const state = app.status?.operationState;
    assert.notEqual(state?.phase, 'Succeeded', JSON.stringify(state));
    const refused = state?.syncResult?.resources?.find((resource) => resource.name === 'we-are-cluster-admin');
    assert.equal(refused?.status, 'SyncFailed', JSON.stringify(refused));
    assert.equal(refused?.message.match(reason)?.[1], deployer, refused?.message);
    assert.match(state?.message ?? '', reason, 'the operation names the refusal too');
    assert.equal(
      await exists(`/apis/rbac.authorization.k8s.io/v1/namespaces/${team}/rolebindings/we-are-cluster-admin`),
      false,
      'no RoleBinding to cluster-admin exists',
    );
    assert.ok(await exists(`/apis/apps/v1/namespaces/${team}/deployments/payments`), 'the rest stays in place');
  });
});

/** What the API server's authorizer answers for a member of the team (a SubjectAccessReview). */
const memberMay = (verb: string, resource: string, namespace: string, name: string) =>
  subjectMay(http, { user: 'alice@financecore.example', groups: [group] }, { verb, resource, namespace, name });

describe("the team's deployer cannot be borrowed by the team", () => {
  it('refuses a member a token for it, impersonating it, and a pod in its namespace', async () => {
    const token = await asMember(
      'POST',
      `/api/v1/namespaces/${argocdNamespace}/serviceaccounts/${team}-deployer/token`,
      { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} },
    );
    assert.equal(token.status, 403, token.body);
    assert.equal(await memberMay('impersonate', 'serviceaccounts', team, 'pod-reader'), true, 'its own, yes');
    assert.equal(await memberMay('impersonate', 'serviceaccounts', argocdNamespace, `${team}-deployer`), false);
    const pod = await asMember('POST', `/api/v1/namespaces/${argocdNamespace}/pods`, {
      metadata: { name: 'borrow' },
      spec: { serviceAccountName: `${team}-deployer`, containers: [{ name: 'c', image: 'busybox' }] },
    });
    assert.equal(pod.status, 403, pod.body);
  });
});
