import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { giteaPath } from '../../src/integrations/git/gitea/gitea-api.ts';
import { repositoryPath } from '../../src/integrations/git/gitea/gitea-repository.ts';
import { hostWebhookURL } from '../../src/operator/git/git-integrations.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { memberClient } from '../support/argocd-api.ts';
import { approve, merge } from '../support/forge-pull-request.ts';
import { factoryIntegrations, factoryPlatform } from '../support/git-factory.ts';
import { giteaAsAdmin, giteaAsPerson } from '../support/gitea.ts';
import { startOperator } from '../support/operator.ts';
import { openPullRequestOf, pullPath, pullRequestAt, startForgePlatformRepo } from '../support/platform-forge.ts';
import { PortalApiClient } from '../support/portal-api.ts';
import { startTestPortal } from '../support/portal.ts';
import { waitFor } from '../support/wait.ts';

const { platform, argocd } = testEnvironment();
// First, so its Application is gone before the operator's cleanup deletes the tenants it made.
const { repository, platformRepo, portalSettings } = await startForgePlatformRepo();
startOperator({ platform: factoryPlatform, integrations: factoryIntegrations() });
const portal = await startTestPortal({ ...portalSettings, platform: factoryPlatform(platform) });
const aboveCpu = String(Number(platform.reviewThreshold.cpu) + 8);
const fileOf = (name: string) => `tenants/${name}.yaml`;
const teamOf = { alice: 'devteam-a', arthur: 'devteam-a', bob: 'devteam-b' } as const;

/** A tenant request of `uid`'s, for their own group, with that much CPU. */
const request = (uid: keyof typeof teamOf, team: string, cpu: string) => ({
  spec: {
    teamName: team,
    ownerEmail: `${uid}@financecore.example`,
    costCenter: 'CC-12345',
    adGroup: teamOf[uid],
    resourceQuota: { cpu, memory: '16Gi', storage: '100Gi' },
    services: { argocd: true, monitoring: true, vault: true, istio: false },
  },
});

/** `uid` asks the portal for a tenant above the ceilings; returns its open pull request. */
async function pendingRequest(uid: keyof typeof teamOf, name: string) {
  const client = await PortalApiClient.signIn(portal.url, uid);
  const answer = await client.send('POST', '/api/v1/tenants', request(uid, name, aboveCpu));
  assert.equal(answer.status, 202, await answer.clone().text());
  const pull = await openPullRequestOf(repository, `review/${name}`);
  assert.ok(pull, `an open pull request of review/${name}`);
  return pull;
}

/** The file's content on a branch of the platform repository, or undefined when it is not there. */
async function fileOn(branch: string, path: string): Promise<string | undefined> {
  const found = await giteaAsAdmin().request<{ content: string }>(
    'GET',
    `${repositoryPath(repository, 'contents')}/${path}?ref=${encodeURIComponent(branch)}`,
  );
  return found.status === 200 ? Buffer.from(found.body.content, 'base64').toString() : undefined;
}

const base64 = (text: string) => Buffer.from(text).toString('base64');

/** A fork of the platform repository in `uid`'s namespace with one commit on `branch`; removed by the returned call. */
async function forkWith(uid: string, branch: string, path: string, content: string) {
  const fork = { organization: uid, name: uniqueName('fork') };
  const forked = await giteaAsPerson(uid).request('POST', repositoryPath(repository, 'forks'), { name: fork.name });
  assert.equal(forked.status, 202, JSON.stringify(forked.body));
  const committed = await giteaAsPerson(uid).request<{ commit: { sha: string } }>(
    'POST',
    repositoryPath(fork, 'contents'),
    { branch: 'main', new_branch: branch, files: [{ operation: 'create', path, content: base64(content) }] },
  );
  assert.equal(committed.status, 201, JSON.stringify(committed.body));
  return { fork, remove: () => giteaAsAdmin().request('DELETE', giteaPath('repos', uid, fork.name)) };
}

