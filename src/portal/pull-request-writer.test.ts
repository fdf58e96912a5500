import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { defaultPlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import { commitFiles, git } from '../git/commit-files.ts';
import type { ForgePullRequests, PullRequest } from '../integrations/git/pull-requests.ts';
import { PullRequestRefusedError } from '../integrations/git/pull-requests.ts';
import { validTenant } from '../../test/fixtures/tenants.ts';
import { PortalError } from './errors.ts';
import { pullRequestWriter } from './pull-request-writer.ts';
import type { PortalUser } from './user.ts';

const root = mkdtempSync(join(tmpdir(), 'landlord-pull-writer-test-'));
after(() => rmSync(root, { recursive: true, force: true }));

const arthur: PortalUser = {
  subject: 's',
  username: 'arthur',
  email: 'arthur@financecore.example',
  name: 'Arthur Amsel',
  groups: ['devteam-a'],
};
const repository = { organization: 'platform', name: 'platform' };
const tenant = (name: string, cpu = '4') => {
  const document = validTenant(name, name) as unknown as Tenant;
  document.spec.resourceQuota.cpu = cpu;
  return document;
};

/** A platform repository (a bare folder: the checks clone it) holding these files on main. */
async function platformRepo(files: Record<string, string>): Promise<string> {
  const path = join(root, `${Object.keys(files).length}-${Math.random().toString(36).slice(2)}.git`);
  await git(root, ['init', '--quiet', '--bare', '--initial-branch=main', path]);
  const url = pathToFileURL(path).href;
  const changes = Object.entries({ 'tenants/README.md': '# Tenants\n', ...files });
  await commitFiles(
    url,
    changes.map(([file, content]) => ({ path: file, content })),
    'Seed',
  );
  return url;
}

/** A forge that records what it is asked; `branches` exist already, `refuseOpen` fails posting the pull request. */
function fakeForge(options: { branches?: string[]; refuseOpen?: boolean } = {}) {
  const calls: string[] = [];
  const branches = new Set(options.branches ?? []);
  const pull = (branch: string): PullRequest => ({
    number: 7,
    webURL: `https://forge.example/platform/platform/pulls/7`,
    branch,
    base: 'main',
    headCommit: 'c0ffee',
    state: 'open',
    author: 'arthur',
    mergeable: true,
  });
  const forge: ForgePullRequests = {
    async commitToNewBranch(_, commit) {
      branches.add(commit.branch);
      calls.push(
        `commit ${commit.branch} by ${commit.author.username} <${commit.author.email}>: ${commit.changes.map((c) => `${c.path}${c.content === null ? ' removed' : ''}`).join(', ')}`,
      );
      return 'c0ffee';
    },
    async open(_, request) {
      if (options.refuseOpen) throw new PullRequestRefusedError('the forge has no account arthur');
      calls.push(`open ${request.branch} as ${request.author.username}`);
      return pull(request.branch);
    },
    async findOpen(_, branch) {
      return branches.has(branch) ? pull(branch) : undefined;
    },
    async read() {
      return pull('x');
    },
    async hasBranch(_, branch) {
      return branches.has(branch);
    },
    async deleteBranch(_, branch) {
      branches.delete(branch);
      calls.push(`delete ${branch}`);
    },
    async approve(_, approved) {
      calls.push(`approve ${approved.branch}`);
    },
    async merge(_, merged) {
      calls.push(`merge ${merged.branch}`);
    },
    async comment(_, commented, text) {
      calls.push(`comment ${commented.branch}: ${text.split('\n')[0]}`);
    },
  };
  return { forge, calls, branches };
}

const machine = { username: 'landlord', token: 'not-a-real-token' };
const writerOn = (cloneURL: string, forge: ForgePullRequests) =>
  pullRequestWriter({ repository, cloneURL, machine }, forge, defaultPlatformConfig);
const refusal = (code: string) => (error: unknown) => error instanceof PortalError && error.code === code;

describe('the portal on a forge platform repository: requests as pull requests', () => {
  it('within the ceilings: the requester posts it, Landlord approves and merges it at once', async () => {
    const { forge, calls } = fakeForge();
    const written = await writerOn(await platformRepo({}), forge).create(tenant('team-w'), arthur);
    assert.deepEqual(written, { commit: 'c0ffee', pullRequest: 'https://forge.example/platform/platform/pulls/7' });
    assert.deepEqual(calls, [
      'commit request/team-w by arthur <arthur@financecore.example>: tenants/team-w.yaml',
      'open request/team-w as arthur',
      'approve request/team-w',
      'merge request/team-w',
    ]);
  });

  it('above the ceilings: it waits for a platform admin, Landlord saying why where its poster cannot edit it', async () => {
    const { forge, calls } = fakeForge();
    const cpu = String(Number(defaultPlatformConfig.reviewThreshold.cpu) + 1);
    const written = await writerOn(await platformRepo({}), forge).create(tenant('team-x', cpu), arthur);
    assert.deepEqual(written.review?.branch, 'review/team-x');
    assert.equal(written.review?.reasons.length, 1);
    assert.equal(written.review?.pullRequest, 'https://forge.example/platform/platform/pulls/7');
    assert.deepEqual(calls.slice(1), [
      'open review/team-x as arthur',
      "comment review/team-x: Above the platform's ceilings, so it waits for a platform admin, who approves and merges it:",
    ]);
  });

  it('refuses a name taken, a team taken, and a request already awaiting review, proposing nothing', async () => {
    const taken = await platformRepo({
      'tenants/team-t.yaml': stringify(tenant('team-t')),
      'tenants/other.yaml': stringify(tenant('other-name', '4')).replace('teamName: other-name', 'teamName: team-u'),
    });
    const { forge, calls } = fakeForge({ branches: ['review/team-r'] });
    const writer = writerOn(taken, forge);
    await assert.rejects(writer.create(tenant('team-t'), arthur), refusal('exists'));
    await assert.rejects(writer.create(tenant('team-u'), arthur), refusal('exists'));
    await assert.rejects(writer.create(tenant('team-r'), arthur), (error: unknown) => {
      assert.ok(refusal('awaiting-review')(error));
      assert.match(
        (error as Error).message,
        /review\/team-r \(https:\/\/forge\.example\/platform\/platform\/pulls\/7\)/,
      );
      return true;
    });
    assert.deepEqual(calls, []);
  });

  it('names a review branch left without a pull request (a declined request) instead of a review under way', async () => {
    const { forge } = fakeForge({ branches: ['review/team-l'] });
    forge.findOpen = async () => undefined;
    await assert.rejects(writerOn(await platformRepo({}), forge).create(tenant('team-l'), arthur), (error: unknown) => {
      assert.ok(refusal('under-way')(error));
      assert.match((error as Error).message, /left from an earlier request .* a platform admin removes the branch/);
      return true;
    });
  });

  it('decommissions through a pull request merged at once; refuses a file holding more than the tenant', async () => {
    const shared = `${stringify(tenant('team-d'))}---\n${stringify(tenant('team-e'))}`;
    const url = await platformRepo({
      'tenants/team-c.yaml': stringify(tenant('team-c')),
      'tenants/team-d.yaml': shared,
    });
    const { forge, calls } = fakeForge();
    const writer = writerOn(url, forge);
    await writer.remove(tenant('team-c'), arthur);
    assert.deepEqual(calls, [
      'commit decommission/team-c by arthur <arthur@financecore.example>: tenants/team-c.yaml removed',
      'open decommission/team-c as arthur',
      'approve decommission/team-c',
      'merge decommission/team-c',
    ]);
    await assert.rejects(writer.remove(tenant('team-d'), arthur), refusal('not-only-this-tenant'));
    await assert.rejects(writer.remove(tenant('team-z'), arthur), refusal('not-in-repository'));
  });

  it('removes the branch when the requester cannot post the pull request, so the name is not blocked', async () => {
    const { forge, calls, branches } = fakeForge({ refuseOpen: true });
    await assert.rejects(
      writerOn(await platformRepo({}), forge).create(tenant('team-n'), arthur),
      refusal('forge-refused'),
    );
    assert.equal(calls.at(-1), 'delete request/team-n');
    assert.equal(branches.size, 0);
  });
});
