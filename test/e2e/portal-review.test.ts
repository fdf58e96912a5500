import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import type { Tenant } from '../../src/api/tenant.ts';
import { git } from '../../src/git/commit-files.ts';
import type { ErrorBody } from '../../src/portal/errors.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { testEnvironment, uniqueName } from '../support/cluster.ts';
import { startOperator, tenantExists } from '../support/operator.ts';
import { PortalApiClient } from '../support/portal-api.ts';
import { startTestPortal } from '../support/portal.ts';

const { platform, platformRepo } = testEnvironment();
startOperator();
const portal = await startTestPortal({
  mode: 'gitops',
  platformRepoURL: platformRepo.repoURL,
  platformApplication: { namespace: platform.argocd.namespace, name: 'landlord-platform' },
});
const repoPath = new URL(platformRepo.repoURL).pathname;
const team = uniqueName('prev');
const branch = `review/${team}`;
after(() => git(repoPath, ['branch', '-D', branch]).catch(() => undefined));

const head = async (ref: string) => (await git(repoPath, ['rev-parse', ref])).stdout.trim();

describe('GitOps mode: a request above the review threshold awaits a platform admin on a branch', () => {
  it('commits it to review/<name>, not to main, and says so with a 202', async () => {
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    const { spec } = validTenant(team, team);
    const cpu = String(Number(platform.reviewThreshold.cpu) + 8);
    const body = { spec: { ...spec, adGroup: 'devteam-a', resourceQuota: { ...spec.resourceQuota, cpu } } };
    const mainBefore = await head('main');

    const answer = await arthur.send('POST', '/api/v1/tenants', body);
    assert.equal(answer.status, 202, await answer.clone().text());
    assert.deepEqual(await answer.json(), {
      name: team,
      mode: 'gitops',
      review: {
        branch,
        reasons: [`spec.resourceQuota.cpu: ${cpu} is above the review threshold of ${platform.reviewThreshold.cpu}`],
      },
    });

    assert.equal(await head('main'), mainBefore, 'main is untouched');
    const file = `tenants/${team}.yaml`;
    await assert.rejects(git(repoPath, ['cat-file', '-e', `main:${file}`]), 'the file is not on main');
    const proposed = parse((await git(repoPath, ['show', `${branch}:${file}`])).stdout) as Tenant;
    assert.equal(proposed.spec.resourceQuota.cpu, cpu);
    assert.equal(
      (await git(repoPath, ['rev-parse', `${branch}~1`])).stdout.trim(),
      mainBefore,
      'the branch is one commit on top of main',
    );
    const author = (await git(repoPath, ['log', '-1', '--format=%an <%ae>', branch])).stdout.trim();
    assert.equal(author, 'Arthur Amsel <arthur@financecore.example>');
    assert.equal(await tenantExists(team), false, 'nothing reaches the cluster before the review');
    assert.ok(portal.audit.some((line) => line.action === 'request' && line.tenant === team && line.review === branch));
  });

  it('does not propose the same request twice while it awaits review', async () => {
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    const { spec } = validTenant(team, team);
    const cpu = String(Number(platform.reviewThreshold.cpu) + 8);
    const body = { spec: { ...spec, adGroup: 'devteam-a', resourceQuota: { ...spec.resourceQuota, cpu } } };
    const again = await arthur.send('POST', '/api/v1/tenants', body);
    assert.equal(again.status, 409);
    const { error } = (await again.json()) as ErrorBody;
    assert.equal(error.code, 'awaiting-review');
    assert.match(error.message, new RegExp(`already awaits review on ${branch}`));
  });
});
