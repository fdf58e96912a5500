import type { PlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import { git } from '../git/commit-files.ts';
import { reviewReasons } from '../tenancy/review-threshold.ts';
import { PortalError } from './errors.ts';
import type { ReviewProposal } from './review-proposal.ts';

export type { ReviewProposal } from './review-proposal.ts';

/** The branch a tenant's request awaits a platform admin's review on. */
export const reviewBranchOf = (tenant: Tenant) => `review/${tenant.metadata.name}`;

/**
 * Decides whether a GitOps request goes to main or to a review branch (`review/<name>`, from main; a pull request
 * once the Git factory exists): a request above the platform's review threshold is not committed to main. A
 * request already awaiting review is not proposed twice.
 */
export function reviewPolicy(repositoryURL: string, platform: PlatformConfig) {
  return async (tenant: Tenant): Promise<ReviewProposal | undefined> => {
    const reasons = reviewReasons(tenant.spec, platform);
    if (reasons.length === 0) return undefined;
    const branch = reviewBranchOf(tenant);
    const { stdout } = await git(process.cwd(), ['ls-remote', '--heads', repositoryURL, `refs/heads/${branch}`]);
    if (stdout.trim()) {
      throw new PortalError(
        409,
        'awaiting-review',
        `a request for ${tenant.metadata.name} already awaits review on ${branch}`,
        [
          {
            path: 'name',
            message: `name: "${tenant.metadata.name}" already awaits a platform admin's review on ${branch}`,
          },
        ],
      );
    }
    return { branch, reasons };
  };
}
