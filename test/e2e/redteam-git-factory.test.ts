import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { Tenant } from '../../src/api/tenant.ts';
import { giteaApi, type GiteaApi, giteaPath } from '../../src/integrations/git/gitea/gitea-api.ts';
import type { RepositoryRef } from '../../src/integrations/git/git-forge.ts';
import { waitForApplication } from '../support/argocd.ts';
import { memberClient } from '../support/argocd-api.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { identitySecrets } from '../support/directory.ts';
import { approve, merge, openPullRequest } from '../support/forge-pull-request.ts';
import { createFactoryTenant, factoryIntegrations, factoryPlatform, readerOf } from '../support/git-factory.ts';
import { git, gitClone, type GitLogin } from '../support/git-http.ts';
import { giteaAsAdmin, giteaAsPerson } from '../support/gitea.ts';
import { startOperator, waitForPhase, waitUntilGone } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

// Red team on the Git repository factory (ADR 38), on the real local Gitea and Argo CD: a member of another team
// (bob, devteam-b), members of the tenant's own team with write access (alice, arthur, devteam-a), someone in no
// group (dave), and a team picking a crafted teamName. Each test asserts the attack fails.
const { http } = testCluster();
const { gitea, argocd, platform } = testEnvironment();
startOperator({ platform: factoryPlatform, integrations: factoryIntegrations() });
const argocdNamespace = platform.argocd.namespace;
const scratch = mkdtempSync(join(tmpdir(), 'landlord-redteam-git-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const tenantsPath = '/apis/landlord.dev/v1alpha1/tenants';
const person = (uid: string): GitLogin => ({ username: uid, password: identitySecrets().users[uid] ?? '' });
const refOf = (team: string): RepositoryRef => ({ organization: gitea.organization, name: `${team}-gitops` });
const pathOf = (repository: RepositoryRef, ...rest: string[]) =>
  giteaPath('repos', repository.organization, repository.name, ...rest);
const cloneURLOf = (repository: RepositoryRef) => `${gitea.url}/${repository.organization}/${repository.name}.git`;
const initializer = (team: string) => `application-initializer-${team}`;

const teamA = uniqueName('rgfa');
const teamB = uniqueName('rgfb');
const repoA = refOf(teamA);
const repoB = refOf(teamB);
// A long team name, whose reader the old rule shortened to <prefix><its first 14 characters>-<8 hex of its digest>.
const victim = `${uniqueName('rgfv')}-operations-eu`;
// A team picking exactly that as its teamName (23 characters, a valid DNS label).
const crafted = `${victim.slice(0, 14).replace(/-+$/, '')}-${createHash('sha256').update(victim).digest('hex').slice(0, 8)}`;

const asToken = (login: GitLogin): GiteaApi => giteaApi(gitea.url, { token: login.password });

/** The commit refs/heads/main points at, as `login` lists it. */
async function mainHead(repository: RepositoryRef, login: GitLogin): Promise<string> {
  const listed = await git(scratch, ['ls-remote', cloneURLOf(repository), 'refs/heads/main'], login);
  assert.ok(listed.ok, listed.stderr);
  return listed.stdout.split('\t')[0] ?? '';
}

/** Clones as `login`, commits the files on a new local branch; returns the clone's folder and its commit. */
async function commitInClone(repository: RepositoryRef, login: GitLogin, files: Record<string, string>) {
  const clone = await gitClone(scratch, cloneURLOf(repository), login);
  assert.ok(clone.ok, clone.stderr);
  const branch = uniqueName('attack');
  await git(clone.dir, ['checkout', '--quiet', '-b', branch]);
  for (const [file, content] of Object.entries(files)) writeFileSync(join(clone.dir, file), content);
  await git(clone.dir, ['add', '--all']);
  await git(clone.dir, ['commit', '--quiet', '-m', `unreviewed ${branch}`]);
  const head = (await git(clone.dir, ['rev-parse', 'HEAD'])).stdout.trim();
  return { dir: clone.dir, branch, head };
}

const configMapFile = (name: string) =>
  stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { unreviewed: 'yes' } });

/** Whether the ConfigMap exists in the namespace. */
async function configMapExists(namespace: string, name: string): Promise<boolean> {
  return (
    (await http.send({ method: 'GET', path: `/api/v1/namespaces/${namespace}/configmaps/${name}` })).status === 200
  );
}

