import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { stringify } from 'yaml';
import type { Tenant } from '../../src/api/tenant.ts';
import { exampleDirectory, platformAdminsGroup } from '../../src/dev/identity/directory.ts';
import type { RepositoryRef } from '../../src/integrations/git/git-forge.ts';
import { waitForApplication } from './argocd.ts';
import { testCluster, testEnvironment, uniqueName } from './cluster.ts';
import { identitySecrets } from './directory.ts';
import { approve, merge, openPullRequest } from './forge-pull-request.ts';
import { giteaAsPerson } from './gitea.ts';
import { watchRefreshRequests } from './refresh-requests.ts';
import { git, gitClone, type GitLogin } from './git-http.ts';

// A team's repository as the Git factory makes it on the local Gitea: the team changes it as its members do,
// through a reviewed pull request, and the forge's webhook (no refresh call) brings the merge to Argo CD.

const scratch = mkdtempSync(join(tmpdir(), 'landlord-team-repo-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The team's repository on the forge: `<team>-gitops` in the tenants' organisation. */
export function teamRepository(team: string): RepositoryRef {
  return { organization: testEnvironment().gitea.organization, name: `${team}-gitops` };
}

/** The clone URL of the team's repository, as `status.gitRepoURL` and the initializer name it. */
export function factoryRepoURL(team: string): string {
  const { organization, name } = teamRepository(team);
  return `${testEnvironment().gitea.url}/${organization}/${name}.git`;
}

/** The members of a directory group of the example directory (the groups the forge mirrors as teams). */
export function membersOf(group: string): string[] {
  const found = exampleDirectory().groups.find((candidate) => candidate.cn === group);
  if (!found?.members.length) throw new Error(`directory group ${group} has no members; use devteam-a or devteam-b`);
  return found.members;
}

/**
 * Who changes the team's main: its group's first member writes, a second member approves; a team of one has a
 * platform admin approve (the way for a one-person team not to be locked out).
 */
export function reviewersOf(group: string): { author: string; approver: string } {
  const [author, second] = membersOf(group);
  return { author: author as string, approver: second ?? (membersOf(platformAdminsGroup)[0] as string) };
}

const login = (uid: string): GitLogin => ({ username: uid, password: identitySecrets().users[uid] ?? '' });

async function groupOf(team: string): Promise<string> {
  const tenant = await testCluster().http.request<Tenant>({
    method: 'GET',
    path: `/apis/landlord.dev/v1alpha1/tenants/${team}`,
  });
  return tenant.spec.adGroup;
}

/** Runs git, failing the test with what git said when it refuses. */
async function gitOk(cwd: string, args: string[], as?: GitLogin): Promise<string> {
  const result = await git(cwd, args, as);
  assert.ok(result.ok, `git ${args[0]}: ${result.stderr}`);
  return result.stdout;
}

/**
 * Changes the team's applicationset/ (objects as YAML documents; null removes the file) as its members do: the
 * author pushes a branch and opens a pull request, the approver approves, the author merges. Waits until the
 * forge's webhook has brought the merge to the team's initializer (Argo CD compared it), and returns the merge
 * commit: what the tests then wait to see synced or refused.
 */
export async function mergeManifests(team: string, files: Record<string, unknown[] | null>, message: string) {
  const { author, approver } = reviewersOf(await groupOf(team));
  const clone = await gitClone(scratch, factoryRepoURL(team), login(author));
  assert.ok(clone.ok, `${author} clones ${factoryRepoURL(team)}: ${clone.stderr}`);
  const branch = uniqueName('change');
  await gitOk(clone.dir, ['checkout', '--quiet', '-b', branch]);
  for (const [file, objects] of Object.entries(files)) {
    const path = join(clone.dir, 'applicationset', file);
    if (objects === null) rmSync(path);
    else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, objects.map((object) => stringify(object)).join('---\n'));
    }
  }
  await gitOk(clone.dir, ['add', '--all']);
  const signature = `${author} <${author}@financecore.example>`;
  await gitOk(clone.dir, ['commit', '--quiet', '--author', signature, '-m', message]);
  await gitOk(clone.dir, ['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`], login(author));

  const pull = await openPullRequest(teamRepository(team), branch, author);
  await approve(pull, approver);
  const argocdNamespace = testEnvironment().platform.argocd.namespace;
  const initializer = `application-initializer-${team}`;
  const refreshes = watchRefreshRequests(argocdNamespace, initializer);
  await refreshes.ready;
  const merged = await merge(pull, author);
  assert.equal(merged.status, 200, `${author} merges ${pull}: ${merged.message}`);
  const { body } = await giteaAsPerson(author).request<{ merge_commit_sha: string }>('GET', pull);
  const revision = body.merge_commit_sha;
  let seen: number;
  try {
    await waitForApplication(
      argocdNamespace,
      initializer,
      (app) => app.status?.sync?.revision === revision,
      `the merge ${revision} of ${pull} compared by Argo CD`,
      180_000,
    );
  } finally {
    seen = await refreshes.stop();
  }
  // No test asks for a refresh any more and polling sets none: a request seen is the forge's webhook.
  assert.ok(seen > 0, `the forge's webhook asked Argo CD to look at ${initializer}`);
  return revision;
}
