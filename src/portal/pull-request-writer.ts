import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import { FileStateError } from '../git/commit-files.ts';
import type { ForgeCredentials, RepositoryRef } from '../integrations/git/git-forge.ts';
import {
  type ForgePullRequests,
  type PullRequest,
  PullRequestRefusedError,
} from '../integrations/git/pull-requests.ts';
import { reviewReasons } from '../tenancy/review-threshold.ts';
import { PortalError } from './errors.ts';
import { withCheckout } from './platform-checkout.ts';
import { reviewBranchOf } from './review-branch.ts';
import { gitAuthor, oneLine, tenantFileContent } from './tenant-file.ts';
import { fileRefusal, refuseSharedFile, refuseTakenTeam } from './tenant-tree-checks.ts';
import { tenantFile, type TenantWriter } from './tenant-writers.ts';
import type { PortalUser } from './user.ts';

/** The platform repository on a forge, and Landlord's machine user there. */
export interface ForgePlatformRepository {
  repository: RepositoryRef;
  /** The URL Git clones it from. */
  cloneURL: string;
  /** Landlord's machine user: reads main for the checks, commits the file, approves and merges. */
  machine: ForgeCredentials;
}

/** The branch a request within the ceilings, or a decommission, goes through (merged at once). */
const requestBranchOf = (tenant: Tenant) => `request/${tenant.metadata.name}`;
const decommissionBranchOf = (tenant: Tenant) => `decommission/${tenant.metadata.name}`;

/**
 * GitOps mode on a forge: every request is a pull request on the platform repository, posted by the requester.
 * Within the platform's ceilings (the review threshold) Landlord's machine user approves and merges it at once;
 * above them it waits for a platform admin, who approves and merges it (no merge is scheduled: its poster may
 * retarget it, and a scheduled merge would follow). The repository's push webhook tells Argo CD of the merge:
 * nothing is refreshed from here.
 */
export function pullRequestWriter(
  platformRepo: ForgePlatformRepository,
  forge: ForgePullRequests,
  platform: PlatformConfig,
): TenantWriter {
  const { repository } = platformRepo;
  const checkMain = <T>(check: (workTree: string) => T) =>
    withCheckout(platformRepo.cloneURL, 'main', platformRepo.machine, check);
  return {
    mode: 'gitops',
    async create(tenant, requester) {
      const { name } = tenant.metadata;
      const { teamName } = tenant.spec;
      const reasons = reviewReasons(tenant.spec, platform);
      const branch = reasons.length > 0 ? reviewBranchOf(tenant) : requestBranchOf(tenant);
      await refuseUnderWay(forge, repository, tenant, branch);
      const file = tenantFile(name);
      await checkMain((workTree) => {
        if (existsSync(join(workTree, file))) fileRefusal(tenant)(new FileStateError(file, 'absent'));
        refuseTakenTeam(workTree, tenant);
      });
      const by = `Requested in the Landlord portal by ${oneLine(requester.username)}.`;
      const title = `Request tenant ${name} for team ${teamName}`;
      const pull = await propose(forge, repository, {
        branch,
        author: requester,
        title,
        message: `${title}\n\n${by}`,
        description: reasons.length
          ? `${by}\n\n${aboveCeilings(reasons)}`
          : `${by}\n\nWithin the platform's ceilings: approved and merged by Landlord.`,
        changes: [{ path: file, content: tenantFileContent(tenant, requester) }],
      });
      if (reasons.length > 0) {
        // Said again as Landlord: the description is its poster's to edit, this comment is not.
        await forge.comment(repository, pull, aboveCeilings(reasons)).catch(forgeRefusal);
        return { review: { branch, reasons, pullRequest: pull.webURL }, pullRequest: pull.webURL };
      }
      await approveAndMerge(forge, repository, pull, `Within the platform's ceilings: ${title}`);
      return { commit: pull.headCommit, pullRequest: pull.webURL };
    },
    async remove(tenant, requester) {
      const branch = decommissionBranchOf(tenant);
      await refuseUnderWay(forge, repository, tenant, branch);
      const file = tenantFile(tenant.metadata.name);
      await checkMain((workTree) => {
        if (!existsSync(join(workTree, file))) fileRefusal(tenant)(new FileStateError(file, 'present'));
        refuseSharedFile(workTree, file, tenant);
      });
      const by = `Requested in the Landlord portal by ${oneLine(requester.username)}.`;
      const title = `Decommission tenant ${tenant.metadata.name}`;
      const pull = await propose(forge, repository, {
        branch,
        author: requester,
        title,
        message: `${title}\n\n${by}`,
        description: `${by}\n\nA decommission asked by the tenant's owner or a platform admin: approved and merged by Landlord.`,
        changes: [{ path: file, content: null }],
      });
      await approveAndMerge(forge, repository, pull, title);
      return { commit: pull.headCommit, pullRequest: pull.webURL };
    },
  };
}

