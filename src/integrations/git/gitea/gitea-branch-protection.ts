import type { BranchProtection, RepositoryRef } from '../git-forge.ts';
import { expectStatus, type GiteaApi } from './gitea-api.ts';
import { repositoryPath } from './gitea-repository.ts';

/** The rule Gitea keeps for one branch, as Landlord asks it (the fields shared by create, edit and read). */
export function branchProtectionRule(protection: BranchProtection, approverTeams: string[]) {
  return {
    // Nobody pushes to the branch, not even by force: changes arrive through merged pull requests.
    enable_push: false,
    enable_push_whitelist: false,
    enable_force_push: false,
    enable_force_push_allowlist: false,
    // Anyone who may write merges, once the approvals are there; an administrator may not skip them.
    enable_merge_whitelist: false,
    block_admin_merge_override: true,
    required_approvals: protection.requiredApprovals,
    enable_approvals_whitelist: true,
    approvals_whitelist_teams: [...new Set(approverTeams)].sort(),
    approvals_whitelist_username: [] as string[],
    dismiss_stale_approvals: true,
    block_on_rejected_reviews: true,
  };
}

/** Whether the rule Gitea has already says everything asked (arrays compared as sets). */
export function ruleMatches(
  current: Record<string, unknown>,
  wanted: ReturnType<typeof branchProtectionRule>,
): boolean {
  return Object.entries(wanted).every(([field, value]) => {
    const have = current[field];
    if (!Array.isArray(value)) return have === value;
    return Array.isArray(have) && JSON.stringify([...have].sort()) === JSON.stringify(value);
  });
}

/**
 * Protects the branch. Approvals count from the teams the repository is granted to (so a group must be granted
 * first) and from the approver teams; Gitea keeps only teams that can reach the repository in its whitelist.
 */
export async function protectGiteaBranch(
  api: GiteaApi,
  repository: RepositoryRef,
  protection: BranchProtection,
): Promise<void> {
  const teams = await expectStatus<{ name: string; permission: string }[]>(
    api,
    'GET',
    repositoryPath(repository, 'teams'),
    [200],
  );
  // The organisation's Owners team (Landlord's own account) reaches every repository, but approves nothing.
  const grantedTeams = teams.body.filter((team) => team.permission !== 'owner').map((team) => team.name);
  const wanted = branchProtectionRule(protection, [...grantedTeams, ...protection.approverTeams]);
  await keepProtectionRule(api, repository, protection.branch, wanted);
}

/** Creates the branch's rule as wanted, or edits it when it says less; a rule that says it all is left unwritten. */
export async function keepProtectionRule(
  api: GiteaApi,
  repository: RepositoryRef,
  branch: string,
  wanted: ReturnType<typeof branchProtectionRule>,
): Promise<void> {
  const rulePath = repositoryPath(repository, 'branch_protections', branch);
  const current = await expectStatus<Record<string, unknown>>(api, 'GET', rulePath, [200, 404]);
  if (current.status === 404) {
    const rule = { ...wanted, branch_name: branch, rule_name: branch };
    await expectStatus(api, 'POST', repositoryPath(repository, 'branch_protections'), [201], rule);
  } else if (!ruleMatches(current.body, wanted)) {
    await expectStatus(api, 'PATCH', rulePath, [200], wanted);
  }
}
