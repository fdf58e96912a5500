import { checkGitFactorySettings, defaultGitFactorySettings, type GitFactorySettings } from './git-factory-settings.ts';
import { allowedRegistriesProblem } from './allowed-registries.ts';
import { checkHouseSettings, defaultHouseSettings, type HouseSettings, houseImages } from './house-settings.ts';
import { checkHouseArgoCdSettings, checkSsoSettings } from './house-argocd-settings.ts';
import { checkNodePoolSettings, defaultNodePoolSettings, type NodePoolSettings } from './node-pool-settings.ts';
import { checkTenantLimits, defaultObjectCounts, type TenantLimits } from './platform-limits.ts';

export type { TenantLimits } from './platform-limits.ts';
export type { NodePoolSettings } from './node-pool-settings.ts';
export type { HouseSettings } from './house-settings.ts';

/** Platform-wide settings: everything builders need that is not the tenant's to choose. */
export interface PlatformConfig {
  /** Base domain of tenant URLs (argocd-<team>.<domain>). */
  domain: string;
  argocd: {
    /** Namespace of the host Argo CD, where AppProjects, Applications and repository Secrets live. */
    namespace: string;
    /** API server address Argo CD deploys the tenants' apps to. */
    destinationServer: string;
    /** Base URL of the Argo CD UI, for links in status and the portal. */
    url: string;
  };
  /** Namespace of the ingress controller, the one source of traffic from outside a tenant. */
  ingressNamespace: string;
  /** Where cluster DNS runs, the one destination every tenant may always reach. */
  dns: { namespace: string; podLabels: Record<string, string> };
  /** Git hosting: the repository a tenant without spec.gitops gets, and which repositories are a team's. */
  git: {
    /** A team's default repository is <baseURL>/<team>-gitops.git (the one the Git factory creates). */
    baseURL: string;
    /**
     * The team's own space on the Git host: every repository under it is the team's. `{baseURL}` and `{team}`
     * stand for the base URL and the teamName; `{team}` is followed by a character no team name has (`/`), so no
     * team's prefix is the beginning of another's.
     */
    teamRepoPrefix: string;
    /** Whether spec.gitops.repoURL may be a file:// URL: only the local environment, whose repositories are files. */
    allowFileURLs: boolean;
    /** The Git repository factory: a tenant without spec.gitops gets its repository made on the forge. */
    factory: GitFactorySettings;
  };
  /** Pod Security Standards level enforced, audited and warned in tenant namespaces. */
  podSecurityLevel: 'restricted' | 'baseline';
  /** Ceilings per namespace on object counts and ephemeral storage. */
  namespaceQuota: {
    pods: number;
    services: number;
    nodePortServices: number;
    loadBalancerServices: number;
    secrets: number;
    configMaps: number;
    persistentVolumeClaims: number;
    ephemeralStorage: string;
    /**
     * Object counts per namespace for every other kind a team can create, keyed `<resource>.<group>` (core kinds
     * by their resource alone): each becomes `count/<key>` in the ResourceQuota, so no kind fills etcd unbounded.
     */
    objectCounts: Record<string, number>;
  };
  /** What one tenant may ask for at most (spec.resourceQuota, spec.nodePool.size): a request above is refused. */
  tenantCeilings: TenantLimits;
  /** What all tenants of one directory group (spec.adGroup) may ask for together. */
  groupBudget: TenantLimits;
  /** GitOps mode: a request above any of these goes to a review branch for a platform admin, not to main. */
  reviewThreshold: TenantLimits;
  /** Defaults for containers that state no requests or limits, so they still fit under the quota. */
  containerDefaults: {
    request: { cpu: string; memory: string; ephemeralStorage: string };
    limit: { cpu: string; memory: string; ephemeralStorage: string };
  };
  /** Limits may reach this multiple of the requested quota (the article's 20 CPU requested, 40 limit). */
  limitToRequestRatio: number;
  /**
   * Whether teams may add NetworkPolicies of their own: `refuse` (the default: network isolation is the
   * platform's) or `within-tenant` (only policies admitting the tenant's own pods). Held by an admission policy.
   */
  tenantNetworkPolicies: 'refuse' | 'within-tenant';
  /**
   * The platform's own namespaces (beside Argo CD's, always one): no tenant may reach them, and each must deny
   * ingress by default (`landlord audit` checks it).
   */
  platformNamespaces: string[];
  /**
   * The registries images may come from in every namespace but the platform's (an admission policy reads them from
   * the landlord-admission ConfigMap): `registry.bank.example` admits `registry.bank.example/<anything>` only.
   */
  allowedRegistries: string[];
  /**
   * Single sign-on through the directory (Dex) into Argo CD: a session ends this many minutes after sign-in,
   * whatever its use (Dex's ID and refresh tokens, Argo CD's session ceiling). Keep it short: 15 to 60.
   */
  sso: {
    sessionMinutes: number;
    /** The platform's central OIDC provider (Dex): every house's Argo CD signs people in through it (issue 15). */
    issuer: string;
    /** Directory groups of platform admins: role:admin in every house's Argo CD too. */
    adminGroups: string[];
  };
  /** Dedicated node pools: where nodes come from, the labels and taints that mark them, how long to wait. */
  nodePools: NodePoolSettings;
  /** Houses (virtual-cluster tenants): the vCluster chart, Kubernetes versions, images, control plane, address. */
  houses: HouseSettings;
}