/** Refuses a request while a branch of the tenant's name is open: awaiting review, or another request under way. */
async function refuseUnderWay(
  forge: ForgePullRequests,
  repository: RepositoryRef,
  tenant: Tenant,
  branch: string,
): Promise<void> {
  const name = tenant.metadata.name;
  const review = reviewBranchOf(tenant);
  if (await forge.hasBranch(repository, review)) {
    const pull = await forge.findOpen(repository, review);
    // A branch without an open pull request is what a declined request leaves: a platform admin removes it.
    if (!pull)
      throw new PortalError(
        409,
        'under-way',
        `${review} of the platform repository is left from an earlier request for ${name} (no open pull request): a platform admin removes the branch`,
      );
    const where = `${review} (${pull.webURL})`;
    throw new PortalError(409, 'awaiting-review', `a request for ${name} already awaits review on ${where}`, [
      { path: 'name', message: `name: "${name}" already awaits a platform admin's review on ${where}` },
    ]);
  }
  if (branch !== review && (await forge.hasBranch(repository, branch))) {
    throw new PortalError(
      409,
      'under-way',
      `a change to ${name} is already under way on ${branch} of the platform repository: try again once it is merged, or ask a platform admin to remove the branch`,
    );
  }
}

/** The requester's commit on a new branch, and their pull request of it. */
async function propose(
  forge: ForgePullRequests,
  repository: RepositoryRef,
  change: {
    branch: string;
    author: PortalUser;
    title: string;
    message: string;
    description: string;
    changes: { path: string; content: string | null }[];
  },
): Promise<PullRequest> {
  const author = { username: change.author.username, ...gitAuthor(change.author) };
  await forge
    .commitToNewBranch(repository, {
      base: 'main',
      branch: change.branch,
      message: change.message,
      author,
      changes: change.changes,
    })
    .catch(forgeRefusal);
  return forge
    .open(repository, {
      base: 'main',
      branch: change.branch,
      title: change.title,
      description: change.description,
      author,
    })
    .catch(async (error: unknown) => {
      // Without its pull request the branch would only block the next request for the name.
      await forge.deleteBranch(repository, change.branch);
      return forgeRefusal(error);
    });
}

/** Landlord's machine user approves the pull request and merges it at the commit it approved. */
async function approveAndMerge(
  forge: ForgePullRequests,
  repository: RepositoryRef,
  pull: PullRequest,
  note: string,
): Promise<void> {
  await forge.approve(repository, pull, note).catch(forgeRefusal);
  await forge.merge(repository, pull).catch(forgeRefusal);
}

/** Why a request waits, for the platform admin who reviews it; a platform admin approves it, then merges it. */
const aboveCeilings = (reasons: string[]) =>
  `Above the platform's ceilings, so it waits for a platform admin, who approves and merges it:\n\n${reasons.map((reason) => `- ${reason}`).join('\n')}`;

/** A forge's refusal as the portal reports it (the pull request stays for a platform admin to see). */
function forgeRefusal(error: unknown): never {
  if (!(error instanceof PullRequestRefusedError)) throw error;
  throw new PortalError(502, 'forge-refused', error.message);
}
