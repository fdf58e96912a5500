import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { Tenant } from '../../src/api/tenant.ts';
import { giteaDown, giteaUp } from '../../src/dev/forge/gitea-lifecycle.ts';
import { withdrawCredentials, writeCredentials } from '../../src/operator/git/repository-credentials.ts';
import { exampleDirectory } from '../../src/dev/identity/directory.ts';
import { giteaApi, giteaPath } from '../../src/integrations/git/gitea/gitea-api.ts';
import type { RepositoryRef } from '../../src/integrations/git/git-forge.ts';
import { waitForApplication } from '../support/argocd.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { identitySecrets } from '../support/directory.ts';
import { createFactoryTenant, factoryIntegrations, factoryPlatform, readerOf } from '../support/git-factory.ts';
import { git, gitClone, type GitLogin } from '../support/git-http.ts';
import { giteaAsAdmin, giteaAsPerson } from '../support/gitea.ts';
import { approve, merge, openPullRequest } from '../support/forge-pull-request.ts';
import { startOperator, waitForPhase, waitUntilGone } from '../support/operator.ts';
import { watchRefreshRequests } from '../support/refresh-requests.ts';
import { waitFor } from '../support/wait.ts';

// The Git repository factory on the real local Gitea: the operator makes each tenant its repository from the
// template, protects main, grants the team's group, gives Argo CD a read-only machine user, wires the webhook;
// archives at decommission; waits out a forge that is down; never takes over a repository it did not make.
const { http, cluster } = testCluster();
const { gitea, argocd, platform } = testEnvironment();
startOperator({ platform: factoryPlatform, integrations: factoryIntegrations() });
const argocdNamespace = platform.argocd.namespace;
const scratch = mkdtempSync(join(tmpdir(), 'landlord-git-factory-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const person = (uid: string): GitLogin => ({ username: uid, password: identitySecrets().users[uid] ?? '' });
const tenantsPath = '/apis/landlord.dev/v1alpha1/tenants';
const team = uniqueName('gf');
const repository: RepositoryRef = { organization: gitea.organization, name: `${team}-gitops` };
const repoPath = giteaPath('repos', repository.organization, repository.name);
const cloneURL = `${gitea.url}/${repository.organization}/${repository.name}.git`;

async function getTenant(name: string): Promise<Tenant> {
  return http.request<Tenant>({ method: 'GET', path: `${tenantsPath}/${name}` });
}

const conditionOf = (tenant: Tenant, type: string) => tenant.status?.conditions?.find((c) => c.type === type);

/** Clones as `login`, commits the files on a new branch and pushes it; returns the branch. */
async function pushBranch(login: GitLogin, files: Record<string, string>, target?: string) {
  const clone = await gitClone(scratch, cloneURL, login);
  assert.ok(clone.ok, clone.stderr);
  const branch = uniqueName('change');
  await git(clone.dir, ['checkout', '--quiet', '-b', branch]);
  for (const [path, content] of Object.entries(files)) writeFileSync(join(clone.dir, path), content);
  await git(clone.dir, ['add', '.']);
  await git(clone.dir, ['commit', '--quiet', '-m', `change ${branch}`]);
  const pushed = await git(clone.dir, ['push', 'origin', `HEAD:refs/heads/${target ?? branch}`], login);
  return { branch, pushed };
}

/**
 * `author` pushes the files (null: removed) on a new branch, opens a pull request, carol (a platform admin) approves,
 * `author` merges: the reviewed way to change main.
 */
async function mergeFiles(repo: RepositoryRef, author: string, files: Record<string, string | null>) {
  const clone = await gitClone(scratch, `${gitea.url}/${repo.organization}/${repo.name}.git`, person(author));
  assert.ok(clone.ok, clone.stderr);
  const branch = uniqueName('proposal');
  await git(clone.dir, ['checkout', '--quiet', '-b', branch]);
  for (const [file, content] of Object.entries(files)) {
    if (content === null) rmSync(join(clone.dir, file));
    else {
      mkdirSync(dirname(join(clone.dir, file)), { recursive: true });
      writeFileSync(join(clone.dir, file), content);
    }
  }
  await git(clone.dir, ['add', '--all']);
  await git(clone.dir, ['commit', '--quiet', '-m', `${author}: ${Object.keys(files).join(', ')}`]);
  const pushed = await git(clone.dir, ['push', 'origin', `HEAD:refs/heads/${branch}`], person(author));
  assert.ok(pushed.ok, pushed.stderr);
  const pull = await openPullRequest(repo, branch, author);
  await approve(pull, 'carol');
  const merged = await merge(pull, author);
  assert.equal(merged.status, 200, merged.message);
}

describe('the Git repository factory', () => {
  it("makes a new tenant its repository from the template, and Argo CD reads it as the tenant's reader", async () => {
    await createFactoryTenant(team, team);
    const tenant = await waitForPhase(team, 'Ready', 180_000);
    assert.equal(tenant.status?.gitRepoURL, cloneURL);
    assert.equal(conditionOf(tenant, 'GitRepositoryReady')?.status, 'True');

    const found = await giteaAsAdmin().request<{ private: boolean; description: string }>('GET', repoPath);
    assert.equal(found.status, 200);
    assert.equal(found.body.private, true);
    assert.equal(found.body.description, `Managed by Landlord: tenant ${team} uid ${tenant.metadata.uid}`);
    const clone = await gitClone(scratch, cloneURL, person('alice'));
    assert.ok(clone.ok, clone.stderr);
    assert.deepEqual(readdirSync(join(clone.dir, 'applicationset')), ['README.md'], "the template's folder");

    const reader = await readerOf(team);
    assert.equal(reader.username, `landlord-reader-${team}`);
    const asReader = giteaApi(gitea.url, { username: reader.username, password: reader.password });
    assert.equal((await asReader.request('GET', repoPath)).status, 200, 'the reader reads its repository');
    const template = giteaPath('repos', 'landlord-templates', 'namespace-tenant');
    assert.equal((await asReader.request('GET', template)).status, 404, 'and nothing else');
    assert.equal((await gitClone(scratch, cloneURL, reader)).ok, true);
    assert.equal((await pushBranch(reader, { 'x.txt': 'x\n' })).pushed.ok, false, 'the reader never pushes');

    await waitForApplication(
      argocdNamespace,
      `application-initializer-${team}`,
      (app) => app.status?.sync?.status === 'Synced' && app.status?.health?.status === 'Healthy',
      "the initializer Synced and Healthy from the factory's repository",
    );
  });

  it("keeps main to reviewed pull requests and the repository from another team's members", async () => {
    const direct = await pushBranch(person('alice'), { 'direct.txt': 'direct\n' }, 'main');
    assert.equal(direct.pushed.ok, false, 'a direct push to main was taken');
    const { branch, pushed } = await pushBranch(person('arthur'), { 'proposal.txt': 'proposal\n' });
    assert.ok(pushed.ok, pushed.stderr);
    const pull = await openPullRequest(repository, branch, 'arthur');
    const early = await merge(pull, 'arthur');
    assert.equal(early.status, 405, 'merged without an approval');
    // bob is of devteam-b: he neither sees the repository nor clones it.
    assert.equal((await giteaAsPerson('bob').request('GET', repoPath)).status, 404);
    assert.equal((await gitClone(scratch, cloneURL, person('bob'))).ok, false);
  });

  it("deploys a merged pull request: the forge's webhook tells Argo CD, which syncs it into the namespace", async () => {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-a-merge' }, data: { a: 'b' } };
    const { branch, pushed } = await pushBranch(person('alice'), {
      'applicationset/from-a-merge.yaml': stringify(configMap),
    });
    assert.ok(pushed.ok, pushed.stderr);
    const pull = await openPullRequest(repository, branch, 'alice');
    // Carol is a platform admin: her approval counts, so a team of one is not locked out of its main.
    await approve(pull, 'carol');
    const refreshes = watchRefreshRequests(argocdNamespace, `application-initializer-${team}`);
    const merged = Date.now();
    assert.equal((await merge(pull, 'alice')).status, 200);
    await waitFor(
      async () =>
        (await http.send({ method: 'GET', path: `/api/v1/namespaces/${team}/configmaps/from-a-merge` })).status === 200,
      'the merged ConfigMap in the namespace',
      120_000,
    );
    process.stderr.write(`[measure] merge to deployed (webhook, polling every 60 s here): ${Date.now() - merged} ms\n`);
    // Nobody but the forge's webhook asked Argo CD to look: polling sets no refresh request.
    assert.ok((await refreshes.stop()) > 0, 'the push reached Argo CD as a refresh request');
  });

  it("builds nothing from another team's repository: a kustomize remote base there fails for lack of access", async () => {
    // Team B (bob's group) has a kustomization of its own on main, through a reviewed pull request.
    const teamB = uniqueName('gfb');
    await createFactoryTenant(teamB, teamB, 'devteam-b');
    await waitForPhase(teamB, 'Ready', 180_000);
    const repositoryB: RepositoryRef = { organization: gitea.organization, name: `${teamB}-gitops` };
    const secretOfB = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'team-b-secret-sauce' },
      data: { b: 'b' },
    };
    await mergeFiles(repositoryB, 'bob', {
      'shared/kustomization.yaml': stringify({ resources: ['sauce.yaml'] }),
      'shared/sauce.yaml': stringify(secretOfB),
    });
    // Team A points a remote base at it: Argo CD reads as A's reader, who cannot read B's repository.
    const remote = `${gitea.url}/${repositoryB.organization}/${repositoryB.name}//shared?ref=main`;
    await mergeFiles(repository, 'alice', {
      'applicationset/kustomization.yaml': stringify({ resources: ['from-a-merge.yaml', remote] }),
    });
    const app = await waitForApplication(
      argocdNamespace,
      `application-initializer-${team}`,
      (candidate) => (candidate.status?.conditions ?? []).some((condition) => condition.type === 'ComparisonError'),
      'a comparison error for the remote base',
      180_000,
    );
    const error = (app.status?.conditions ?? []).map((condition) => condition.message).join('; ');
    assert.match(error, new RegExp(repositoryB.name));
    assert.match(error, /Authentication failed|could not read Username|not found|403|404/i);
    const leaked = await http.send({
      method: 'GET',
      path: `/api/v1/namespaces/${team}/configmaps/team-b-secret-sauce`,
    });
    assert.equal(leaked.status, 404, "nothing of team B's repository reached team A's namespace");
    // Team A takes the remote base out again: its own manifests deploy as before.
    await mergeFiles(repository, 'alice', { 'applicationset/kustomization.yaml': null });
  });

  it('ignores a push announced to Argo CD with a wrong secret', async () => {
    const body = JSON.stringify({ ref: 'refs/heads/main', repository: { html_url: cloneURL.replace(/\.git$/, '') } });
    const response = await fetch(`${argocd.url}/api/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gogs-event': 'push', 'x-gogs-signature': 'f'.repeat(64) },
      body,
    });
    assert.equal(response.status, 400, 'a push signed with another secret is refused');
  });

  it('refuses a group the forge does not know, naming it, and makes nothing', async () => {
    const stranger = uniqueName('gfx');
    await createFactoryTenant(stranger, stranger, 'no-such-group');
    const tenant = await waitForPhase(stranger, 'Failed', 120_000);
    const condition = conditionOf(tenant, 'GitRepositoryReady');
    assert.equal(condition?.reason, 'GroupNotOnForge');
    assert.match(condition?.message ?? '', /spec\.adGroup: "no-such-group" has no team/);
    const made = await giteaAsAdmin().request('GET', giteaPath('repos', gitea.organization, `${stranger}-gitops`));
    assert.equal(made.status, 404, 'nothing is made for a group nobody on the forge is in');
    await http.send({ method: 'DELETE', path: `${tenantsPath}/${stranger}` });
    await waitUntilGone(stranger, 120_000);
  });

  it('waits with a clear condition while the forge is down, and finishes with one repository when it is back', async () => {
    const late = uniqueName('gfd');
    await giteaDown(cluster);
    try {
      await createFactoryTenant(late, late);
      await waitFor(
        async () => conditionOf(await getTenant(late), 'GitRepositoryReady')?.reason === 'ForgeUnavailable',
        'GitRepositoryReady False, ForgeUnavailable',
        120_000,
      );
      const waiting = await getTenant(late);
      assert.equal(waiting.status?.phase, 'Provisioning');
      assert.equal(conditionOf(waiting, 'NamespacesReady')?.status, 'True', 'the rest of the tenant is in place');
      assert.equal(conditionOf(waiting, 'ArgoCDReady')?.status, 'True');
    } finally {
      await giteaUp(cluster, exampleDirectory(), () => {});
    }
    await waitForPhase(late, 'Ready', 180_000);
    const search = await giteaAsAdmin().request<{ data: { name: string }[] }>(
      'GET',
      `/repos/search?q=${late}-gitops&limit=50`,
    );
    assert.deepEqual(
      search.body.data.map((repo) => repo.name).filter((name) => name.startsWith(late)),
      [`${late}-gitops`],
    );
    await http.send({ method: 'DELETE', path: `${tenantsPath}/${late}` });
    await waitUntilGone(late, 120_000);
  });

  it("takes the reader's name and token out of the repository Secret and leaves the rest", async () => {
    // What the operator does before a team's own repository URL is put in the Secret (hold-concerns.ts release).
    const name = uniqueName('gfw');
    const tenant = { metadata: { name }, spec: { teamName: name } } as Tenant;
    const ctx = { http, cache: undefined as never, platform, countWrite: () => {}, log: () => {} };
    const path = `/api/v1/namespaces/${argocdNamespace}/secrets/repo-${name}`;
    await http.request({
      method: 'PATCH',
      path,
      query: { fieldManager: 'landlord', force: 'true' },
      contentType: 'application/apply-patch+yaml',
      body: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `repo-${name}`, namespace: argocdNamespace },
        stringData: { url: 'https://git.example/team.git' },
      },
    });
    try {
      await writeCredentials(ctx, tenant, { username: 'landlord-reader-x', token: 'not-for-another-host' });
      await withdrawCredentials(ctx, tenant);
      const secret = await http.request<{ data: Record<string, string> }>({ method: 'GET', path });
      assert.deepEqual(Object.keys(secret.data), ['url']);
    } finally {
      await http.send({ method: 'DELETE', path });
    }
  });

  it('archives the repository once the tenant is gone: pushes refused, history kept', async () => {
    await http.send({ method: 'DELETE', path: `${tenantsPath}/${team}` });
    await waitUntilGone(team, 180_000);
    const found = await giteaAsAdmin().request<{ archived: boolean }>('GET', repoPath);
    assert.equal(found.body.archived, true);
    const clone = await gitClone(scratch, cloneURL, person('alice'));
    assert.ok(clone.ok, clone.stderr);
    assert.ok(readdirSync(join(clone.dir, 'applicationset')).includes('from-a-merge.yaml'), 'history kept');
    assert.equal((await pushBranch(person('alice'), { 'late.txt': 'late\n' })).pushed.ok, false);
  });

  it('refuses a new tenant of the same team name the archived repository, saying what a platform admin can do', async () => {
    await createFactoryTenant(`${team}-again`, team);
    const tenant = await waitForPhase(`${team}-again`, 'Failed', 120_000);
    const condition = conditionOf(tenant, 'GitRepositoryReady');
    assert.equal(condition?.reason, 'RepositoryNotOurs');
    assert.match(condition?.message ?? '', new RegExp(`${repository.organization}/${repository.name} exists`));
    assert.match(condition?.message ?? '', /archived/);
    assert.equal((await giteaAsAdmin().request<{ archived: boolean }>('GET', repoPath)).body.archived, true);
  });

  it('makes that tenant a fresh repository once a platform admin renames the old one away, which keeps its history', async () => {
    const admin = giteaAsAdmin();
    const retired = `${repository.name}-retired`;
    const renamed = await admin.request('PATCH', repoPath, { name: retired });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    // A person's change of the tenant is what brings a Failed one back; Gitea still redirects the old name.
    await http.request({
      method: 'PATCH',
      path: `${tenantsPath}/${team}-again`,
      body: { metadata: { annotations: { 'example.com/retried': 'after-the-rename' } } },
      contentType: 'application/merge-patch+json',
    });
    const tenant = await waitForPhase(`${team}-again`, 'Ready', 180_000);
    const fresh = await admin.request<{ archived: boolean; description: string; name: string }>('GET', repoPath);
    assert.equal(fresh.body.name, repository.name);
    assert.equal(fresh.body.archived, false);
    assert.equal(fresh.body.description, `Managed by Landlord: tenant ${team}-again uid ${tenant.metadata.uid}`);
    const old = await admin.request<{ archived: boolean }>('GET', giteaPath('repos', repository.organization, retired));
    assert.equal(old.body.archived, true, 'the old repository kept as the admin left it');
    await http.send({ method: 'DELETE', path: `${tenantsPath}/${team}-again` });
    await waitUntilGone(`${team}-again`, 180_000);
  });
});
