import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type BranchProtection,
  type ForgeCredentials,
  ForeignAccountError,
  ForgeUnavailableError,
  type RepositoryRef,
  UnknownGroupError,
  UnknownTemplateError,
} from '../../src/integrations/git/git-forge.ts';
import { giteaPath } from '../../src/integrations/git/gitea/gitea-api.ts';
import { giteaForge } from '../../src/integrations/git/gitea/gitea-forge.ts';
import { testEnvironment, uniqueName } from '../support/cluster.ts';
import { identitySecrets } from '../support/directory.ts';
import { git, gitClone, type GitLogin } from '../support/git-http.ts';
import { giteaAsAdmin, giteaAsPerson } from '../support/gitea.ts';
import { waitFor } from '../support/wait.ts';

// The Gitea forge the repository factory calls, against the local Gitea: a tenant's repository from a template,
// its protected main branch, its group's access, its read-only machine user, its push webhook, its archive.
const { gitea } = testEnvironment();
const forge = giteaForge(gitea.url, readFileSync(gitea.tokenFile, 'utf8').trim());
const template: RepositoryRef = { organization: uniqueName('templates'), name: 'tenant-template' };
const repository: RepositoryRef = { organization: gitea.organization, name: uniqueName('payments') };
const otherRepository: RepositoryRef = { organization: gitea.organization, name: uniqueName('other') };
const marker = `tenant payments (${repository.name})`;
const protection: BranchProtection = { branch: 'main', requiredApprovals: 1, approverTeams: ['platform-admins'] };
const reader = uniqueName('reader');
const scratch = mkdtempSync(join(tmpdir(), 'landlord-gitea-forge-'));
const person = (uid: string): GitLogin => ({ username: uid, password: identitySecrets().users[uid] ?? '' });
const asGitLogin = (credentials: ForgeCredentials): GitLogin => ({
  username: credentials.username,
  password: credentials.token,
});

/** A push event as the test's loopback listener received it. */
interface Delivery {
  event: string | undefined;
  signature: string | undefined;
  body: string;
}
const deliveries: Delivery[] = [];
let listener: Server;
let hookURL = '';
let cloneURL = '';
let readerCredentials: ForgeCredentials;

/** Everything the factory calls for the repository, in its order; returns what ensureRepository said. */
async function provision(secret: string) {
  await forge.ensureOrganization(repository.organization);
  const made = await forge.ensureRepository(repository, { template, marker });
  await forge.grantGroup(repository, 'devteam-a');
  await forge.protectBranch(repository, protection);
  await forge.ensureWebhook(repository, { url: hookURL, secret });
  return made;
}

/** Clones the repository as alice, commits a file on a new branch and pushes it there (or to `target`). */
async function pushCommit(branch: string, target = branch, login = person('alice')) {
  const clone = await gitClone(scratch, cloneURL, login);
  assert.ok(clone.ok, clone.stderr);
  await git(clone.dir, ['checkout', '--quiet', '-b', branch]);
  writeFileSync(join(clone.dir, `${branch}.txt`), `${branch}\n`);
  await git(clone.dir, ['add', '.']);
  await git(clone.dir, ['commit', '--quiet', '-m', `add ${branch}`]);
  return git(clone.dir, ['push', 'origin', `HEAD:refs/heads/${target}`], login);
}

const signed = (body: string, secret: string) => createHmac('sha256', secret).update(body).digest('hex');

