import { setTimeout as sleep } from 'node:timers/promises';
import type { RepositoryRef } from '../git-forge.ts';
import {
  type BranchChange,
  type ForgePullRequests,
  type PullRequest,
  PullRequestRefusedError,
} from '../pull-requests.ts';
import { expectStatus, giteaApi, type GiteaApi, messageOf } from './gitea-api.ts';
import { repositoryPath } from './gitea-repository.ts';

/** The fields of Gitea's pull request answer this file reads. */
interface GiteaPull {
  number: number;
  html_url: string;
  state: 'open' | 'closed';
  merged: boolean;
  mergeable: boolean;
  user: { login: string };
  /** Its repository: another's (a fork) when the branch is not the platform repository's own. */
  head: { ref: string; sha: string; repo?: { full_name: string } | null };
  base: { ref: string };
}

/** How long a new pull request may stay in Gitea's background conflict check before merging gives up. */
const checkTimeoutMs = 60_000;
const pageSize = 50;

/** A branch or file path in an API path: each segment escaped, its slashes kept (Gitea's routes take them so). */
const refPath = (ref: string) => ref.split('/').map(encodeURIComponent).join('/');

/** Pull requests on the Gitea at `url`, as Landlord's admin account; `author` calls act as that person (Sudo). */
export function giteaPullRequests(url: string, adminToken: string): ForgePullRequests {
  const admin = giteaApi(url, { token: adminToken });
  const read = async (repository: RepositoryRef, number: number) =>
    asPullRequest(
      (await expectStatus<GiteaPull>(admin, 'GET', repositoryPath(repository, 'pulls', String(number)), [200])).body,
    );
  return {
    async commitToNewBranch(repository, commit) {
      const files = [];
      for (const change of commit.changes) files.push(await fileOperation(admin, repository, commit.base, change));
      const identity = { name: commit.author.name, email: commit.author.email };
      const made = await admin.request<{ commit?: { sha: string } }>('POST', repositoryPath(repository, 'contents'), {
        branch: commit.base,
        new_branch: commit.branch,
        message: commit.message,
        author: identity,
        committer: identity,
        files,
      });
      if (made.status !== 201 || !made.body.commit)
        throw refused(`committing to new branch ${commit.branch} of ${name(repository)}`, made.status, made.body);
      return made.body.commit.sha;
    },
    async open(repository, request) {
      const asAuthor = giteaApi(url, { token: adminToken, sudo: request.author.username });
      const opened = await asAuthor.request<GiteaPull>('POST', repositoryPath(repository, 'pulls'), {
        head: request.branch,
        base: request.base,
        title: request.title,
        body: request.description,
      });
      if (opened.status !== 201)
        throw refused(
          `opening a pull request of ${request.branch} as ${request.author.username}`,
          opened.status,
          opened.body,
        );
      return asPullRequest(opened.body);
    },
    async findOpen(repository, branch) {
      for (let page = 1; ; page++) {
        const path = `${repositoryPath(repository, 'pulls')}?state=open&page=${page}&limit=${pageSize}`;
        const batch = (await expectStatus<GiteaPull[]>(admin, 'GET', path, [200])).body;
        // A fork's branch of the same name is someone else's pull request, never the portal's.
        const found = batch.find((pull) => pull.head.ref === branch && isIn(pull, repository));
        if (found) return asPullRequest(found);
        if (batch.length < pageSize) return undefined;
      }
    },
    read,
    async hasBranch(repository, branch) {
      const path = `${repositoryPath(repository, 'branches')}/${refPath(branch)}`;
      return (await expectStatus(admin, 'GET', path, [200, 404])).status === 200;
    },
    async deleteBranch(repository, branch) {
      await expectStatus(admin, 'DELETE', `${repositoryPath(repository, 'branches')}/${refPath(branch)}`, [204, 404]);
    },
    async approve(repository, pull, note) {
      const path = repositoryPath(repository, 'pulls', String(pull.number), 'reviews');
      const approved = await admin.request('POST', path, {
        event: 'APPROVED',
        body: note,
        commit_id: pull.headCommit,
      });
      if (approved.status !== 200)
        throw refused(`approving pull request #${pull.number}`, approved.status, approved.body);
    },
    async merge(repository, pull) {
      const checked = await untilChecked(() => read(repository, pull.number), pull.number);
      // Its poster may retarget it (Gitea lets them): merged only into the base Landlord opened it on.
      if (checked.base !== pull.base)
        throw new PullRequestRefusedError(
          `pull request #${pull.number} now targets ${checked.base}, not ${pull.base}: it is not merged`,
        );
      const merged = await admin.request('POST', repositoryPath(repository, 'pulls', String(pull.number), 'merge'), {
        Do: 'merge',
        head_commit_id: pull.headCommit,
        delete_branch_after_merge: true,
      });
      if (merged.status !== 200) throw refused(`merging pull request #${pull.number}`, merged.status, merged.body);
    },
    async comment(repository, pull, text) {
      const path = repositoryPath(repository, 'issues', String(pull.number), 'comments');
      const said = await admin.request('POST', path, { body: text });
      if (said.status !== 201) throw refused(`commenting on pull request #${pull.number}`, said.status, said.body);
    },
  };
}

/** Gitea checks a new pull request for conflicts in the background; merging before its verdict fails. */
async function untilChecked(read: () => Promise<PullRequest>, number: number): Promise<PullRequest> {
  const deadline = Date.now() + checkTimeoutMs;
  for (;;) {
    const pull = await read();
    if (pull.mergeable || pull.state !== 'open') return pull;
    if (Date.now() > deadline)
      throw new PullRequestRefusedError(
        `pull request #${number} is not mergeable after ${checkTimeoutMs / 1000} s (a conflict with main?)`,
      );
    await sleep(250);
  }
}

/** The contents API's operation for one change; a removal names the blob it removes, read from the base branch. */
async function fileOperation(api: GiteaApi, repository: RepositoryRef, base: string, change: BranchChange) {
  if (change.content !== null)
    return { operation: 'create', path: change.path, content: Buffer.from(change.content).toString('base64') };
  const path = `${repositoryPath(repository, 'contents')}/${refPath(change.path)}?ref=${encodeURIComponent(base)}`;
  const found = await expectStatus<{ sha: string }>(api, 'GET', path, [200, 404]);
  if (found.status === 404)
    throw new PullRequestRefusedError(`${change.path} is not on ${base} of ${name(repository)}: nothing to remove`);
  return { operation: 'delete', path: change.path, sha: found.body.sha };
}

function asPullRequest(pull: GiteaPull): PullRequest {
  return {
    number: pull.number,
    webURL: pull.html_url,
    branch: pull.head.ref,
    base: pull.base.ref,
    headCommit: pull.head.sha,
    state: pull.merged ? 'merged' : pull.state,
    author: pull.user.login,
    mergeable: pull.mergeable,
  };
}

const isIn = (pull: GiteaPull, repository: RepositoryRef) =>
  pull.head.repo?.full_name.toLowerCase() === name(repository).toLowerCase();

const name = (repository: RepositoryRef) => `${repository.organization}/${repository.name}`;

/** A refusal naming the call, the status and Gitea's message (never a credential). */
function refused(what: string, status: number, body: unknown): PullRequestRefusedError {
  return new PullRequestRefusedError(`the forge refused ${what}: ${status} ${messageOf(body)}`.trim());
}
