/** The Git repository factory: each tenant without spec.gitops gets `<team>-gitops` on the forge (ADR git-factory). */
export interface GitFactorySettings {
  /** Off: tenants without spec.gitops sync `<git.baseURL>/<team>-gitops.git`, made by someone else. */
  enabled: boolean;
  /** The forge's kind; its URL and organisation are git.baseURL's (`https://git.bank.example/tenants`). */
  provider: 'gitea';
  /** Template repositories (`organisation/name`) a new repository's files come from, by kind of tenant. */
  templates: { namespace: string; house: string };
  /** Approvals a pull request to `main` of a team's repository needs (a platform admin's count too). */
  requiredApprovals: number;
  /** A tenant's read-only machine user on the forge is `<readerPrefix><team>`: Argo CD reads its repository as it. */
  readerPrefix: string;
}

export const defaultGitFactorySettings: GitFactorySettings = {
  enabled: false,
  provider: 'gitea',
  templates: { namespace: 'landlord-templates/namespace-tenant', house: 'landlord-templates/house-tenant' },
  requiredApprovals: 1,
  readerPrefix: 'landlord-reader-',
};

/** The forge's address and the organisation tenants' repositories live in, read from git.baseURL. */
export interface ForgeLocation {
  url: string;
  organization: string;
}

/** A repository name on the forge: letters, digits, '.', '_' and '-', as Gitea, GitLab and GitHub all take it. */
const forgeName = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * Splits git.baseURL into the forge and its organisation (`https://git.bank.example/tenants` → the forge at
 * `https://git.bank.example`, organisation `tenants`); undefined when baseURL does not end in one organisation.
 */
export function forgeLocation(baseURL: string): ForgeLocation | undefined {
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    return undefined;
  }
  const segments = url.pathname.split('/').filter(Boolean);
  const organization = segments.at(-1);
  if (!organization || !forgeName.test(organization) || url.search || url.hash) return undefined;
  if (!['https:', 'http:'].includes(url.protocol)) return undefined;
  const prefix = segments.slice(0, -1).join('/');
  return { url: `${url.origin}${prefix ? `/${prefix}` : ''}`, organization };
}

/** Checks `git.factory` against git.baseURL; `fail` builds the error naming the field, the value and what is allowed. */
export function checkGitFactorySettings(
  factory: GitFactorySettings,
  baseURL: string,
  fail: (message: string) => Error,
): void {
  if (factory.provider !== 'gitea')
    throw fail(`git.factory.provider: ${JSON.stringify(factory.provider)} is not a forge Landlord knows; use gitea`);
  for (const kind of ['namespace', 'house'] as const) checkTemplate(kind, factory.templates[kind], fail);
  if (!Number.isInteger(factory.requiredApprovals) || factory.requiredApprovals < 1 || factory.requiredApprovals > 5)
    throw fail(
      `git.factory.requiredApprovals: ${factory.requiredApprovals} is not allowed; use a whole number from 1 to 5 (main is changed only through reviewed pull requests)`,
    );
  if (!/^[a-z][a-z0-9-]{0,14}-$/.test(factory.readerPrefix) || factory.readerPrefix.includes('--'))
    throw fail(
      `git.factory.readerPrefix: ${JSON.stringify(factory.readerPrefix)} is not allowed; use lower case letters, digits and '-', at most 16 characters, ending in '-', never two '-' in a row (landlord-reader-)`,
    );
  if (!factory.enabled) return;
  if (!forgeLocation(baseURL))
    throw fail(
      `git.baseURL: ${JSON.stringify(baseURL)} does not name the forge's organisation for tenants; with git.factory.enabled, write https://<forge>/<organisation>, such as https://git.bank.example/tenants`,
    );
}

/** A template is `organisation/name` on the forge. */
function checkTemplate(kind: 'namespace' | 'house', template: string, fail: (message: string) => Error): void {
  const [organization, name, ...rest] = template.split('/');
  if (organization && name && !rest.length && forgeName.test(organization) && forgeName.test(name)) return;
  throw fail(
    `git.factory.templates.${kind}: ${JSON.stringify(template)} is not a repository on the forge; write organisation/name (letters, digits, '.', '_', '-'), such as landlord-templates/${kind}-tenant`,
  );
}
