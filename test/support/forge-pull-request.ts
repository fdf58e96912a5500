import assert from 'node:assert/strict';
import { giteaPath } from '../../src/integrations/git/gitea/gitea-api.ts';
import type { RepositoryRef } from '../../src/integrations/git/git-forge.ts';
import { giteaAsPerson } from './gitea.ts';
import { waitFor } from './wait.ts';

/** Opens a pull request of `branch` into main as `author`; returns its API path. */
export async function openPullRequest(repository: RepositoryRef, branch: string, author: string): Promise<string> {
  const pulls = giteaPath('repos', repository.organization, repository.name, 'pulls');
  const opened = await giteaAsPerson(author).request<{ number: number }>('POST', pulls, {
    head: branch,
    base: 'main',
    title: `${branch} by ${author}`,
  });
  assert.equal(opened.status, 201, `pull request of ${branch} opened`);
  const path = `${pulls}/${opened.body.number}`;
  // Gitea checks a new pull request for conflicts in the background: merging waits for that verdict.
  await waitFor(
    async () => (await giteaAsPerson(author).request<{ mergeable: boolean }>('GET', path)).body.mergeable,
    `pull request ${path} checked mergeable`,
  );
  return path;
}

/** `approver` approves the pull request. */
export async function approve(pullPath: string, approver: string): Promise<void> {
  const approved = await giteaAsPerson(approver).request('POST', `${pullPath}/reviews`, { event: 'APPROVED' });
  assert.equal(approved.status, 200, `${approver} approved ${pullPath}`);
}

/** Asks to merge the pull request as `person`; returns the forge's status and message. */
export async function merge(pullPath: string, person: string) {
  const merged = await giteaAsPerson(person).request<{ message?: string }>('POST', `${pullPath}/merge`, {
    Do: 'merge',
  });
  return { status: merged.status, message: merged.body?.message ?? '' };
}
