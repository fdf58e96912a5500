import { join } from 'node:path';
import { stringify } from 'yaml';
import { gitDir } from '../../src/dev/environment.ts';
import { ensureSeededRepo, repoURL } from '../../src/dev/git/local-repos.ts';
import { commitFiles } from '../../src/git/commit-files.ts';
import { teamRepoReadme } from '../../src/dev/start.ts';
import { testCluster, testEnvironment } from './cluster.ts';
import { waitFor } from './wait.ts';

/** An Application as the tests read it: the parts of its status they look at. */
export interface ArgoApplication {
  metadata: { name: string; namespace: string; annotations?: Record<string, string> };
  spec: { project: string };
  status?: {
    sync?: { status?: string; revision?: string };
    health?: { status?: string };
    conditions?: { type: string; message: string }[];
    operationState?: {
      phase?: string;
      startedAt?: string;
      message?: string;
      operation?: { sync?: { revision?: string } };
      syncResult?: { revision?: string; resources?: SyncedResource[] };
    };
  };
}

/** One resource of a sync, with Argo CD's verdict on it. */
export interface SyncedResource {
  kind: string;
  namespace: string;
  name: string;
  status: string;
  message: string;
}

const applicationPath = (namespace: string, name: string) =>
  `/apis/argoproj.io/v1alpha1/namespaces/${namespace}/applications/${name}`;

/** Reads an Application through the Kubernetes API. */
export async function getApplication(namespace: string, name: string): Promise<ArgoApplication | undefined> {
  const { http } = testCluster();
  const response = await http.send({ method: 'GET', path: applicationPath(namespace, name) });
  return response.status === 200 ? (JSON.parse(response.body) as ArgoApplication) : undefined;
}

/**
 * Asks Argo CD to look at the repository now, as a Git provider's webhook does after a push (without one,
 * Argo CD polls every minute here).
 */
export async function refreshApplication(namespace: string, name: string): Promise<void> {
  const { http } = testCluster();
  await http.request({
    method: 'PATCH',
    path: applicationPath(namespace, name),
    body: { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } } },
    contentType: 'application/merge-patch+json',
  });
}

/** Waits until the Application satisfies the check, returning it; the message names what was awaited. */
export async function waitForApplication(
  namespace: string,
  name: string,
  check: (app: ArgoApplication) => boolean,
  what: string,
  timeoutMs = 90_000,
): Promise<ArgoApplication> {
  let app: ArgoApplication | undefined;
  try {
    await waitFor(
      async () => {
        app = await getApplication(namespace, name);
        return app !== undefined && check(app);
      },
      `${namespace}/${name}: ${what}`,
      timeoutMs,
    );
  } catch (error) {
    // The status as it was last seen, read when the wait gave up (not when it began).
    const { conditions, sync, operationState } = app?.status ?? {};
    throw new Error(
      `${(error as Error).message} (last status: ${JSON.stringify({ conditions, sync, operationState })})`,
      {
        cause: error,
      },
    );
  }
  return app as ArgoApplication;
}

/**
 * Whether Argo CD has made a sync attempt of the revision: finished, or refused and retrying (an automated
 * sync retries a failure with backoff, its phase staying Running).
 */
export function finishedSyncOf(revision: string | undefined) {
  return (app: ArgoApplication): boolean => {
    const state = app.status?.operationState;
    if (!state?.phase || state.syncResult?.revision !== revision) return false;
    return state.phase !== 'Running' || (state.syncResult?.resources ?? []).some((r) => r.status === 'SyncFailed');
  };
}

/** The team's bare folder repository, where an operator without the Git factory points its tenant's initializer. */
export function teamRepoURL(team: string): string {
  return repoURL(join(gitDir(testCluster().cluster), `${team}-gitops.git`));
}

/** Creates the team's bare folder repository (spec.gitops, houses); the factory makes the others. */
export async function createTeamRepo(team: string): Promise<string> {
  const url = teamRepoURL(team);
  await ensureSeededRepo(
    new URL(url).pathname,
    [{ path: 'applicationset/README.md', content: teamRepoReadme(team) }],
    `${team}: first commit`,
  );
  return url;
}

/**
 * Commits manifests to the team's applicationset/ folder, as the team would push them, then refreshes the
 * team's initializer as the Git host's webhook would. Returns the new revision.
 */
export async function pushManifests(team: string, files: Record<string, unknown[] | null>, message: string) {
  const changes = Object.entries(files).map(([file, objects]) => ({
    path: `applicationset/${file}`,
    content: objects === null ? null : objects.map((object) => stringify(object)).join('---\n'),
  }));
  const author = { name: team, email: `${team}@financecore.example` };
  const revision = await commitFiles(teamRepoURL(team), changes, message, author);
  await refreshApplication(testEnvironment().platform.argocd.namespace, `application-initializer-${team}`);
  return revision;
}

/** Commits to the platform repository of the test environment. */
export function commitToPlatformRepo(files: Record<string, string | null>, message: string) {
  const changes = Object.entries(files).map(([path, content]) => ({ path, content }));
  return commitFiles(testEnvironment().platformRepo.repoURL, changes, message);
}

/** A Deployment that passes the restricted Pod Security level, with resources from the LimitRange. */
export function restrictedDeployment(name: string, replicas = 1, namespace?: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'app',
              image: 'registry.financecore.local/payments:1.0.0',
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
}