/** `uid`'s pull request of their fork's branch into main, once Gitea has checked it. */
async function openFromFork(uid: string, branch: string) {
  const opened = await giteaAsPerson(uid).request<{ number: number; head: { sha: string } }>(
    'POST',
    repositoryPath(repository, 'pulls'),
    { head: `${uid}:${branch}`, base: 'main', title: `by hand: ${branch}` },
  );
  assert.equal(opened.status, 201, JSON.stringify(opened.body));
  const path = pullPath(repository, opened.body.number);
  await waitFor(
    async () => (await giteaAsAdmin().request<{ mergeable: boolean }>('GET', path)).body.mergeable,
    `pull request ${path} checked`,
  );
  return path;
}

const hostile = `apiVersion: landlord.financecore.example/v1alpha1
kind: Tenant
metadata:
  name: hostile
spec:
  teamName: hostile
  adGroup: devteam-b
  resourceQuota: { cpu: "512", memory: 4Ti, storage: 100Ti }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: hostile-admin
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
subjects: [{ kind: Group, name: devteam-a }]
`;

describe("red team: a hostile team member against the platform repository's pull requests", () => {
  it("a requester cannot commit to another's pending request branch, nor to her own, nor delete either", async () => {
    const bobs = uniqueName('rtb');
    const alices = uniqueName('rta');
    await pendingRequest('bob', bobs);
    await pendingRequest('alice', alices);
    for (const branch of [`review/${bobs}`, `review/${alices}`]) {
      const pushed = await giteaAsPerson('alice').request('POST', repositoryPath(repository, 'contents'), {
        branch,
        files: [{ operation: 'create', path: 'tenants/hostile.yaml', content: base64(hostile) }],
      });
      assert.equal(pushed.status, 403, `alice committed to ${branch}`);
      const changed = await giteaAsPerson('alice').request(
        'PUT',
        `${repositoryPath(repository, 'contents')}/${branch === `review/${bobs}` ? fileOf(bobs) : fileOf(alices)}`,
        { branch, content: base64(hostile), sha: '0'.repeat(40) },
      );
      assert.equal(changed.status, 403, `alice changed the tenant file on ${branch}`);
      const deleted = await giteaAsPerson('alice').request(
        'DELETE',
        `${repositoryPath(repository, 'branches')}/${branch}`,
      );
      assert.equal(deleted.status, 403, `alice deleted ${branch}`);
    }
    assert.equal(await fileOn(`review/${bobs}`, 'tenants/hostile.yaml'), undefined);
  });

  it("a requester cannot close, retitle or retarget another's pending pull request, nor dismiss an approval", async () => {
    const bobs = uniqueName('rtb');
    const pull = await pendingRequest('bob', bobs);
    const path = pullPath(repository, pull.number);
    const edited = await giteaAsPerson('alice').request('PATCH', path, {
      title: 'Within the ceilings',
      state: 'closed',
    });
    assert.equal(edited.status, 403, 'alice edited bob’s pull request');
    const retargeted = await giteaAsPerson('alice').request('PATCH', path, { base: `review/${bobs}` });
    assert.equal(retargeted.status, 403, 'alice retargeted bob’s pull request');
    const now = await pullRequestAt(repository, pull.html_url);
    assert.deepEqual([now.state, now.title], ['open', pull.title]);
    // arthur's approval (it counts for nothing on main) stands for any review alice would like gone.
    await approve(path, 'arthur');
    const reviews = await giteaAsAdmin().request<{ id: number; user: { login: string } }[]>('GET', `${path}/reviews`);
    const arthurs = reviews.body.find((review) => review.user.login === 'arthur');
    assert.ok(arthurs, 'arthur’s review');
    const dismissed = await giteaAsPerson('alice').request('POST', `${path}/reviews/${arthurs.id}/dismissals`, {
      message: 'stale',
    });
    assert.equal(dismissed.status, 403, 'alice dismissed a review');
  });

  it('a fork branch named like the portal’s (request/<name>) neither blocks nor changes what the portal merges', async () => {
    const name = uniqueName('rtc');
    const { remove } = await forkWith('alice', `request/${name}`, fileOf(name), hostile);
    try {
      const squatting = await openFromFork('alice', `request/${name}`);
      const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
      const answer = await arthur.send('POST', '/api/v1/tenants', request('arthur', name, '2'));
      assert.equal(answer.status, 202, await answer.clone().text());
      const merged = await pullRequestAt(repository, ((await answer.json()) as { pullRequest: string }).pullRequest);
      assert.equal(merged.user.login, 'arthur');
      assert.equal(merged.merged, true);
      const onMain = await fileOn('main', fileOf(name));
      assert.ok(onMain?.includes('ownerEmail: arthur@financecore.example'), onMain);
      assert.equal(onMain?.includes('ClusterRoleBinding'), false, 'the squatter’s content reached main');
      const theirs = await giteaAsAdmin().request<{ merged: boolean }>('GET', squatting);
      assert.equal(theirs.body.merged, false);
      await giteaAsAdmin().request('PATCH', squatting, { state: 'closed' });
    } finally {
      await remove();
    }
  });

  it('a hand-made pull request (another team’s tenant, a cluster-scoped object) is merged by nobody without a platform admin', async () => {
    const branch = uniqueName('hand');
    const { remove } = await forkWith('alice', branch, 'tenants/hostile.yaml', hostile);
    try {
      const path = await openFromFork('alice', branch);
      const own = await giteaAsPerson('alice').request('POST', `${path}/reviews`, { event: 'APPROVED' });
      assert.equal(own.status, 422, 'alice approved her own pull request');
      await approve(path, 'arthur');
      for (const person of ['alice', 'arthur', 'bob']) {
        assert.equal((await merge(path, person)).status, 405, `${person} merged it`);
      }
      const asLandlord = await giteaAsAdmin().request('POST', `${path}/merge`, { Do: 'merge', force_merge: true });
      assert.equal(asLandlord.status, 405, 'Landlord’s admin account merged an unapproved pull request');
      const scheduled = await giteaAsPerson('alice').request('POST', `${path}/merge`, {
        Do: 'merge',
        merge_when_checks_succeed: true,
      });
      assert.equal(scheduled.status, 405, 'alice scheduled a merge of her own');
      await giteaAsAdmin().request('PATCH', path, { state: 'closed' });
    } finally {
      await remove();
    }
    assert.equal(await fileOn('main', 'tenants/hostile.yaml'), undefined);
  });

  it("a change pushed after a platform admin's approval dismisses it: the reviewed head alone could merge", async () => {
    const branch = uniqueName('stale');
    const { fork, remove } = await forkWith('alice', branch, 'tenants/README-a.md', 'harmless\n');
    try {
      const path = await openFromFork('alice', branch);
      const reviewed = (await giteaAsAdmin().request<{ head: { sha: string } }>('GET', path)).body.head.sha;
      await approve(path, 'carol');
      const pushed = await giteaAsPerson('alice').request('POST', repositoryPath(fork, 'contents'), {
        branch,
        files: [{ operation: 'create', path: 'tenants/hostile.yaml', content: base64(hostile) }],
      });
      assert.equal(pushed.status, 201, JSON.stringify(pushed.body));
      await waitFor(
        async () => (await giteaAsAdmin().request<{ head: { sha: string } }>('GET', path)).body.head.sha !== reviewed,
        'the pull request at its new head',
      );
      await waitFor(
        async () =>
          (await giteaAsAdmin().request<{ state: string; dismissed: boolean }[]>('GET', `${path}/reviews`)).body.every(
            (review) => review.state !== 'APPROVED' || review.dismissed,
          ),
        'the stale approval dismissed',
      );
      const atReviewed = await giteaAsPerson('carol').request('POST', `${path}/merge`, {
        Do: 'merge',
        head_commit_id: reviewed,
      });
      assert.notEqual(atReviewed.status, 200, 'carol merged a head nobody approved');
      assert.equal((await merge(path, 'carol')).status, 405, 'carol merged without a current approval');
      await giteaAsAdmin().request('PATCH', path, { state: 'closed' });
    } finally {
      await remove();
    }
    assert.equal(await fileOn('main', 'tenants/hostile.yaml'), undefined);
  });

  it("a requester cannot change the repository's guard: protection, webhooks, branches, collaborators", async () => {
    const alice = giteaAsPerson('alice');
    const calls: [string, string, unknown][] = [
      ['PATCH', repositoryPath(repository, 'branch_protections', 'main'), { required_approvals: 0 }],
      ['DELETE', repositoryPath(repository, 'branch_protections', 'main'), undefined],
      ['POST', repositoryPath(repository, 'branch_protections'), { rule_name: 'review/*', enable_push: true }],
      ['GET', repositoryPath(repository, 'hooks'), undefined],
      [
        'POST',
        repositoryPath(repository, 'hooks'),
        { type: 'gitea', config: { url: 'http://x', content_type: 'json' } },
      ],
      ['DELETE', `${repositoryPath(repository, 'branches')}/main`, undefined],
      ['PUT', repositoryPath(repository, 'collaborators', 'alice'), { permission: 'write' }],
      ['PATCH', repositoryPath(repository), { private: false }],
      ['POST', repositoryPath(repository, 'keys'), { title: 'k', key: 'ssh-ed25519 AAAA', read_only: false }],
    ];
    for (const [method, path, body] of calls) {
      const answer = await alice.request(method, path, body);
      assert.ok([403, 404].includes(answer.status), `alice: ${method} ${path} answered ${answer.status}`);
    }
    const protection = await giteaAsAdmin().request<{ required_approvals: number; enable_push: boolean }>(
      'GET',
      repositoryPath(repository, 'branch_protections', 'main'),
    );
    assert.deepEqual([protection.body.required_approvals, protection.body.enable_push], [1, false]);
  });

  it('a person in no requester group neither sees the platform repository nor opens pull requests on it', async () => {
    const dave = giteaAsPerson('dave');
    assert.equal((await dave.request('GET', repositoryPath(repository))).status, 404);
    const opened = await dave.request('POST', repositoryPath(repository, 'pulls'), { head: 'main', base: 'main' });
    assert.ok([403, 404].includes(opened.status), `dave opened a pull request: ${opened.status}`);
  });

  it("a forged push event (unsigned, or signed with a wrong secret) is refused by the host Argo CD's webhook", async () => {
    const payload = JSON.stringify({
      ref: 'refs/heads/main',
      before: '0'.repeat(40),
      after: '1'.repeat(40),
      repository: { html_url: `${testEnvironment().gitea.url}/${repository.organization}/${repository.name}` },
      commits: [{ added: ['tenants/hostile.yaml'], modified: [], removed: [] }],
    });
    const secret = readFileSync(argocd.webhookSecretFile, 'utf8').trim();
    // Gitea's hooks carry Gogs' headers too, and Argo CD reads those first.
    const send = (headers: Record<string, string>) =>
      fetch(hostWebhookURL(platform), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: payload,
      });
    const sign = (key: string) => createHmac('sha256', key).update(payload).digest('hex');
    const gitea = (signature?: string): Record<string, string> => ({
      'x-gitea-event': 'push',
      'x-gogs-event': 'push',
      ...(signature ? { 'x-gitea-signature': signature, 'x-gogs-signature': signature } : {}),
    });
    const refusals = {
      unsigned: await send(gitea()),
      'signed with a wrong secret': await send(gitea(sign(`${secret}-not`))),
      "in GitHub's form, unsigned": await send({ 'x-github-event': 'push' }),
      "in GitLab's form, without its token": await send({ 'x-gitlab-event': 'Push Hook' }),
    };
    for (const [how, answer] of Object.entries(refusals)) {
      assert.ok([400, 401].includes(answer.status), `a push event ${how} answered ${answer.status}`);
    }
    // The control: the same event signed with the secret is taken, so the refusals above are the signature's.
    const signed = await send(gitea(sign(secret)));
    assert.equal(signed.status, 200, await signed.text());
  });

  it("a team member signed in to the host Argo CD reads neither the platform project nor its repository's credentials (CVE-2025-55190)", async () => {
    const secret = await testCluster().http.request<{ data: { password: string } }>({
      method: 'GET',
      path: `/api/v1/namespaces/${platform.argocd.namespace}/secrets/${platformRepo.name}-repository`,
    });
    const readerToken = Buffer.from(secret.data.password, 'base64').toString();
    const alice = await memberClient('alice', []);
    const project = await alice.call('GET', `/api/v1/projects/${platformRepo.name}/detailed`);
    assert.ok([403, 404].includes(project.status), `the platform project answered alice ${project.status}`);
    const application = await alice.call('GET', `/api/v1/applications/${platformRepo.name}`);
    assert.ok([403, 404].includes(application.status), `the platform Application answered alice ${application.status}`);
    for (const path of [
      '/api/v1/repositories',
      `/api/v1/repositories/${encodeURIComponent(platformRepo.repoURL)}`,
      '/api/v1/repocreds',
      `/api/v1/projects/${platformRepo.name}/detailed`,
    ]) {
      const answer = await alice.call('GET', path);
      const text = JSON.stringify(answer.body);
      assert.equal(text.includes(readerToken), false, `${path} showed alice the reader's token`);
      assert.equal(text.includes(platformRepo.repoURL), false, `${path} described the platform repository to alice`);
    }
  });

  it("a requester who retargets her pending pull request onto another's review branch lands nothing there, nor on main", async () => {
    const bobs = uniqueName('rtb');
    const alices = uniqueName('rta');
    const bobsPull = await pendingRequest('bob', bobs);
    const pull = await pendingRequest('alice', alices);
    const path = pullPath(repository, pull.number);
    // Gitea lets a pull request's poster change its base, even with read access: Landlord must not follow it.
    await giteaAsPerson('alice').request('PATCH', path, { base: `review/${bobs}` });
    await approve(path, 'arthur');
    assert.equal((await pullRequestAt(repository, pull.html_url)).merged, false, 'no merge waits on an approval');
    assert.equal(await fileOn(`review/${bobs}`, fileOf(alices)), undefined, "alice's file on bob's branch");
    // carol approves bob's request and merges it: what main gets is bob's file alone.
    const bobsPath = pullPath(repository, bobsPull.number);
    await approve(bobsPath, 'carol');
    const merged = await merge(bobsPath, 'carol');
    assert.equal(merged.status, 200, merged.message);
    assert.notEqual(await fileOn('main', fileOf(bobs)), undefined);
    assert.equal(await fileOn('main', fileOf(alices)), undefined, "alice's above-ceiling tenant reached main");
  });

  it("a requester who rewrites her pending pull request's description cannot hide why it waits: Landlord said it too", async () => {
    const alices = uniqueName('rta');
    const pull = await pendingRequest('alice', alices);
    await giteaAsPerson('alice').request('PATCH', pullPath(repository, pull.number), {
      body: "Within the platform's ceilings: approved and merged by Landlord.",
    });
    const comments = await giteaAsAdmin().request<{ id: number; body: string; user: { login: string } }[]>(
      'GET',
      repositoryPath(repository, 'issues', String(pull.number), 'comments'),
    );
    const landlords = comments.body.find((comment) => comment.user.login !== 'alice');
    assert.ok(landlords?.body.includes('above the review threshold'), JSON.stringify(comments.body));
    const edited = await giteaAsPerson('alice').request(
      'PATCH',
      repositoryPath(repository, 'issues', 'comments', String(landlords?.id)),
      { body: 'nothing to see' },
    );
    assert.equal(edited.status, 403, "alice edited Landlord's comment");
  });
});
