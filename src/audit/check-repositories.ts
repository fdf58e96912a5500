import { type AppProjectSpec, isSourcePermitted } from './appproject-semantics.ts';
import type { Finding, Severity } from './finding.ts';
import {
  type AuditedObject,
  type AuditedTenant,
  describeObject,
  type Inventory,
  ofKind,
  tenantOfProject,
} from './inventory.ts';
import type { AuditOptions } from './options.ts';
import { teamRepoPrefixOf } from '../tenancy/team-repository.ts';
import { isHouseProject } from './houses.ts';
import { anyRepositoryProbe, isTeamRepository, isUnderPlatformGit, teamRepository } from './team-repositories.ts';

/** A file:// address outside every repository folder: a source that reaches it reads the repo-server's disk. */
const fileProbe = 'file:///landlord-audit-probe/repository.git';
const isPattern = (entry: string) => /[*?[{]/.test(entry);
const isDeny = (entry: string) => entry.startsWith('!');

/** What a list of source repositories lets a tenant build from, beyond its own. */
interface SourceContext {
  object: AuditedObject;
  tenant: AuditedTenant;
  tenants: AuditedTenant[];
  /** The list as Argo CD judges it (an AppProject's sourceRepos, or the Tenant's one repoURL). */
  spec: AppProjectSpec;
  platformRepos: string[];
  options: AuditOptions;
  /** Where the list is, for messages: "sourceRepos" or "spec.gitops.repoURL". */
  field: string;
  /** Whether the list is a house's AppProject's: its one source is the platform's vCluster chart repository. */
  house: boolean;
}

/**
 * Rules about where a tenant's applications come from: every AppProject source and every Tenant's
 * spec.gitops.repoURL must be one of the team's own repositories (`<git.baseURL>/<team>-gitops.git`, or under
 * `<git.baseURL>/<team>/`): no pattern, no file:// path outside the platform's Git, not the platform's
 * repository, not another team's.
 */
export function checkRepositories(inventory: Inventory, tenants: AuditedTenant[], options: AuditOptions): Finding[] {
  const projects = ofKind(inventory, 'AppProject');
  const platformRepos = projects
    .filter((project) => options.platformProjects.includes(project.metadata.name))
    .flatMap((project) => ((project.spec ?? {}) as AppProjectSpec).sourceRepos ?? []);
  const base = { tenants, platformRepos, options };
  const fromProjects = projects.flatMap((project) => {
    const tenant = options.platformProjects.includes(project.metadata.name)
      ? undefined
      : tenantOfProject(project, tenants);
    const spec = (project.spec ?? {}) as AppProjectSpec;
    const house = isHouseProject(project.metadata.name, tenant);
    return tenant ? judgeSources({ ...base, object: project, tenant, spec, field: 'sourceRepos', house }) : [];
  });
  const fromTenants = ofKind(inventory, 'Tenant').flatMap((object) => {
    const tenant = tenants.find((t) => t.name === object.metadata.name);
    const repoURL = (object.spec as { gitops?: { repoURL?: string } } | undefined)?.gitops?.repoURL;
    if (!tenant || !repoURL) return [];
    const spec = { sourceRepos: [repoURL] };
    return judgeSources({ ...base, object, tenant, spec, field: 'spec.gitops.repoURL', house: false });
  });
  return [...fromProjects, ...fromTenants];
}

function judgeSources(context: SourceContext): Finding[] {
  const { spec, tenant, options } = context;
  // A list that takes any repository at all is project-source-any-repo's finding; its parts say nothing more.
  if (context.field === 'sourceRepos' && isSourcePermitted(spec, anyRepositoryProbe)) return [];
  const entries = (spec.sourceRepos ?? []).filter((entry) => !isDeny(entry));
  // A house's project deploys the vCluster chart and the team's Argo CD, nothing else; an apartment's, the team's.
  const own = (entry: string) =>
    context.house
      ? sameRepository(entry, options.houses.chartRepoURL) ||
        sameRepository(entry, options.houses.argoCdManifestsRepoURL)
      : isTeamRepository(entry, tenant.team, { baseURL: options.gitBaseURL, teamRepoPrefix: options.teamRepoPrefix });
  const patterns = entries.filter(isPattern);
  const fileURLs = entries.filter((e) => /^file:/i.test(e) && !isUnderPlatformGit(e, options.gitBaseURL));
  const platform = context.platformRepos.filter((repo) => isSourcePermitted(spec, repo));
  const others = otherTeamRepos(context).filter(({ url }) => isSourcePermitted(spec, url));
  const reachesKnown = (entry: string) =>
    [...platform, ...others.map(({ url }) => url)].some((url) => isSourcePermitted({ sourceRepos: [entry] }, url));
  const outside = entries.filter((e) => !own(e) && !patterns.includes(e) && !fileURLs.includes(e) && !reachesKnown(e));
  const findings: Finding[] = [];
  const add = (rule: string, severity: Severity, message: string) =>
    findings.push(sourceFinding(context, rule, severity, message));
  if (patterns.length)
    add(
      'source-pattern',
      'high',
      `${list(patterns)}: Argo CD reads them as patterns, matching repositories no one listed`,
    );
  if (fileURLs.length || isSourcePermitted(spec, fileProbe))
    add(
      'source-file-url',
      'high',
      `${list(fileURLs.length ? fileURLs : patterns)}: reads folders of the repo-server's disk outside the platform's Git`,
    );
  if (platform.length) add('source-platform-repo', 'high', `reaches the platform repository ${list(platform)}`);
  if (others.length)
    add(
      'source-other-team',
      'high',
      `reaches ${others.map(({ team, url }) => `team ${team}'s repository ${url}`).join(', ')}`,
    );
  if (outside.length) findings.push(outsideFinding(context, outside));
  return findings;
}

/** Sources that are none of the above and not the project's own: a house's chart repository, a team's repositories. */
function outsideFinding(context: SourceContext, outside: string[]): Finding {
  const { options, tenant } = context;
  return context.house
    ? sourceFinding(
        context,
        'house-project-source',
        'medium',
        `${list(outside)}: not the platform's vCluster chart repository (${options.houses.chartRepoURL}); the house's own applications are deployed inside it`,
      )
    : sourceFinding(
        context,
        'source-outside-team',
        'medium',
        `${list(outside)}: not the team's repository (${teamRepository(tenant.team, options.gitBaseURL)})`,
      );
}

/** The other tenants' repositories by the platform's rule. */
function otherTeamRepos(context: SourceContext): { team: string; url: string }[] {
  return context.tenants
    .filter((other) => other.team !== context.tenant.team)
    .map((other) => ({ team: other.team, url: teamRepository(other.team, context.options.gitBaseURL) }));
}

function sourceFinding(context: SourceContext, rule: string, severity: Severity, message: string): Finding {
  const { object, tenant, field } = context;
  const whose = object.kind === 'Tenant' ? `tenant ${tenant.name}` : `tenant ${tenant.name}'s project`;
  return {
    severity,
    rule,
    object: describeObject(object),
    tenant: tenant.name,
    message: `${field} of ${context.house ? `house ${tenant.name}'s project` : whose}: ${message}`,
    fix: context.house
      ? `list only the platform's vCluster chart repository, ${context.options.houses.chartRepoURL} (platform houses.chart.repoURL; Landlord writes it)`
      : `list only the team's own repository, ${teamRepository(tenant.team, context.options.gitBaseURL)} (or one under ${teamRepoPrefixOf(tenant.team, { baseURL: context.options.gitBaseURL, teamRepoPrefix: context.options.teamRepoPrefix })})`,
  };
}

/** Two repository addresses as Argo CD compares them: case and a .git suffix aside. */
const sameRepository = (a: string, b: string) => {
  const normal = (url: string) =>
    url
      .trim()
      .toLowerCase()
      .replace(/\.git$/, '');
  return normal(a) === normal(b);
};

const list = (entries: string[]) => entries.map((e) => `"${e}"`).join(', ');