describe('the Git repository factory under attack', () => {
  it('is set up: team A (devteam-a), team B (devteam-b), a long-named team and one whose name is crafted', async () => {
    await Promise.all([
      createFactoryTenant(teamA, teamA, 'devteam-a'),
      createFactoryTenant(teamB, teamB, 'devteam-b'),
      createFactoryTenant(victim, victim, 'devteam-a'),
      createFactoryTenant(crafted, crafted, 'devteam-b'),
    ]);
    for (const team of [teamA, teamB, victim, crafted]) await waitForPhase(team, 'Ready', 300_000);
  });

  it("gives a team whose teamName spells another's shortened reader a reader of its own, reading only its repository", async () => {
    const victimReader = await readerOf(victim);
    const craftedReader = await readerOf(crafted);
    assert.notEqual(craftedReader.username, victimReader.username, 'one forge account for both teams');
    const victimRepo = pathOf(refOf(victim));
    assert.equal((await asToken(craftedReader).request('GET', victimRepo)).status, 404, "crafted reads victim's");
    assert.equal((await gitClone(scratch, cloneURLOf(refOf(victim)), craftedReader)).ok, false);
    // The victim's token was not replaced by a mint for the crafted team: Argo CD still reads its repository.
    assert.equal((await asToken(victimReader).request('GET', victimRepo)).status, 200);
    const now = await readerOf(victim);
    assert.equal((await asToken(now).request('GET', victimRepo)).status, 200);
  });

  it("keeps team A's repository from bob (team B) and dave (no group): not seen, cloned, searched or proposed to", async () => {
    for (const uid of ['bob', 'dave']) {
      const api = giteaAsPerson(uid);
      assert.equal((await api.request('GET', pathOf(repoA))).status, 404, `${uid} sees the repository`);
      assert.equal((await gitClone(scratch, cloneURLOf(repoA), person(uid))).ok, false, `${uid} clones it`);
      const found = await api.request<{ data: { name: string }[] }>('GET', `/repos/search?q=${teamA}&limit=50`);
      assert.deepEqual(
        (found.body.data ?? []).map((repo) => repo.name),
        [],
        `${uid} finds it by searching`,
      );
      const pull = await api.request('POST', pathOf(repoA, 'pulls'), { head: 'main', base: 'main', title: 'x' });
      assert.notEqual(pull.status, 201, `${uid} opens a pull request`);
      const pushed = await git(scratch, ['ls-remote', cloneURLOf(repoA)], person(uid));
      assert.equal(pushed.ok, false, `${uid} lists its refs`);
    }
  });

  it("gives each reader its own repository only, read-only: not the other team's, the organisation or a token", async () => {
    const readerA = await readerOf(teamA);
    const readerB = await readerOf(teamB);
    assert.equal((await asToken(readerA).request('GET', pathOf(repoA))).status, 200, 'the premise: A reads A');
    assert.equal((await asToken(readerA).request('GET', pathOf(repoB))).status, 404, "A's reader reads B's");
    assert.equal((await asToken(readerB).request('GET', pathOf(repoA))).status, 404, "B's reader reads A's");
    const search = await asToken(readerA).request<{ data: { name: string }[] }>('GET', '/repos/search?limit=50');
    assert.deepEqual(
      (search.body.data ?? []).map((repo) => repo.name),
      [repoA.name],
      'the reader finds its repository only',
    );
    const teams = await asToken(readerA).request('GET', giteaPath('orgs', gitea.organization, 'teams'));
    assert.notEqual(teams.status, 200, "the reader lists the organisation's teams");
    const issue = await asToken(readerA).request('POST', pathOf(repoA, 'issues'), { title: 'from the reader' });
    assert.notEqual(issue.status, 201, 'the reader writes an issue');
    const token = await asToken(readerA).request('POST', giteaPath('users', readerA.username, 'tokens'), {
      name: 'escalate',
      scopes: ['write:repository'],
    });
    assert.notEqual(token.status, 201, 'the reader mints itself a broader token');
  });

  it('refuses alice and arthur (write) every change of what Landlord keeps: marker, protection, hooks, access', async () => {
    const admin = giteaAsAdmin();
    const before = {
      repo: (await admin.request<{ description: string; private: boolean }>('GET', pathOf(repoA))).body,
      rule: (await admin.request<Record<string, unknown>>('GET', pathOf(repoA, 'branch_protections', 'main'))).body,
      hooks: (await admin.request<{ id: number }[]>('GET', pathOf(repoA, 'hooks'))).body,
      collaborators: (await admin.request<{ login: string }[]>('GET', pathOf(repoA, 'collaborators'))).body,
    };
    const attempts: [string, string, unknown?][] = [
      ['PATCH', pathOf(repoA), { description: 'Managed by Landlord: tenant someone-else uid 0' }],
      ['PATCH', pathOf(repoA), { private: false }],
      ['PATCH', pathOf(repoA), { archived: true }],
      ['PATCH', pathOf(repoA), { default_branch: 'unreviewed' }],
      ['PATCH', pathOf(repoA, 'branch_protections', 'main'), { required_approvals: 0, enable_push: true }],
      ['DELETE', pathOf(repoA, 'branch_protections', 'main')],
      ['POST', pathOf(repoA, 'branch_protections'), { rule_name: 'ma*', branch_name: 'ma*', enable_push: true }],
      ['GET', pathOf(repoA, 'hooks')],
      [
        'POST',
        pathOf(repoA, 'hooks'),
        { type: 'gitea', config: { url: 'http://127.0.0.1:9/steal', content_type: 'json' }, events: ['push'] },
      ],
      ['PUT', pathOf(repoA, 'collaborators', 'bob'), { permission: 'write' }],
      ['DELETE', pathOf(repoA, 'collaborators', (await readerOf(teamA)).username)],
      ['POST', pathOf(repoA, 'transfer'), { new_owner: 'alice' }],
      ['DELETE', pathOf(repoA)],
    ];
    for (const uid of ['alice', 'arthur']) {
      for (const [method, path, body] of attempts) {
        const answer = await giteaAsPerson(uid).request(method, path, body);
        assert.ok(
          [401, 403, 404, 405, 422].includes(answer.status),
          `${uid} ${method} ${path} answered ${answer.status}`,
        );
      }
    }
    const after = (await admin.request<Record<string, unknown>>('GET', pathOf(repoA))).body;
    assert.deepEqual(
      {
        description: after.description,
        private: after.private,
        archived: after.archived,
        branch: after.default_branch,
      },
      { description: before.repo.description, private: true, archived: false, branch: 'main' },
    );
    const rule = (await admin.request<Record<string, unknown>>('GET', pathOf(repoA, 'branch_protections', 'main')))
      .body;
    assert.deepEqual(
      { push: rule.enable_push, approvals: rule.required_approvals, updated: rule.updated_at },
      { push: false, approvals: before.rule.required_approvals, updated: before.rule.updated_at },
    );
    assert.deepEqual((await admin.request('GET', pathOf(repoA, 'hooks'))).body, before.hooks);
    assert.deepEqual((await admin.request('GET', pathOf(repoA, 'collaborators'))).body, before.collaborators);
  });

  it('lets nobody of the team put an unreviewed change on main: contents API, rename, force, stale approval', async () => {
    const head = await mainHead(repoA, person('alice'));
    const alice = giteaAsPerson('alice');
    const content = Buffer.from(configMapFile('unreviewed-contents')).toString('base64');
    const written = await alice.request('POST', pathOf(repoA, 'contents', 'applicationset', 'unreviewed.yaml'), {
      content,
      branch: 'main',
      message: 'straight to main',
    });
    assert.notEqual(written.status, 201, 'the contents API wrote to main');
    const renamed = await alice.request('PATCH', pathOf(repoA, 'branches', 'main'), { name: 'old-main' });
    assert.notEqual(renamed.status, 204, 'main renamed away');
    assert.notEqual((await alice.request('DELETE', pathOf(repoA, 'branches', 'main'))).status, 204, 'main deleted');

    // alice proposes; arthur approves; alice then pushes more to the branch: the approval no longer counts.
    const change = await commitInClone(repoA, person('alice'), {
      'applicationset/proposal.yaml': configMapFile('reviewed-proposal'),
    });
    assert.ok((await git(change.dir, ['push', 'origin', `HEAD:refs/heads/${change.branch}`], person('alice'))).ok);
    const created = await alice.request('POST', pathOf(repoA, 'branches'), {
      new_branch_name: 'main',
      old_ref_name: change.branch,
    });
    assert.notEqual(created.status, 201, 'main made again from the unreviewed branch');
    const forced = await git(change.dir, ['push', '--force', 'origin', 'HEAD:refs/heads/main'], person('alice'));
    assert.equal(forced.ok, false, 'a force push to main was taken');
    const pull = await openPullRequest(repoA, change.branch, 'alice');
    const self = await alice.request('POST', `${pull}/reviews`, { event: 'APPROVED' });
    assert.notEqual(self.status, 200, 'alice approved her own pull request');
    await approve(pull, 'arthur');
    writeFileSync(join(change.dir, 'applicationset', 'after-review.yaml'), configMapFile('after-review'));
    await git(change.dir, ['add', '--all']);
    await git(change.dir, ['commit', '--quiet', '-m', 'after the approval']);
    const late = (await git(change.dir, ['rev-parse', 'HEAD'])).stdout.trim();
    assert.ok((await git(change.dir, ['push', 'origin', `HEAD:refs/heads/${change.branch}`], person('alice'))).ok);
    await waitFor(
      async () => (await alice.request<{ head: { sha: string } }>('GET', pull)).body.head.sha === late,
      'the pull request at the commit pushed after the approval',
    );
    // Gitea dismisses the earlier approval in the background after the push: the merge is tried once it has.
    await waitFor(async () => {
      const reviews = await alice.request<{ user: { login: string }; dismissed: boolean }[]>('GET', `${pull}/reviews`);
      return reviews.body.some((review) => review.user.login === 'arthur' && review.dismissed);
    }, "arthur's approval dismissed as stale");
    const forcedMerge = await alice.request('POST', `${pull}/merge`, { Do: 'merge', force_merge: true });
    assert.notEqual(forcedMerge.status, 200, 'merged by force_merge');
    const merged = await merge(pull, 'alice');
    assert.notEqual(merged.status, 200, 'merged on an approval of an earlier commit');
    assert.equal(await mainHead(repoA, person('alice')), head, 'main moved without a review');
  });

  it('deploys nothing unreviewed from a tag or another ref named main: Argo CD follows refs/heads/main only', async () => {
    const head = await mainHead(repoA, person('alice'));
    const app = initializer(teamA);
    await waitForApplication(argocdNamespace, app, (candidate) => candidate.status?.sync?.revision === head, 'at main');
    const change = await commitInClone(repoA, person('alice'), {
      'applicationset/by-ref.yaml': configMapFile('unreviewed-by-ref'),
    });
    // Gitea may refuse some of these; each one it takes is a ref whose short name is main.
    for (const ref of ['refs/tags/main', 'refs/main', 'refs/remotes/main']) {
      await git(change.dir, ['push', 'origin', `HEAD:${ref}`], person('alice'));
    }
    const listed = await git(scratch, ['ls-remote', cloneURLOf(repoA)], await readerOf(teamA));
    process.stderr.write(`[redteam] refs after pushing unreviewed ones:\n${listed.stdout}`);
    // Argo CD resolves a short revision among equal short names in no fixed order: ask it again and again.
    for (let round = 0; round < 6; round++) {
      await http.request({
        method: 'PATCH',
        path: `/apis/argoproj.io/v1alpha1/namespaces/${argocdNamespace}/applications/${app}`,
        body: { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'hard' } } },
        contentType: 'application/merge-patch+json',
      });
      // The controller drops the annotation in the patch that writes the comparison's status.
      const compared = await waitForApplication(
        argocdNamespace,
        app,
        (candidate) => !candidate.metadata.annotations?.['argocd.argoproj.io/refresh'],
        `hard refresh ${round + 1} done`,
      );
      assert.equal(compared.status?.sync?.revision, head, `round ${round + 1}: Argo CD compared ${change.head}`);
    }
    assert.equal(await configMapExists(teamA, 'unreviewed-by-ref'), false, 'the unreviewed ConfigMap deployed');
  });

  it("refuses team A's repository to an Application team B declares in its own namespace and project", async () => {
    const name = uniqueName('borrow-a');
    await http.request({
      method: 'POST',
      path: `/apis/argoproj.io/v1alpha1/namespaces/${teamB}/applications`,
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name, namespace: teamB },
        spec: {
          project: teamB,
          source: { repoURL: cloneURLOf(repoA), path: 'applicationset', targetRevision: 'refs/heads/main' },
          destination: { server: platform.argocd.destinationServer, namespace: teamB },
          syncPolicy: { automated: { prune: true } },
        },
      },
    });
    try {
      const app = await waitForApplication(
        teamB,
        name,
        (candidate) => (candidate.status?.conditions ?? []).some((c) => /not permitted in project/.test(c.message)),
        "a condition saying A's repository is not permitted in B's project",
      );
      assert.ok(!app.status?.sync?.revision, "Argo CD read A's repository for B");
      assert.equal(await configMapExists(teamB, 'reviewed-proposal'), false);
    } finally {
      await http.send({
        method: 'DELETE',
        path: `/apis/argoproj.io/v1alpha1/namespaces/${teamB}/applications/${name}`,
      });
    }
  });

  it("shows no member the reader's token through Argo CD's API, and lets none register a repository", async () => {
    const token = (await readerOf(teamA)).password;
    const url = encodeURIComponent(cloneURLOf(repoA));
    for (const uid of ['alice', 'bob', 'dave']) {
      const client = await memberClient(uid, []);
      for (const path of [
        '/api/v1/repositories',
        `/api/v1/repositories/${url}?appProject=${teamA}`,
        `/api/v1/repositories/${url}?forceRefresh=true`,
        `/api/v1/projects/${teamA}/detailed`,
        `/api/v1/projects/${teamA}`,
        '/api/v1/repocreds',
        '/api/v1/write-repositories',
      ]) {
        const answer = await client.call('GET', path);
        assert.ok(!JSON.stringify(answer.body).includes(token), `${uid} GET ${path} shows the token`);
      }
      const registered = await client.call('POST', '/api/v1/repositories', {
        repo: cloneURLOf(repoA),
        type: 'git',
        project: uid === 'bob' ? teamB : teamA,
      });
      assert.ok([401, 403].includes(registered.status), `${uid} registered a repository: ${registered.status}`);
    }
  });

  it('refuses a push announced to Argo CD unsigned, in any provider’s form', async () => {
    const webURL = cloneURLOf(repoA).replace(/\.git$/, '');
    const push = { ref: 'refs/heads/main', before: '0'.repeat(40), after: '1'.repeat(40), commits: [] };
    const forms: [string, Record<string, string>, unknown][] = [
      [
        'Gitea/Gogs',
        { 'x-gogs-event': 'push', 'x-gitea-event': 'push' },
        { ...push, repository: { html_url: webURL } },
      ],
      ['GitHub', { 'x-github-event': 'push' }, { ...push, repository: { html_url: webURL, default_branch: 'main' } }],
      [
        'GitLab',
        { 'x-gitlab-event': 'Push Hook' },
        { ...push, object_kind: 'push', project: { web_url: webURL, default_branch: 'main' } },
      ],
      [
        'Bitbucket',
        { 'x-hook-uuid': 'forged', 'x-event-key': 'repo:push' },
        { repository: { links: { html: { href: webURL } } }, push: { changes: [] } },
      ],
      [
        'Bitbucket Server',
        { 'x-event-key': 'repo:refs_changed' },
        {
          eventKey: 'repo:refs_changed',
          repository: { links: { clone: [{ href: cloneURLOf(repoA), name: 'http' }] } },
        },
      ],
      [
        'Azure DevOps',
        { 'x-vss-activityid': 'forged' },
        { eventType: 'git.push', resource: { repository: { remoteUrl: webURL }, refUpdates: [] } },
      ],
    ];
    for (const [provider, headers, body] of forms) {
      const response = await fetch(`${argocd.url}/api/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      assert.ok(response.status >= 400, `an unsigned ${provider} push was taken: ${response.status}`);
    }
  });

  it('takes the reader off at decommission; a later tenant of the name is refused the old repository', async () => {
    const oldReader = await readerOf(teamA);
    await http.send({ method: 'DELETE', path: `${tenantsPath}/${teamA}` });
    await waitUntilGone(teamA, 300_000);
    const admin = giteaAsAdmin();
    const archived = (await admin.request<{ archived: boolean; description: string }>('GET', pathOf(repoA))).body;
    assert.equal(archived.archived, true);
    assert.equal((await asToken(oldReader).request('GET', pathOf(repoA))).status, 404, 'the old token reads it');
    assert.equal((await gitClone(scratch, cloneURLOf(repoA), oldReader)).ok, false);

    const again = `${teamA}-again`;
    await createFactoryTenant(again, teamA, 'devteam-b');
    const tenant: Tenant = await waitForPhase(again, 'Failed', 300_000);
    const condition = tenant.status?.conditions?.find((candidate) => candidate.type === 'GitRepositoryReady');
    assert.equal(condition?.reason, 'RepositoryNotOurs');
    const after = (await admin.request<{ archived: boolean; description: string }>('GET', pathOf(repoA))).body;
    assert.deepEqual(after, { ...after, archived: true, description: archived.description }, 'the old one changed');
    const collaborators = (await admin.request<{ login: string }[]>('GET', pathOf(repoA, 'collaborators'))).body;
    assert.deepEqual(
      collaborators.map((collaborator) => collaborator.login),
      [],
      'a reader was given the old repository',
    );
    assert.equal(
      (await giteaAsPerson('bob').request('GET', pathOf(repoA))).status,
      404,
      'bob (the new group) reads it',
    );
    await http.send({ method: 'DELETE', path: `${tenantsPath}/${again}` });
    await waitUntilGone(again, 300_000);
  });

  it('is cleaned up: the other tenants decommissioned', async () => {
    for (const team of [teamB, victim, crafted]) await http.send({ method: 'DELETE', path: `${tenantsPath}/${team}` });
    for (const team of [teamB, victim, crafted]) await waitUntilGone(team, 300_000);
  });
});
