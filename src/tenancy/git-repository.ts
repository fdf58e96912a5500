import { createHash } from 'node:crypto';
import { forgeLocation } from '../api/git-factory-settings.ts';
import type { PlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import type { ExternalConcern, ExternalThing } from './concern.ts';
import { isHouse } from './house/is-house.ts';

/** What the Git factory keeps for a tenant: plain data, so the operator's integration needs nothing else. */
export interface GitRepositoryThing {
  organization: string;
  name: string;
  template: { organization: string; name: string };
  /** The directory group whose forge team may push branches and open pull requests. */
  group: string;
  /** Groups whose members' approvals count too (the platform admins), so a one-person team is not locked out. */
  approverGroups: string[];
  requiredApprovals: number;
  /** The read-only machine user Argo CD reads the repository as. */
  reader: string;
  /** Says which tenant the repository was made for: one made for another (an earlier tenant of the name) is not taken over. */
  marker: string;
}

/** Longest user name Gitea (and GitHub) accept. */
const maxUserName = 39;
/** Hex digits of the team's digest a shortened name keeps at least: 64 bits, beyond anyone's search for a match. */
const minDigestLength = 16;

/**
 * The tenant's read-only machine user: `<prefix><team>` when that is shorter than the forge's limit and a name the
 * forge accepts (Gitea refuses `--`), else shortened to exactly the limit with a digest of the team. A plain name is
 * never as long as a shortened one, so a team cannot pick a name equal to another's shortened reader (and be handed
 * its repository).
 */
export function readerName(team: string, prefix: string): string {
  const plain = `${prefix}${team}`;
  if (plain.length < maxUserName && !team.includes('--')) return plain;
  const kept = team
    .slice(0, maxUserName - prefix.length - minDigestLength - 1)
    .replace(/-{2,}/g, '-')
    .replace(/-+$/, '');
  const digest = createHash('sha256')
    .update(team)
    .digest('hex')
    .slice(0, maxUserName - prefix.length - kept.length - 1);
  return `${prefix}${kept}-${digest}`;
}

/** The marker of the repository made for this tenant: its UID, which a tenant recreated under the name does not share. */
export const repositoryMarker = (tenant: Tenant) => `tenant ${tenant.metadata.name} uid ${tenant.metadata.uid ?? ''}`;

/** Whether the factory makes this tenant's repository: it is on, and the tenant names no repository of its own. */
export function usesGitFactory(tenant: Tenant, platform: PlatformConfig): boolean {
  return platform.git.factory.enabled && !tenant.spec.gitops;
}

/** The repository the factory keeps for the tenant, or undefined when it keeps none. */
export function gitRepositoryOf(tenant: Tenant, platform: PlatformConfig): GitRepositoryThing | undefined {
  return usesGitFactory(tenant, platform) ? factoryRepositoryOf(tenant, platform) : undefined;
}

/** The repository the factory makes (or made) for the tenant, whether or not it names a repository of its own now. */
function factoryRepositoryOf(tenant: Tenant, platform: PlatformConfig): GitRepositoryThing | undefined {
  const location = forgeLocation(platform.git.baseURL);
  if (!platform.git.factory.enabled || !location) return undefined;
  const { factory } = platform.git;
  const [organization = '', name = ''] = factory.templates[isHouse(tenant) ? 'house' : 'namespace'].split('/');
  const team = tenant.spec.teamName;
  return {
    organization: location.organization,
    name: `${team}-gitops`,
    template: { organization, name },
    group: tenant.spec.adGroup,
    approverGroups: platform.sso.adminGroups,
    requiredApprovals: factory.requiredApprovals,
    reader: readerName(team, factory.readerPrefix),
    marker: repositoryMarker(tenant),
  };
}

/**
 * The team's GitOps repository on the forge, last in apply order: a forge that is down holds nothing else of the
 * tenant back, and teardown archives it after everything else is gone (operator/finalize-tenant.ts).
 */
export const gitRepositoryConcern: ExternalConcern = {
  name: 'GitRepository',
  condition: 'GitRepositoryReady',
  holding: 'external',
  idle: 'the team names its own repository (spec.gitops), or the Git factory is off',
  describe: (tenant, platform) => thingsOf(gitRepositoryOf(tenant, platform)),
  // A team that switched to its own repository leaves the one made for it: archived at teardown all the same.
  retirable: (tenant, platform) => thingsOf(factoryRepositoryOf(tenant, platform)),
};

function thingsOf(repository: GitRepositoryThing | undefined): ExternalThing[] {
  if (!repository) return [];
  const spec = repository as unknown as Record<string, unknown>;
  return [{ integration: 'git', name: `${repository.organization}/${repository.name}`, spec }];
}
