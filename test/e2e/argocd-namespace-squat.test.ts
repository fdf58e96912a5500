import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { finishedSyncOf, waitForApplication } from '../support/argocd.ts';
import { mergeManifests, factoryRepoURL } from '../support/team-repository.ts';
import { memberClient } from '../support/argocd-api.ts';
import { subjectMay } from '../support/access-review.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { kubectl } from '../support/kubectl.ts';
import { startFactoryOperator } from '../support/git-factory.ts';
import { provisionTeam } from '../support/teams.ts';

const { http, kubeconfig } = testCluster();
const { platform } = testEnvironment();
const argocdNamespace = platform.argocd.namespace;
startFactoryOperator();
const team = uniqueName('squatter');
// The team's directory group, mirrored on the forge as a team: its members push to the team's repository.
const group = 'devteam-a';
// The team that comes later, whose initializer's name the squatter wants to take first.
const later = uniqueName('later');
const initializer = (name: string) => `application-initializer-${name}`;
const applicationPath = (namespace: string, name: string) =>
  `/apis/argoproj.io/v1alpha1/namespaces/${namespace}/applications/${name}`;
const exists = async (path: string) => (await http.send({ method: 'GET', path })).status === 200;

/** An Application in Argo CD's namespace, in the squatter's own project, named like the later team's initializer. */
const squat = (namespace = argocdNamespace) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: initializer(later), namespace },
  spec: {
    project: team,
    source: { repoURL: factoryRepoURL(team), path: 'applicationset', targetRevision: 'main' },
    destination: { server: platform.argocd.destinationServer, namespace: team },
  },
});
const applicationSet = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'ApplicationSet',
  metadata: { name: `${later}-set`, namespace: argocdNamespace },
  spec: { generators: [{ list: { elements: [] } }], template: { metadata: { name: 'x' }, spec: squat().spec } },
};
const appProject = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AppProject',
  metadata: { name: later, namespace: argocdNamespace },
  spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }] },
};

/** What the API server's authorizer answers for the team's deployer (a SubjectAccessReview). */
const deployerMay = (verb: string, resource: string, namespace: string) =>
  subjectMay(
    http,
    {
      user: `system:serviceaccount:${argocdNamespace}:${team}-deployer`,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${argocdNamespace}`],
    },
    { verb, resource, group: 'argoproj.io', namespace },
  );

describe("a team member taking a name in Argo CD's namespace", () => {
  it('is set up: the squatter’s tenant', async () => {
    await provisionTeam(team, group);
  });

  it('is refused by kubectl (RBAC): no Application, ApplicationSet or AppProject in Argo CD’s namespace', async () => {
    for (const object of [squat(), applicationSet, appProject]) {
      const file = join(tmpdir(), `${uniqueName('squat')}.json`);
      writeFileSync(file, JSON.stringify(object));
      const member = ['--as', 'alice@financecore.example', '--as-group', group];
      const created = await kubectl(kubeconfig, ...member, 'create', '-f', file).then(
        () => undefined,
        (error: { stderr: string }) => error.stderr,
      );
      assert.match(
        created ?? 'created',
        new RegExp(
          `forbidden: User "alice@financecore.example" cannot create resource "${object.kind.toLowerCase()}s" in API group "argoproj.io" in the namespace "${argocdNamespace}"`,
        ),
        object.kind,
      );
    }
    assert.equal(await exists(applicationPath(argocdNamespace, initializer(later))), false);
  });

  it('is refused by the Argo CD API: the project role creates, changes and deletes no Application', async () => {
    const alice = await memberClient('alice', []);
    const created = await alice.call<{ message?: string }>('POST', '/api/v1/applications', squat());
    assert.equal(created.status, 403, JSON.stringify(created.body));
    assert.match(
      created.body.message ?? '',
      new RegExp(`permission denied: applications, create, ${team}/${initializer(later)}`),
    );
    assert.equal(await exists(applicationPath(argocdNamespace, initializer(later))), false);
    // Nowhere else either: the team's applications come from its repository, through the initializer.
    const inOwn = await alice.call<{ message?: string }>('POST', '/api/v1/applications', {
      ...squat(team),
      metadata: { name: 'own', namespace: team },
    });
    assert.equal(inOwn.status, 403, JSON.stringify(inOwn.body));
    assert.match(inOwn.body.message ?? '', new RegExp(`permission denied: applications, create, ${team}/${team}/own`));
    // Nor may the member delete or repoint the initializer Landlord derives for the team.
    const own = `/api/v1/applications/${initializer(team)}?appNamespace=${argocdNamespace}`;
    assert.equal((await alice.call('DELETE', own)).status, 403);
    // ApplicationSets and AppProjects: no policy of the project role names them.
    const set = await alice.call('POST', '/api/v1/applicationsets', applicationSet);
    assert.equal(set.status, 403, JSON.stringify(set.body));
    const project = await alice.call('POST', '/api/v1/projects', { project: appProject });
    assert.equal(project.status, 403, JSON.stringify(project.body));
  });

  it('keeps what the team needs: viewing and syncing its initializer, its logs', async () => {
    const alice = await memberClient('alice', []);
    const own = `/api/v1/applications/${initializer(team)}`;
    assert.equal((await alice.call('GET', `${own}?appNamespace=${argocdNamespace}`)).status, 200);
    const synced = await alice.call('POST', `${own}/sync?appNamespace=${argocdNamespace}`, {});
    assert.equal(synced.status, 200, JSON.stringify(synced.body));
    const logs = await alice.call(
      'GET',
      `${own}/logs?appNamespace=${argocdNamespace}&namespace=${team}&podName=none&follow=false`,
    );
    assert.notEqual(logs.status, 403, `logs are the team's to read: ${JSON.stringify(logs.body)}`);
  });

  it('is refused through Git: the initializer applies nothing into Argo CD’s namespace', async () => {
    const revision = await mergeManifests(
      team,
      { 'squat.yaml': [squat(), applicationSet, appProject] },
      "Take the later team's names first",
    );
    const app = await waitForApplication(
      argocdNamespace,
      initializer(team),
      finishedSyncOf(revision),
      'a finished sync attempt of the pushed revision',
    );
    const refusal = JSON.stringify(app.status);
    assert.notEqual(app.status?.operationState?.phase, 'Succeeded', refusal);
    for (const kind of ['Application', 'ApplicationSet', 'AppProject']) {
      assert.match(refusal, new RegExp(`${kind}[^"]* is not permitted in project`), `${kind} refused: ${refusal}`);
    }
    assert.equal(await exists(applicationPath(argocdNamespace, initializer(later))), false);
    assert.equal(await exists(`/apis/argoproj.io/v1alpha1/namespaces/${argocdNamespace}/appprojects/${later}`), false);
    // Were the project to let them through, the deployer Argo CD syncs as could not write them either.
    for (const resource of ['applications', 'applicationsets', 'appprojects']) {
      assert.equal(
        await deployerMay('create', resource, argocdNamespace),
        false,
        `the deployer creates no ${resource}`,
      );
    }
  });

  it('leaves the later team its names: it is provisioned Ready, not NotOurs', async () => {
    await mergeManifests(team, { 'squat.yaml': null }, 'Give up');
    await provisionTeam(later, 'devteam-b');
    const own = await waitForApplication(
      argocdNamespace,
      initializer(later),
      (a) => a.spec.project === later,
      'its own',
    );
    assert.equal(own.spec.project, later);
  });
});
