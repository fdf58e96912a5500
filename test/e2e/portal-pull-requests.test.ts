import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { giteaPath } from '../../src/integrations/git/gitea/gitea-api.ts';
import { repositoryPath } from '../../src/integrations/git/gitea/gitea-repository.ts';
import type { ErrorBody } from '../../src/portal/errors.ts';
import { testEnvironment, uniqueName } from '../support/cluster.ts';
import { approve, merge } from '../support/forge-pull-request.ts';
import { factoryIntegrations, factoryPlatform } from '../support/git-factory.ts';
import { giteaAsAdmin, giteaAsPerson } from '../support/gitea.ts';
import { startOperator, tenantExists, waitForPhase, waitUntilGone } from '../support/operator.ts';
import {
  lastAuthorOf,
  onMain,
  openPullRequestOf,
  pullPath,
  pullRequestAt,
  reviewsOf,
  startForgePlatformRepo,
} from '../support/platform-forge.ts';
import { PortalApiClient } from '../support/portal-api.ts';
import { startTestPortal } from '../support/portal.ts';
import { watchRefreshRequests } from '../support/refresh-requests.ts';
import { waitFor } from '../support/wait.ts';

const { platform } = testEnvironment();
// First, so its Application is gone before the operator's cleanup deletes the tenants it made.
const { repository, platformRepo, portalSettings } = await startForgePlatformRepo();
startOperator({ platform: factoryPlatform, integrations: factoryIntegrations() });
const portal = await startTestPortal({ ...portalSettings, platform: factoryPlatform(platform) });
const within = uniqueName('prw');
const above = uniqueName('pra');
const aboveCpu = String(Number(platform.reviewThreshold.cpu) + 8);
const fileOf = (name: string) => `tenants/${name}.yaml`;

/** A request of arthur's (devteam-a, its owner), on shared nodes, its repository from the factory. */
const request = (team: string, cpu: string) => ({
  spec: {
    teamName: team,
    ownerEmail: 'arthur@financecore.example',
    costCenter: 'CC-12345',
    adGroup: 'devteam-a',
    resourceQuota: { cpu, memory: '16Gi', storage: '100Gi' },
    services: { argocd: true, monitoring: true, vault: true, istio: false },
  },
});

