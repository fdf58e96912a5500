import type { RepositoryRef } from './git-forge.ts';

/**
 * What the portal needs of a forge to turn a request into a pull request, and no more (ADR git-factory maps each
 * call to Gitea, GitLab, GitHub and Azure DevOps). Landlord acts as its machine user; `author` calls act as the
 * person named (they post the pull request, so they can never approve it themselves).
 */
export interface ForgePullRequests {
  /** Commits the changes on a new branch made from `base`, as the author's commit; returns the commit. */
  commitToNewBranch(repository: RepositoryRef, commit: NewBranchCommit): Promise<string>;
  /** Opens a pull request of the branch into `base`, posted by the author. */
  open(repository: RepositoryRef, request: NewPullRequest): Promise<PullRequest>;
  /** The open pull request of the branch, or undefined when it has none. */
  findOpen(repository: RepositoryRef, branch: string): Promise<PullRequest | undefined>;
  /** The pull request as the forge has it now. */
  read(repository: RepositoryRef, number: number): Promise<PullRequest>;
  /** Whether the branch exists (a request for the name is under way or awaits review). */
  hasBranch(repository: RepositoryRef, branch: string): Promise<boolean>;
  /** Removes a branch no pull request was opened for (the author could not post it); nothing when it is gone. */
  deleteBranch(repository: RepositoryRef, branch: string): Promise<void>;
  /** The machine user approves the pull request at its head commit. */
  approve(repository: RepositoryRef, pull: PullRequest, note: string): Promise<void>;
  /**
   * Merges the pull request at the head commit read (a push since makes it fail) into the base it was opened on
   * (one its poster retargeted is refused), deleting its branch; its approvals must be there.
   */
  merge(repository: RepositoryRef, pull: PullRequest): Promise<void>;
  /** Says something on the pull request as Landlord: what its poster cannot edit (a description they can). */
  comment(repository: RepositoryRef, pull: PullRequest, text: string): Promise<void>;
}

/** A person as the forge and Git know them. */
export interface ForgeAuthor {
  /** Their account on the forge. */
  username: string;
  name: string;
  email: string;
}

/** One file written (content) or removed (null). */
export interface BranchChange {
  path: string;
  content: string | null;
}

/** A commit on a new branch. */
export interface NewBranchCommit {
  base: string;
  branch: string;
  message: string;
  author: ForgeAuthor;
  changes: BranchChange[];
}

/** A pull request to open. */
export interface NewPullRequest {
  base: string;
  branch: string;
  title: string;
  description: string;
  author: ForgeAuthor;
}

/** A pull request as the forge has it. */
export interface PullRequest {
  number: number;
  /** Its page, for people. */
  webURL: string;
  branch: string;
  /** The branch it would merge into. */
  base: string;
  /** The commit its branch points at. */
  headCommit: string;
  state: 'open' | 'merged' | 'closed';
  /** Who posted it (the forge account). */
  author: string;
  /** Whether the forge would merge it now (conflicts checked; approvals are not part of this). */
  mergeable: boolean;
}

/** The forge refused a pull request call for a reason a person can act on (no account, not allowed, a conflict). */
export class PullRequestRefusedError extends Error {
  override name = 'PullRequestRefusedError';
}
