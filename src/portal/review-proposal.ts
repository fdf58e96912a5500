// Pure: the web UI imports this type (type-only), so what it reads is what the portal sends.

/** Where a GitOps request above the review threshold went instead of main, and why. */
export interface ReviewProposal {
  /** The branch holding the request's file, such as review/<name>. */
  branch: string;
  /** Each resource above the review threshold, with the value asked and the threshold. */
  reasons: string[];
  /** The pull request awaiting the review, on a forge platform repository (its page). */
  pullRequest?: string;
}
