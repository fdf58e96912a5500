import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { PullRequestRefusedError } from '../pull-requests.ts';
import { giteaPullRequests } from './gitea-pull-requests.ts';

/** One call the fake Gitea received: method, path, Sudo header and JSON body. */
interface Call {
  method: string;
  path: string;
  sudo?: string;
  body?: Record<string, unknown>;
}

type Answer = { status: number; body?: unknown };

/** A fake Gitea answering each call with the first route whose key (`METHOD path`) it starts with. */
async function fakeGitea(routes: Record<string, (call: Call) => Answer>) {
  const calls: Call[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => answer(request, text, response));
  });
  const answer = (request: IncomingMessage, text: string, response: ServerResponse) => {
    const call: Call = {
      method: request.method ?? '',
      path: (request.url ?? '').replace('/api/v1', ''),
      sudo: request.headers.sudo as string | undefined,
      body: text ? JSON.parse(text) : undefined,
    };
    calls.push(call);
    const key = Object.keys(routes).find((route) => `${call.method} ${call.path}`.startsWith(route));
    const route = key ? routes[key] : undefined;
    const answered = route ? route(call) : { status: 404, body: { message: 'no route' } };
    response.writeHead(answered.status, { 'content-type': 'application/json' });
    response.end(answered.body === undefined ? '' : JSON.stringify(answered.body));
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => server.close());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls };
}

const repository = { organization: 'platform', name: 'platform' };
const giteaPull = (changes: Record<string, unknown> = {}) => ({
  number: 3,
  html_url: 'http://forge/platform/platform/pulls/3',
  state: 'open',
  merged: false,
  mergeable: true,
  user: { login: 'arthur' },
  head: { ref: 'request/a', sha: 'abc', repo: { full_name: 'platform/platform' } },
  base: { ref: 'main' },
  ...changes,
});
/** A pull request as Landlord read it (the client's own shape). */
const readPull = {
  number: 3,
  webURL: '',
  branch: 'request/a',
  base: 'main',
  headCommit: 'abc',
  state: 'open' as const,
  author: 'arthur',
  mergeable: true,
};
const author = { username: 'arthur', name: 'Arthur Amsel', email: 'arthur@financecore.example' };

describe('pull requests on Gitea', () => {
  it('commits as the author on a new branch, a removal naming the blob it removes', async () => {
    const gitea = await fakeGitea({
      'GET /repos/platform/platform/contents/tenants/old.yaml?ref=main': () => ({ status: 200, body: { sha: 'b10b' } }),
      'POST /repos/platform/platform/contents': () => ({ status: 201, body: { commit: { sha: 'c0ffee' } } }),
    });
    const forge = giteaPullRequests(gitea.url, 'token');
    const commit = await forge.commitToNewBranch(repository, {
      base: 'main',
      branch: 'request/a',
      message: 'Request a',
      author,
      changes: [
        { path: 'tenants/a.yaml', content: 'a' },
        { path: 'tenants/old.yaml', content: null },
      ],
    });
    assert.equal(commit, 'c0ffee');
    const posted = gitea.calls.at(-1);
    assert.equal(posted?.sudo, undefined, "Landlord's account commits; the author is the requester");
    assert.deepEqual(posted?.body, {
      branch: 'main',
      new_branch: 'request/a',
      message: 'Request a',
      author: { name: 'Arthur Amsel', email: 'arthur@financecore.example' },
      committer: { name: 'Arthur Amsel', email: 'arthur@financecore.example' },
      files: [
        { operation: 'create', path: 'tenants/a.yaml', content: Buffer.from('a').toString('base64') },
        { operation: 'delete', path: 'tenants/old.yaml', sha: 'b10b' },
      ],
    });
  });

  it('posts the pull request as the requester (Sudo), and names the forge’s refusal', async () => {
    const gitea = await fakeGitea({
      'POST /repos/platform/platform/pulls': (call) =>
        call.sudo === 'arthur'
          ? { status: 201, body: giteaPull() }
          : { status: 404, body: { message: 'user does not exist' } },
    });
    const forge = giteaPullRequests(gitea.url, 'token');
    const request = { base: 'main', branch: 'request/a', title: 't', description: 'd', author };
    const pull = await forge.open(repository, request);
    assert.deepEqual(pull, {
      number: 3,
      webURL: 'http://forge/platform/platform/pulls/3',
      branch: 'request/a',
      base: 'main',
      headCommit: 'abc',
      state: 'open',
      author: 'arthur',
      mergeable: true,
    });
    await assert.rejects(forge.open(repository, { ...request, author: { ...author, username: 'ghost' } }), (error) => {
      assert.ok(error instanceof PullRequestRefusedError);
      assert.match(error.message, /as ghost: 404 user does not exist/);
      assert.ok(!error.message.includes('token'), 'never the credential');
      return true;
    });
  });

  it('merges at the approved head only once Gitea has checked it, into the base it was opened on only', async () => {
    let reads = 0;
    let base = 'main';
    const gitea = await fakeGitea({
      'GET /repos/platform/platform/pulls/3': () => ({
        status: 200,
        body: giteaPull({ mergeable: ++reads > 2, base: { ref: base } }),
      }),
      'POST /repos/platform/platform/pulls/3/merge': () => ({ status: 200 }),
    });
    const forge = giteaPullRequests(gitea.url, 'token');
    const pull = { ...readPull, mergeable: false };
    await forge.merge(repository, pull);
    assert.equal(reads, 3, 'waited for the conflict check');
    assert.deepEqual(gitea.calls.at(-1)?.body, { Do: 'merge', head_commit_id: 'abc', delete_branch_after_merge: true });
    // Its poster retargeted it onto another request's branch: nothing is merged.
    base = 'review/other';
    const merges = gitea.calls.filter((call) => call.method === 'POST').length;
    await assert.rejects(forge.merge(repository, pull), /now targets review\/other, not main: it is not merged/);
    assert.equal(gitea.calls.filter((call) => call.method === 'POST').length, merges);
  });

  it('refuses a merge the branch protection does not allow', async () => {
    const gitea = await fakeGitea({
      'GET /repos/platform/platform/pulls/3': () => ({ status: 200, body: giteaPull() }),
      'POST /repos/platform/platform/pulls/3/merge': () => ({
        status: 405,
        body: { message: 'Does not have enough approvals' },
      }),
    });
    const pull = readPull;
    await assert.rejects(
      giteaPullRequests(gitea.url, 'token').merge(repository, pull),
      /merging pull request #3: 405 Does not have enough approvals/,
    );
  });

  it('finds a branch and its open pull request (never a fork’s of the same name), slashes kept in the path', async () => {
    const gitea = await fakeGitea({
      'GET /repos/platform/platform/branches/review/a': () => ({ status: 200, body: {} }),
      'GET /repos/platform/platform/pulls?state=open': () => ({
        status: 200,
        body: [
          giteaPull({ number: 2, head: { ref: 'review/a', sha: 'f00', repo: { full_name: 'alice/fork' } } }),
          giteaPull({ head: { ref: 'review/a', sha: 'abc', repo: { full_name: 'platform/platform' } } }),
        ],
      }),
    });
    const forge = giteaPullRequests(gitea.url, 'token');
    assert.equal(await forge.hasBranch(repository, 'review/a'), true);
    assert.equal(await forge.hasBranch(repository, 'review/b'), false);
    assert.equal((await forge.findOpen(repository, 'review/a'))?.number, 3);
    assert.equal(await forge.findOpen(repository, 'review/b'), undefined);
  });
});
