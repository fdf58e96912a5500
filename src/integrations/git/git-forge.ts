/**
 * What the Git repository factory needs of a forge, and no more (ADR git-factory maps each call to Gitea, GitLab,
 * GitHub and Azure DevOps). Every call converges and can be repeated; none deletes anything but Landlord's own hooks.
 */
export interface GitForge {
  /** Makes the private organisation (group, project) tenants' repositories live in, unless it exists. */
  ensureOrganization(organization: string): Promise<void>;
  /**
   * Makes the repository from the template (its files in one first commit on `main`), private, unless it exists.
   * A repository that exists is returned as it is, with its marker: the caller decides whether it is the one it
   * made. Refuses with UnknownTemplateError when the template does not exist or is not a template.
   */
  ensureRepository(repository: RepositoryRef, options: NewRepository): Promise<ForgeRepository>;
  /** The repository as the forge has it (created: false), or undefined when there is none. */
  findRepository(repository: RepositoryRef): Promise<ForgeRepository | undefined>;
  /** Whether the organisation has a team mirroring the directory group (checked before anything is made for it). */
  hasGroup(organization: string, group: string): Promise<boolean>;
  /**
   * Protects the branch: no direct pushes and no force pushes by anyone, merges only through pull requests with
   * `requiredApprovals` approvals, from the teams granted the repository or from `approverTeams` (platform
   * admins). Call it after grantGroup: the approvers are read from the repository's teams.
   */
  protectBranch(repository: RepositoryRef, protection: BranchProtection): Promise<void>;
  /**
   * Gives the forge's team mirroring a directory group write access to the repository (push branches, open pull
   * requests). Refuses with UnknownGroupError when the forge has no such team.
   */
  grantGroup(repository: RepositoryRef, group: string): Promise<void>;
  /**
   * A machine user that can read this one repository and nothing else, and a token of it (read scope only). The
   * token is minted again only when `current` no longer reads the repository, so a kept token stays valid
   * (minting replaces the reader's older Landlord token). Refuses with ForeignAccountError when an account of that
   * name exists that Landlord did not make.
   */
  ensureReader(repository: RepositoryRef, reader: string, current?: ForgeCredentials): Promise<ForgeCredentials>;
  /**
   * A push webhook to `url`, signed with `secret`; one of Landlord's per URL, so a repository may have several (the
   * host's Argo CD, a house's). A forge that cannot change a hook's secret in place (Gitea) replaces the hook when
   * the secret changed. Hooks Landlord did not make are left as they are.
   */
  ensureWebhook(repository: RepositoryRef, hook: PushWebhook): Promise<void>;
  /** Removes Landlord's push webhooks to `url`; nothing happens when there are none; hooks it did not make stay. */
  removeWebhook(repository: RepositoryRef, url: string): Promise<void>;
  /**
   * Takes the reader's access to the repository away, so a token of it kept anywhere (a house's copy) reads nothing
   * more, not even after the repository is renamed for a later tenant of the name. Nothing happens when it has none.
   */
  removeReader(repository: RepositoryRef, reader: string): Promise<void>;
  /** Archives the repository: read-only from then on, its history kept. Nothing happens when it is gone. */
  archive(repository: RepositoryRef): Promise<void>;
}

/** One repository: its organisation and name on the forge. */
export interface RepositoryRef {
  organization: string;
  name: string;
}

/** What a new repository is made from. */
export interface NewRepository {
  /** The template repository (`organisation/name`) whose files the new one starts with. */
  template: RepositoryRef;
  /** The marker saying who the repository is for (kept in its description); see ForgeRepository.marker. */
  marker: string;
}

/** A repository as the forge has it. */
export interface ForgeRepository {
  /** The URL Git clones over HTTPS (HTTP on the local environment). */
  cloneURL: string;
  /** The repository's page, for people. */
  webURL: string;
  archived: boolean;
  /** The marker it was made with (undefined when none): a repository someone else made has another or none. */
  marker: string | undefined;
  /** Whether this call made it (false: it was there). */
  created: boolean;
}

/** How a branch is protected. */
export interface BranchProtection {
  branch: string;
  requiredApprovals: number;
  /** Teams whose approvals count besides the group given write access (the platform admins). */
  approverTeams: string[];
}

/** A push webhook. */
export interface PushWebhook {
  url: string;
  secret: string;
}

/** A machine user's name and token, as Git over HTTPS takes them (basic auth). */
export interface ForgeCredentials {
  username: string;
  token: string;
}

/** The forge could not be reached or failed (network, 5xx): a state to wait in, retried. */
export class ForgeUnavailableError extends Error {
  override name = 'ForgeUnavailableError';
}

/** The template named does not exist on the forge or is not a template repository. */
export class UnknownTemplateError extends Error {
  override name = 'UnknownTemplateError';
}

/** The forge has no team for the directory group named. */
export class UnknownGroupError extends Error {
  override name = 'UnknownGroupError';
}

/** An account of the name asked exists and is not one Landlord made (a person, say): it is not taken over. */
export class ForeignAccountError extends Error {
  override name = 'ForeignAccountError';
}
