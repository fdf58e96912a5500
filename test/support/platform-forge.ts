import { readFileSync } from 'node:fs';
import { after } from 'node:test';
import { ensurePlatformRepository, type ForgePlatformRepo } from '../../src/dev/forge/platform-repository.ts';
import { forgeAdminUser } from '../../src/dev/forge/forge-names.ts';
import { exampleDirectory } from '../../src/dev/identity/directory.ts';
import { giteaPath } from '../../src/integrations/git/gitea/gitea-api.ts';
import { repositoryPath } from '../../src/integrations/git/gitea/gitea-repository.ts';
import type { RepositoryRef } from '../../src/integrations/git/git-forge.ts';
import { applyObject } from '../../src/kube/apply.ts';
import { hostWebhookURL } from '../../src/operator/git/git-integrations.ts';
import {
  buildPlatformApplication,
  buildPlatformProject,
  buildPlatformRepositorySecret,
  type PlatformRepo,
} from '../../src/platform/platform-application.ts';
import type { PortalServerSettings } from '../../src/portal/server.ts';
import { asBreakGlass } from './break-glass.ts';
import { testCluster, testEnvironment, uniqueName } from './cluster.ts';
import { giteaAsAdmin } from './gitea.ts';
import { waitFor } from './wait.ts';

/** A pull request as Gitea answers it, the fields the tests read. */
export interface GiteaPullRequest {
  number: number;
  html_url: string;
  state: 'open' | 'closed';
  merged: boolean;
  body: string;
  title: string;
  user: { login: string };
  head: { ref: string; sha: string };
}

/**
 * A platform repository of this test file's own on the local Gitea, made as `npm start` makes it (main protected,
 * the requesters reading it, a push webhook to the host Argo CD, a reader), and a platform Application of its own
 * syncing it. Its Application goes first after the tests (before the operator's cleanup deletes the tenants), so
 * Argo CD does not bring them back.
 */
export async function startForgePlatformRepo(requesterGroups = ['devteam-a', 'devteam-b']) {
  const { http, discovery } = testCluster();
  const { gitea, platform, argocd } = testEnvironment();
  const token = readFileSync(gitea.tokenFile, 'utf8').trim();
  const name = uniqueName('platform');
  const forgeRepo: ForgePlatformRepo = await ensurePlatformRepository(
    { url: gitea.url, token },
    {
      name,
      directory: exampleDirectory(),
      requesterGroups,
      seed: [{ path: 'tenants/README.md', content: '# Tenants of a test\n' }],
      webhook: { url: hostWebhookURL(platform), secret: readFileSync(argocd.webhookSecretFile, 'utf8').trim() },
    },
  );
  const platformRepo: PlatformRepo = {
    name: `landlord-platform-${name}`,
    repoURL: forgeRepo.cloneURL,
    targetRevision: 'main',
    layout: 'tenants',
  };
  const argo = `/apis/argoproj.io/v1alpha1/namespaces/${platform.argocd.namespace}`;
  after(async () => {
    for (const path of [
      `${argo}/applications/${platformRepo.name}`,
      `${argo}/appprojects/${platformRepo.name}`,
      `/api/v1/namespaces/${platform.argocd.namespace}/secrets/${platformRepo.name}-repository`,
    ]) {
      await http.send({ method: 'DELETE', path, headers: asBreakGlass });
      await waitFor(async () => (await http.send({ method: 'GET', path })).status === 404, `${path} gone`, 60_000);
    }
  });
  await applyObject(http, discovery, buildPlatformRepositorySecret(platform, platformRepo, forgeRepo.reader));
  await applyObject(http, discovery, buildPlatformProject(platform, platformRepo));
  await applyObject(http, discovery, buildPlatformApplication(platform, platformRepo));
  /** The portal's settings for GitOps mode on this repository, Landlord's admin acting (no Application refreshed). */
  const portalSettings: Partial<PortalServerSettings> = {
    mode: 'gitops',
    platformRepoURL: forgeRepo.cloneURL,
    platformForge: {
      url: gitea.url,
      repository: forgeRepo.repository,
      cloneURL: forgeRepo.cloneURL,
      machine: { username: forgeAdminUser, token },
    },
  };
  return { repository: forgeRepo.repository, platformRepo, portalSettings };
}

/**
 * The open pull request of the branch, as Landlord's admin reads it (once merged, Gitea deletes the branch and names
 * the head by its pull ref: read those by number).
 */
export async function openPullRequestOf(
  repository: RepositoryRef,
  branch: string,
): Promise<GiteaPullRequest | undefined> {
  const listed = await giteaAsAdmin().request<GiteaPullRequest[]>(
    'GET',
    `${repositoryPath(repository, 'pulls')}?state=open&limit=50`,
  );
  return listed.body.find((pull) => pull.head.ref === branch);
}

/** The pull request whose page the portal answered with. */
export async function pullRequestAt(repository: RepositoryRef, url: string): Promise<GiteaPullRequest> {
  const number = Number(new URL(url).pathname.split('/').at(-1));
  const found = await giteaAsAdmin().request<GiteaPullRequest>(
    'GET',
    repositoryPath(repository, 'pulls', String(number)),
  );
  if (found.status !== 200) throw new Error(`no pull request ${url} (${found.status})`);
  return found.body;
}

/** The reviews of a pull request: who, what, and whether it counts toward the required approvals. */
export async function reviewsOf(repository: RepositoryRef, number: number) {
  const reviews = await giteaAsAdmin().request<{ state: string; official: boolean; user: { login: string } }[]>(
    'GET',
    repositoryPath(repository, 'pulls', String(number), 'reviews'),
  );
  return reviews.body.map((review) => ({ state: review.state, official: review.official, user: review.user.login }));
}

/** The author of the newest commit on main that touched the file, or undefined when none did. */
export async function lastAuthorOf(repository: RepositoryRef, path: string) {
  const commits = await giteaAsAdmin().request<{ commit: { author: { name: string; email: string } } }[]>(
    'GET',
    `${repositoryPath(repository, 'commits')}?sha=main&path=${encodeURIComponent(path)}&limit=1`,
  );
  const author = commits.body[0]?.commit.author;
  return author && `${author.name} <${author.email}>`;
}

/** Whether main holds the file. */
export async function onMain(repository: RepositoryRef, path: string): Promise<boolean> {
  const found = await giteaAsAdmin().request('GET', `${repositoryPath(repository, 'contents')}/${path}?ref=main`);
  return found.status === 200;
}

/** The API path of a pull request, for test/support/forge-pull-request.ts's approve and merge. */
export const pullPath = (repository: RepositoryRef, number: number) =>
  giteaPath('repos', repository.organization, repository.name, 'pulls', String(number));