describe('GitOps mode on a forge: a request is a pull request on the platform repository', () => {
  it('within the ceilings: posted by the requester, approved and merged by Landlord at once, provisioned through the webhook alone', async () => {
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    // The portal refreshes nothing here: a refresh request on the Application can only come from the forge's webhook.
    const refreshes = watchRefreshRequests(platform.argocd.namespace, platformRepo.name as string);
    const asked = Date.now();
    const answer = await arthur.send('POST', '/api/v1/tenants', request(within, '4'));
    assert.equal(answer.status, 202, await answer.clone().text());
    const body = (await answer.json()) as { name: string; mode: string; pullRequest: string };
    assert.deepEqual(Object.keys(body).sort(), ['mode', 'name', 'pullRequest']);
    assert.deepEqual([body.name, body.mode], [within, 'gitops']);
    const pull = await pullRequestAt(repository, body.pullRequest);
    assert.equal(pull.title, `Request tenant ${within} for team ${within}`);
    assert.equal(pull.user.login, 'arthur', 'posted by the requester');
    assert.equal(pull.merged, true, 'merged at once');
    assert.match(pull.body, /Within the platform's ceilings/);
    assert.deepEqual(await reviewsOf(repository, pull.number), [
      { state: 'APPROVED', official: true, user: 'landlord' },
    ]);
    assert.equal(await lastAuthorOf(repository, fileOf(within)), 'Arthur Amsel <arthur@financecore.example>');

    await waitFor(() => tenantExists(within), `Argo CD creating Tenant ${within}`, 120_000);
    await waitForPhase(within, 'Ready', 240_000);
    process.stderr.write(
      `[measure] portal request to tenant Ready (pull request, webhook): ${Date.now() - asked} ms\n`,
    );
    assert.ok((await refreshes.stop()) > 0, "the merge reached Argo CD through the forge's webhook");
  });

  it('above the ceilings: the pull request waits, its reasons in its description and in a comment of Landlord; nothing is provisioned', async () => {
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    const answer = await arthur.send('POST', '/api/v1/tenants', request(above, aboveCpu));
    assert.equal(answer.status, 202, await answer.clone().text());
    const pull = await openPullRequestOf(repository, `review/${above}`);
    assert.ok(pull, 'an open pull request of review/<name>');
    const reason = `spec.resourceQuota.cpu: ${aboveCpu} is above the review threshold of ${platform.reviewThreshold.cpu}`;
    assert.deepEqual(await answer.json(), {
      name: above,
      mode: 'gitops',
      review: { branch: `review/${above}`, reasons: [reason], pullRequest: pull.html_url },
      pullRequest: pull.html_url,
    });
    assert.equal(pull.state, 'open');
    assert.equal(pull.user.login, 'arthur');
    assert.ok(pull.body.includes(reason), pull.body);
    const comments = await giteaAsAdmin().request<{ body: string; user: { login: string } }[]>(
      'GET',
      giteaPath('repos', repository.organization, repository.name, 'issues', String(pull.number), 'comments'),
    );
    assert.ok(
      comments.body.some((comment) => comment.user.login !== 'arthur' && comment.body.includes(reason)),
      "the reasons said again as Landlord's comment, which arthur cannot edit",
    );
    assert.equal(await onMain(repository, fileOf(above)), false, 'not on main');
    assert.equal(await tenantExists(above), false, 'nothing reaches the cluster before the approval');

    const again = await arthur.send('POST', '/api/v1/tenants', request(above, aboveCpu));
    assert.equal(again.status, 409);
    const { error } = (await again.json()) as ErrorBody;
    assert.equal(error.code, 'awaiting-review');
    assert.ok(error.message.includes(pull.html_url), error.message);
  });

  it('the requester can neither approve nor merge it; a member of another team approves nothing that counts', async () => {
    const pull = await openPullRequestOf(repository, `review/${above}`);
    assert.ok(pull);
    const path = pullPath(repository, pull.number);
    const own = await giteaAsPerson('arthur').request('POST', `${path}/reviews`, { event: 'APPROVED' });
    assert.equal(own.status, 422, 'the requester approved his own request');
    assert.match(JSON.stringify(own.body), /approve your own pull is not allowed/);
    assert.deepEqual(await merge(path, 'arthur'), { status: 405, message: 'User not allowed to merge PR' });
    // bob (devteam-b) reads the platform repository, so Gitea records his approval: it is not an official one.
    await giteaAsPerson('bob').request('POST', `${path}/reviews`, { event: 'APPROVED' });
    assert.ok(
      (await reviewsOf(repository, pull.number)).every((review) => !review.official),
      'no approval counts but a platform admin’s',
    );
    const byLandlord = await giteaAsAdmin().request<{ message?: string }>('POST', `${path}/merge`, { Do: 'merge' });
    assert.equal(byLandlord.status, 405, 'merged without a platform admin’s approval');
    assert.equal((await pullRequestAt(repository, pull.html_url)).merged, false);
    assert.equal(await tenantExists(above), false);
  });

  it('a team member cannot change the platform repository by hand: no branch of theirs, no unapproved merge', async () => {
    const files = [
      { operation: 'create', path: 'tenants/by-hand.yaml', content: Buffer.from('x: y\n').toString('base64') },
    ];
    const pushed = await giteaAsPerson('alice').request('POST', repositoryPath(repository, 'contents'), {
      branch: 'main',
      new_branch: 'by-hand',
      files,
    });
    assert.equal(pushed.status, 403, 'a requester made a branch on the platform repository');
    const direct = await giteaAsPerson('alice').request('POST', repositoryPath(repository, 'contents'), {
      branch: 'main',
      files,
    });
    assert.equal(direct.status, 403, 'a requester committed to main');
    // A pull request of alice's own, from a fork: it cannot be merged without a platform admin's approval.
    const fork = uniqueName('fork');
    const forked = await giteaAsPerson('alice').request('POST', repositoryPath(repository, 'forks'), { name: fork });
    assert.equal(forked.status, 202, 'a reader forks the platform repository (into their own namespace)');
    const forkRef = { organization: 'alice', name: fork };
    try {
      const committed = await giteaAsPerson('alice').request('POST', repositoryPath(forkRef, 'contents'), {
        branch: 'main',
        new_branch: 'by-hand',
        files,
      });
      assert.equal(committed.status, 201, JSON.stringify(committed.body));
      const opened = await giteaAsPerson('alice').request<{ number: number }>(
        'POST',
        repositoryPath(repository, 'pulls'),
        { head: `alice:by-hand`, base: 'main', title: 'by hand' },
      );
      assert.equal(opened.status, 201, JSON.stringify(opened.body));
      const path = pullPath(repository, opened.body.number);
      await waitFor(
        async () => (await giteaAsAdmin().request<{ mergeable: boolean }>('GET', path)).body.mergeable,
        'the hand-made pull request checked',
      );
      assert.equal((await merge(path, 'alice')).status, 405, 'alice merged her own pull request');
      const byLandlord = await giteaAsAdmin().request('POST', `${path}/merge`, { Do: 'merge', force_merge: true });
      assert.equal(byLandlord.status, 405, 'an admin skipped the approval');
      await giteaAsAdmin().request('PATCH', path, { state: 'closed' });
    } finally {
      await giteaAsAdmin().request('DELETE', giteaPath('repos', 'alice', fork));
    }
    assert.equal(await onMain(repository, 'tenants/by-hand.yaml'), false);
  });

  it('a platform admin approves and merges it, and the tenant is provisioned', async () => {
    const pull = await openPullRequestOf(repository, `review/${above}`);
    assert.ok(pull);
    const approved = Date.now();
    await approve(pullPath(repository, pull.number), 'carol');
    const merged = await merge(pullPath(repository, pull.number), 'carol');
    assert.equal(merged.status, 200, merged.message);
    assert.equal((await pullRequestAt(repository, pull.html_url)).merged, true);
    await waitFor(() => tenantExists(above), `Argo CD creating Tenant ${above}`, 120_000);
    await waitForPhase(above, 'Ready', 240_000);
    process.stderr.write(`[measure] admin approval to tenant Ready: ${Date.now() - approved} ms\n`);
  });

  it('decommission is a pull request merged at once, and the tenant goes', async () => {
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    await waitForPhase(within, 'Ready');
    const answer = await arthur.send('DELETE', `/api/v1/tenants/${within}`, { confirm: within });
    assert.equal(answer.status, 202, await answer.clone().text());
    const pull = await pullRequestAt(repository, ((await answer.json()) as { pullRequest: string }).pullRequest);
    assert.equal(pull.title, `Decommission tenant ${within}`);
    assert.equal(pull.user.login, 'arthur');
    assert.equal(pull.merged, true);
    assert.equal(await onMain(repository, fileOf(within)), false);
    await waitUntilGone(within, 240_000);
  });
});