/** Sensible defaults for a local or first installation; a platform team overrides them in one file. */
export const defaultPlatformConfig: PlatformConfig = {
  domain: 'landlord.local',
  argocd: {
    namespace: 'argocd',
    destinationServer: 'https://kubernetes.default.svc',
    url: 'https://argocd.landlord.local',
  },
  ingressNamespace: 'ingress-nginx',
  dns: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } },
  git: {
    baseURL: 'https://git.landlord.local',
    teamRepoPrefix: '{baseURL}/{team}/',
    allowFileURLs: false,
    factory: defaultGitFactorySettings,
  },
  podSecurityLevel: 'restricted',
  namespaceQuota: {
    pods: 100,
    services: 20,
    nodePortServices: 0,
    loadBalancerServices: 0,
    secrets: 100,
    configMaps: 100,
    persistentVolumeClaims: 10,
    ephemeralStorage: '50Gi',
    objectCounts: defaultObjectCounts,
  },
  // A bank's shared cluster (nodes of 16 cores and 64 GiB): one tenant at most four such nodes' worth, a group
  // four tenants' worth; the article's request (40 cores, 80Gi, 1Ti, 3 nodes) passes without review.
  tenantCeilings: { cpu: '64', memory: '256Gi', storage: '4Ti', nodePoolNodes: 5 },
  groupBudget: { cpu: '256', memory: '1Ti', storage: '16Ti', nodePoolNodes: 12 },
  reviewThreshold: { cpu: '48', memory: '192Gi', storage: '2Ti', nodePoolNodes: 3 },
  containerDefaults: {
    request: { cpu: '100m', memory: '128Mi', ephemeralStorage: '256Mi' },
    limit: { cpu: '500m', memory: '512Mi', ephemeralStorage: '1Gi' },
  },
  limitToRequestRatio: 2,
  tenantNetworkPolicies: 'refuse',
  platformNamespaces: ['argocd', 'landlord-system', 'landlord-identity'],
  allowedRegistries: ['registry.landlord.local'],
  sso: { sessionMinutes: 60, issuer: 'https://dex.landlord.local/dex', adminGroups: ['platform-admins'] },
  nodePools: defaultNodePoolSettings,
  houses: defaultHouseSettings,
};

/** Raised when a platform configuration file is wrong; names the field, the value and what is expected. */
export class PlatformConfigError extends Error {
  override name = 'PlatformConfigError';
}

/**
 * Reads a platform configuration over the defaults: every field is optional, unknown fields and wrong types
 * are refused with their path, so a typo cannot silently fall back to a default.
 */
export function parsePlatformConfig(document: unknown): PlatformConfig {
  if (document === null || document === undefined) return structuredClone(defaultPlatformConfig);
  const config = mergeChecked(defaultPlatformConfig, document, '') as PlatformConfig;
  if (!['restricted', 'baseline'].includes(config.podSecurityLevel)) {
    throw new PlatformConfigError(
      `podSecurityLevel: "${config.podSecurityLevel}" is not allowed; use restricted or baseline`,
    );
  }
  if (!['refuse', 'within-tenant'].includes(config.tenantNetworkPolicies)) {
    throw new PlatformConfigError(
      `tenantNetworkPolicies: "${config.tenantNetworkPolicies}" is not allowed; use refuse or within-tenant`,
    );
  }
  if (!Number.isInteger(config.limitToRequestRatio) || config.limitToRequestRatio < 1) {
    throw new PlatformConfigError(`limitToRequestRatio: ${config.limitToRequestRatio} must be a whole number >= 1`);
  }
  checkNamespaceNames(config.platformNamespaces, 'platformNamespaces');
  const registriesProblem = allowedRegistriesProblem(config.allowedRegistries);
  if (registriesProblem) throw new PlatformConfigError(registriesProblem);
  checkSessionMinutes(config.sso.sessionMinutes);
  checkSsoSettings(config.sso, (message) => new PlatformConfigError(message));
  checkTenantLimits(config, (message) => new PlatformConfigError(message));
  checkNodePoolSettings(config.nodePools, (message) => new PlatformConfigError(message));
  checkHouseSettings(config.houses, (message) => new PlatformConfigError(message));
  checkHouseArgoCdSettings(config.houses.argocd, (message) => new PlatformConfigError(message));
  checkHouseImagesAllowed(config);
  checkGitFactorySettings(config.git.factory, config.git.baseURL, (message) => new PlatformConfigError(message));
  const prefixProblem = teamRepoPrefixProblem(config.git.teamRepoPrefix);
  if (prefixProblem)
    throw new PlatformConfigError(`git.teamRepoPrefix: "${config.git.teamRepoPrefix}" ${prefixProblem}`);
  return config;
}

