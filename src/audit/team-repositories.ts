import { teamRepoPrefixOf } from '../tenancy/team-repository.ts';

/** An address no real repository has: a source list that accepts it accepts any repository. */
export const anyRepositoryProbe = 'https://landlord-audit.invalid/any/repository.git';

/** A repository URL as Argo CD compares them: trimmed, lower case, no trailing slash or .git. */
const normalized = (url: string) =>
  url
    .trim()
    .toLowerCase()
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');

/** The team's repository by the platform's rule: `<git.baseURL>/<team>-gitops.git`. */
export const teamRepository = (team: string, gitBaseURL: string) => `${gitBaseURL}/${team}-gitops.git`;

/** Whether the URL is the team's own: its repository, or one under the team's prefix (the platform's rule). */
export function isTeamRepository(url: string, team: string, git: { baseURL: string; teamRepoPrefix: string }): boolean {
  const candidate = normalized(url);
  // `<team>/../<other>` would lead out of the team's folder; encoded characters could hide the same.
  if (/(^|\/)\.\.?(\/|$)|%/.test(candidate)) return false;
  const prefix = teamRepoPrefixOf(team, git).trim().toLowerCase();
  return candidate === normalized(teamRepository(team, git.baseURL)) || candidate.startsWith(prefix);
}

/** Whether the URL lies under the platform's Git (file:// there is the local environment's own folder). */
export const isUnderPlatformGit = (url: string, gitBaseURL: string) =>
  normalized(url).startsWith(`${normalized(gitBaseURL)}/`);
