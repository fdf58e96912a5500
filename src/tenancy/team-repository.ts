import type { PlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';

/** The field of the Tenant that names the team's repository. */
export const repoURLField = 'spec.gitops.repoURL';

/** The repository the Git factory makes for a team, and the one a tenant without spec.gitops syncs. */
export function defaultTeamRepoURL(tenant: Tenant, platform: PlatformConfig): string {
  return `${platform.git.baseURL}/${tenant.spec.teamName}-gitops.git`;
}

/** The team's own space on the Git host (platform.git.teamRepoPrefix): every repository under it is the team's. */
export function teamRepoPrefix(tenant: Tenant, platform: PlatformConfig): string {
  return teamRepoPrefixOf(tenant.spec.teamName, platform.git);
}

/** A team's space on the Git host by the platform's rule (`{baseURL}/{team}/` by default), for any team name. */
export function teamRepoPrefixOf(team: string, git: Pick<PlatformConfig['git'], 'baseURL' | 'teamRepoPrefix'>): string {
  return git.teamRepoPrefix.replaceAll('{baseURL}', git.baseURL).replace('{team}', team);
}

/** Characters Argo CD's sourceRepos reads as a glob: any of them makes the project match other repositories. */
const globCharacters = /[*?[\]{}]/;
/** What may follow the team's prefix: plain path segments, none of them `.` or `..` (no way out of the prefix). */
const pathUnderPrefix = /^(?!.*(^|\/)\.{1,2}(\/|$))[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/**
 * Why the tenant's spec.gitops.repoURL is not one of the team's repositories by the platform's rule, naming the
 * field, the value and what is allowed; undefined when it is (or when the tenant names none). A team's
 * repositories are its default repository and those under its prefix: never a pattern, never another team's
 * or the platform's, and file:// only where the platform allows it (the local environment).
 */
export function teamRepoProblem(tenant: Tenant, platform: PlatformConfig): string | undefined {
  const repoURL = tenant.spec.gitops?.repoURL;
  if (repoURL === undefined) return undefined;
  const given = `${repoURLField}: ${JSON.stringify(repoURL)}`;
  const prefix = teamRepoPrefix(tenant, platform);
  const allowed = `${defaultTeamRepoURL(tenant, platform)} or a repository under ${prefix} (path segments of letters, digits, '.', '_' and '-')`;
  if (globCharacters.test(repoURL)) {
    return `${given} is a pattern (none of * ? [ ] { } is allowed: Argo CD would match other repositories); name one of team ${tenant.spec.teamName}'s repositories: ${allowed}`;
  }
  if (/^file:/i.test(repoURL) && !platform.git.allowFileURLs) {
    return `${given} is a file:// URL, allowed on the local environment only; use ${allowed}`;
  }
  if (repoURL === defaultTeamRepoURL(tenant, platform)) return undefined;
  if (repoURL.startsWith(prefix) && pathUnderPrefix.test(repoURL.slice(prefix.length))) return undefined;
  return `${given} is not one of team ${tenant.spec.teamName}'s repositories; use ${allowed}`;
}

/**
 * The branch Argo CD deploys from the default repository, as a full ref: a short `main` also matches a tag or any
 * other ref named main (refs/tags/main, refs/main), which a member with write access pushes unreviewed, and Argo CD
 * picks among equal short names in no fixed order.
 */
export const reviewedBranch = 'refs/heads/main';

/** Where the team's applications come from: its own spec, or the repository the Git factory makes. */
export function teamSource(tenant: Tenant, platform: PlatformConfig) {
  const gitops = tenant.spec.gitops;
  if (gitops) return gitops;
  return {
    repoURL: defaultTeamRepoURL(tenant, platform),
    path: 'applicationset',
    targetRevision: reviewedBranch,
  };
}