before(async () => {
  listener = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      deliveries.push({
        event: request.headers['x-gitea-event'] as string | undefined,
        signature: request.headers['x-gitea-signature'] as string | undefined,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  hookURL = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/push`;

  // The template: its own organisation, a repository marked as a template, a couple of files on main.
  const admin = giteaAsAdmin();
  await forge.ensureOrganization(template.organization);
  const made = await admin.request('POST', giteaPath('orgs', template.organization, 'repos'), {
    name: template.name,
    private: true,
    template: true,
    auto_init: true,
    readme: 'Default',
    default_branch: 'main',
  });
  assert.equal(made.status, 201);
  const content = (text: string) => Buffer.from(text).toString('base64');
  const files = await admin.request('POST', giteaPath('repos', template.organization, template.name, 'contents'), {
    branch: 'main',
    message: 'the tenant layout',
    files: [
      { operation: 'create', path: 'apps/README.md', content: content('Your applications go here.\n') },
      { operation: 'create', path: 'kustomization.yaml', content: content('resources: []\n') },
    ],
  });
  assert.equal(files.status, 201);
});

after(async () => {
  await new Promise((resolve) => listener.close(resolve));
  rmSync(scratch, { recursive: true, force: true });
});

describe('the Gitea forge', () => {
  it("makes the tenant's private repository from the template in one commit, and converges when called again", async () => {
    const first = await provision('secret-one');
    assert.equal(first.created, true);
    assert.equal(first.marker, marker);
    assert.equal(first.archived, false);
    assert.equal(first.webURL, `${gitea.url}/${repository.organization}/${repository.name}`);
    cloneURL = first.cloneURL;
    const admin = giteaAsAdmin();
    const repoPath = giteaPath('repos', repository.organization, repository.name);
    const read = await admin.request<{ private: boolean; default_branch: string }>('GET', repoPath);
    assert.equal(read.body.private, true);
    assert.equal(read.body.default_branch, 'main');

    const clone = await gitClone(scratch, cloneURL, person('alice'));
    assert.ok(clone.ok, clone.stderr);
    assert.deepEqual(
      readdirSync(clone.dir)
        .filter((entry) => entry !== '.git')
        .sort(),
      ['README.md', 'apps', 'kustomization.yaml'],
    );
    assert.equal(readFileSync(join(clone.dir, 'apps', 'README.md'), 'utf8'), 'Your applications go here.\n');
    assert.equal((await git(clone.dir, ['rev-list', '--count', 'HEAD'])).stdout.trim(), '1');

    const ruleBefore = await admin.request<Record<string, unknown>>('GET', `${repoPath}/branch_protections/main`);
    assert.equal(ruleBefore.status, 200);
    assert.deepEqual([...(ruleBefore.body.approvals_whitelist_teams as string[])].sort(), [
      'devteam-a',
      'platform-admins',
    ]);
    const hooksBefore = await admin.request<{ id: number }[]>('GET', `${repoPath}/hooks`);
    const second = await provision('secret-one');
    assert.deepEqual(second, { ...first, created: false });
    const ruleAfter = await admin.request<Record<string, unknown>>('GET', `${repoPath}/branch_protections/main`);
    assert.deepEqual(ruleAfter.body, ruleBefore.body);
    const rules = await admin.request<unknown[]>('GET', `${repoPath}/branch_protections`);
    assert.equal(rules.body.length, 1);
    const hooks = await admin.request<{ id: number }[]>('GET', `${repoPath}/hooks`);
    assert.deepEqual(
      hooks.body.map((hook) => hook.id),
      hooksBefore.body.map((hook) => hook.id),
    );
    assert.equal(hooks.body.length, 1);
    const named = await admin.request<{ name: string }[]>(
      'GET',
      `${giteaPath('orgs', repository.organization, 'repos')}?limit=50`,
    );
    assert.equal(named.body.filter((repo) => repo.name === repository.name).length, 1);
  });

  it('refuses a direct push to main, takes a branch, and merges a pull request only once a platform admin approved', async () => {
    const direct = await pushCommit(uniqueName('direct'), 'main');
    assert.equal(direct.ok, false, 'a direct push to main was taken');
    const branch = uniqueName('feature');
    const pushed = await pushCommit(branch);
    assert.ok(pushed.ok, pushed.stderr);

    const alice = giteaAsPerson('alice');
    const pullsPath = giteaPath('repos', repository.organization, repository.name, 'pulls');
    const opened = await alice.request<{ number: number }>('POST', pullsPath, {
      head: branch,
      base: 'main',
      title: 'add a file',
    });
    assert.equal(opened.status, 201);
    const pullPath = `${pullsPath}/${opened.body.number}`;
    // Gitea checks a new pull request for conflicts in the background: merging waits for that verdict.
    await waitFor(
      async () => (await alice.request<{ mergeable: boolean }>('GET', pullPath)).body.mergeable,
      'the pull request checked mergeable',
    );
    const early = await alice.request<{ message?: string }>('POST', `${pullPath}/merge`, { Do: 'merge' });
    assert.equal(early.status, 405);
    assert.match(early.body.message ?? '', /approv/i);

    const approved = await giteaAsPerson('carol').request('POST', `${pullPath}/reviews`, {
      event: 'APPROVED',
      body: 'looks right',
    });
    assert.equal(approved.status, 200);
    const merged = await alice.request('POST', `${pullPath}/merge`, { Do: 'merge' });
    assert.equal(merged.status, 200);
    const clone = await gitClone(scratch, cloneURL, person('alice'));
    assert.ok(readdirSync(clone.dir).includes(`${branch}.txt`), 'the merged file is on main');
  });

  it('keeps the repository from a member of another group: not listed, not read, not cloned', async () => {
    const bob = giteaAsPerson('bob');
    assert.equal((await bob.request('GET', giteaPath('repos', repository.organization, repository.name))).status, 404);
    const clone = await gitClone(scratch, cloneURL, person('bob'));
    assert.equal(clone.ok, false);
  });

  it('gives the reader a token that clones this repository only, never pushes, and is kept while it works', async () => {
    readerCredentials = await forge.ensureReader(repository, reader);
    assert.equal(readerCredentials.username, reader);
    const clone = await gitClone(scratch, cloneURL, asGitLogin(readerCredentials));
    assert.ok(clone.ok, clone.stderr);
    const pushed = await pushCommit(uniqueName('by-reader'), undefined, asGitLogin(readerCredentials));
    assert.equal(pushed.ok, false, 'the reader pushed a branch');

    // Another private repository of the same organisation stays out of its reach.
    const other = await forge.ensureRepository(otherRepository, { template, marker: 'another tenant' });
    const tokenApi = giteaAsPerson(reader, readerCredentials.token);
    assert.equal(
      (await tokenApi.request('GET', giteaPath('repos', otherRepository.organization, otherRepository.name))).status,
      404,
    );
    assert.equal((await gitClone(scratch, other.cloneURL, asGitLogin(readerCredentials))).ok, false);

    // The reader is restricted, makes nothing, and belongs to no organisation.
    const account = await giteaAsAdmin().request<{ restricted: boolean; is_admin: boolean }>(
      'GET',
      giteaPath('users', reader),
    );
    assert.equal(account.body.restricted, true);
    assert.equal(account.body.is_admin, false);
    const orgs = await giteaAsAdmin().request<unknown[]>('GET', giteaPath('users', reader, 'orgs'));
    assert.deepEqual(orgs.body, []);

    assert.deepEqual(await forge.ensureReader(repository, reader, readerCredentials), readerCredentials);
    const fresh = await forge.ensureReader(repository, reader, { username: reader, token: 'not-a-token' });
    assert.equal(fresh.username, reader);
    assert.notEqual(fresh.token, readerCredentials.token);
    assert.ok((await gitClone(scratch, cloneURL, asGitLogin(fresh))).ok, 'the fresh token clones');
    // Minting replaced the older token: only the latest works.
    assert.equal((await gitClone(scratch, cloneURL, asGitLogin(readerCredentials))).ok, false);
    readerCredentials = fresh;
  });

  it('refuses to take over an account it did not make, such as a directory person', async () => {
    await assert.rejects(
      forge.ensureReader(repository, 'alice'),
      (error: Error) => error instanceof ForeignAccountError && error.message.includes('"alice"'),
    );
    const alice = await giteaAsPerson('alice').request<{ login: string; restricted: boolean }>('GET', '/user');
    assert.equal(alice.status, 200, 'alice still signs in with her directory password');
    assert.equal(alice.body.restricted, false);
  });

  it('delivers pushes to the webhook signed with its secret, and a changed secret replaces it', async () => {
    const verify = async (secret: string) => {
      const branch = uniqueName('hooked');
      assert.ok((await pushCommit(branch)).ok);
      await waitFor(
        () => deliveries.some((delivery) => delivery.body.includes(`"refs/heads/${branch}"`)),
        `the push of ${branch} delivered`,
      );
      const delivery = deliveries.find((candidate) => candidate.body.includes(`"refs/heads/${branch}"`)) as Delivery;
      assert.equal(delivery.event, 'push');
      assert.equal(delivery.signature, signed(delivery.body, secret));
    };
    await verify('secret-one');
    await forge.ensureWebhook(repository, { url: hookURL, secret: 'secret-two' });
    const hooks = await giteaAsAdmin().request<unknown[]>(
      'GET',
      giteaPath('repos', repository.organization, repository.name, 'hooks'),
    );
    assert.equal(hooks.body.length, 1);
    await verify('secret-two');
  });

  it('archives the repository: pushes refused, history kept; a missing repository is nothing to archive', async () => {
    await forge.archive(repository);
    const pushed = await pushCommit(uniqueName('after-archive'));
    assert.equal(pushed.ok, false, 'a push to the archived repository was taken');
    const clone = await gitClone(scratch, cloneURL, asGitLogin(readerCredentials));
    assert.ok(clone.ok, clone.stderr);
    assert.ok(Number((await git(clone.dir, ['rev-list', '--count', 'HEAD'])).stdout.trim()) >= 2);
    const again = await forge.ensureRepository(repository, { template, marker });
    assert.equal(again.archived, true);
    assert.equal(again.created, false);
    await forge.archive({ organization: repository.organization, name: uniqueName('never-made') });
  });

  it('names the template, the group or the forge it could not use', async () => {
    const missing = { organization: template.organization, name: 'no-such-template' };
    await assert.rejects(
      forge.ensureRepository(
        { organization: repository.organization, name: uniqueName('x') },
        { template: missing, marker },
      ),
      (error: Error) =>
        error instanceof UnknownTemplateError && error.message.includes(`${template.organization}/no-such-template`),
    );
    await assert.rejects(
      forge.ensureRepository(
        { organization: repository.organization, name: uniqueName('x') },
        {
          template: otherRepository,
          marker,
        },
      ),
      (error: Error) =>
        error instanceof UnknownTemplateError &&
        error.message.includes(`${otherRepository.organization}/${otherRepository.name} is not a template`),
    );
    await assert.rejects(
      forge.grantGroup(otherRepository, 'no-such-group'),
      (error: Error) =>
        error instanceof UnknownGroupError &&
        error.message.includes('"no-such-group"') &&
        error.message.includes(repository.organization),
    );
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(
      giteaForge(`http://127.0.0.1:${port}`, 'a-token').ensureOrganization('anything'),
      (error: Error) =>
        error instanceof ForgeUnavailableError &&
        error.message.includes(`127.0.0.1:${port}`) &&
        !error.message.includes('a-token'),
    );
  });
});