/** A house's images must come from an allowed registry, or the registry guardrail would refuse its pods. */
function checkHouseImagesAllowed(config: PlatformConfig): void {
  if (!config.houses.enabled) return;
  for (const image of houseImages(config.houses)) {
    if (!config.allowedRegistries.some((registry) => image.startsWith(`${registry}/`)))
      throw new PlatformConfigError(
        `houses.images: "${image.replace(/:tag$/, '')}" is not from an allowed registry (${config.allowedRegistries.join(', ')}); mirror it there, or the registry guardrail refuses the house's pods`,
      );
  }
}

/** The longest single sign-on session the platform may configure: a working day. */
const maxSessionMinutes = 8 * 60;

function checkSessionMinutes(minutes: number): void {
  if (!Number.isInteger(minutes) || minutes < 5 || minutes > maxSessionMinutes) {
    throw new PlatformConfigError(
      `sso.sessionMinutes: ${minutes} is not allowed; use a whole number of minutes from 5 to ${maxSessionMinutes} (short: 15 to 60)`,
    );
  }
}

/** A namespace name as the API server takes it: a DNS label (lower case letters, digits, '-'; 63 at most). */
const namespaceName = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function checkNamespaceNames(names: unknown[], field: string): void {
  names.forEach((name, index) => {
    if (typeof name !== 'string' || !namespaceName.test(name)) {
      throw new PlatformConfigError(
        `${field}[${index}]: ${JSON.stringify(name)} is not a namespace name (lower case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)`,
      );
    }
  });
}

/**
 * Why a team repository prefix would let one team name another's repositories, or match more than it says:
 * `{team}` once, then a character a team name cannot hold (a team `dev` must not own `dev-a`'s repositories),
 * and no glob character Argo CD would expand.
 */
function teamRepoPrefixProblem(prefix: string): string | undefined {
  const parts = prefix.split('{team}');
  if (parts.length !== 2) return 'must contain {team} exactly once, such as {baseURL}/{team}/';
  if (!/^[^a-z0-9-]/.test(parts[1] ?? '')) {
    return "must have a character no team name has (such as /) right after {team}, so that no team's prefix begins another's";
  }
  if (/[*?[\]{}]/.test(prefix.replaceAll('{baseURL}', '').replaceAll('{team}', ''))) {
    return 'must not contain *, ?, [, ], { or } other than {baseURL} and {team}';
  }
  return undefined;
}

function mergeChecked(defaults: unknown, given: unknown, path: string): unknown {
  const expected = describeType(defaults);
  if (expected !== describeType(given)) {
    throw new PlatformConfigError(`${path || 'the configuration'}: ${JSON.stringify(given)} is not ${expected}`);
  }
  if (expected !== 'an object' || freeFormMaps.has(path)) return structuredClone(given);
  const merged: Record<string, unknown> = structuredClone(defaults) as Record<string, unknown>;
  for (const [key, value] of Object.entries(given as Record<string, unknown>)) {
    const field = path ? `${path}.${key}` : key;
    if (!(key in merged)) {
      throw new PlatformConfigError(`${field}: unknown field; known fields here: ${Object.keys(merged).join(', ')}`);
    }
    merged[key] = mergeChecked(merged[key], value, field);
  }
  return merged;
}

/** Fields whose keys are the user's own (labels): replaced whole rather than checked key by key. */
const freeFormMaps = new Set(['dns.podLabels', 'namespaceQuota.objectCounts', 'houses.kubernetesVersions']);

function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
