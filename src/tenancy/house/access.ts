import type { Manifest } from '../manifest.ts';
import { houseAccessInnerNamespace, housePeopleNamespace } from '../names.ts';

/** Inside a house: the ServiceAccount whose short-lived token the portal holds, to mint people's tokens only. */
export const houseMinterName = 'landlord-portal';

/** Inside a house: the Role (in the people namespace) and the ClusterRoleBinding (for the people's group). */
export const housePeopleRoleName = 'landlord-people';

/** The group every ServiceAccount of the people namespace is in, inside a house (the API server adds it). */
export const housePeopleGroup = `system:serviceaccounts:${housePeopleNamespace}`;

/**
 * What a team's directory group is entitled to inside its house: the article makes the team cluster-admin of it
 * (its CRDs, operators, webhooks), so each person's identity there gets the built-in `cluster-admin`.
 */
export const housePeopleClusterRole = 'cluster-admin';

/** How long the portal's minting token lives: short, renewed by the operator at 80 % of its life. */
export const houseMinterTokenSeconds = 3600;

/** The share of a minting token's life after which the operator replaces it. */
const renewAtShare = 0.8;

/** Label on what Landlord keeps inside a house for the portal's access (the house's own objects are the team's). */
const labels = { 'app.kubernetes.io/managed-by': 'landlord', 'app.kubernetes.io/part-of': 'landlord-house-access' };

/**
 * What the operator keeps inside a house for people's access: the people namespace, the minter's namespace and
 * ServiceAccount, a Role letting the minter get, create and delete ServiceAccounts and create their tokens in the
 * people namespace (no list, no Secret, no binding), and the people's group bound to `cluster-admin`.
 */
export function buildHouseAccessObjects(): Manifest[] {
  const namespace = (name: string): Manifest => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
  return [
    namespace(housePeopleNamespace),
    namespace(houseAccessInnerNamespace),
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: houseMinterName, namespace: houseAccessInnerNamespace, labels },
      automountServiceAccountToken: false,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: houseMinterName, namespace: housePeopleNamespace, labels },
      rules: [
        // delete: a person who leaves the team's group loses their identity inside at once (the portal's group check).
        { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['get', 'create', 'delete'] },
        { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: houseMinterName, namespace: housePeopleNamespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: houseMinterName },
      subjects: [{ kind: 'ServiceAccount', name: houseMinterName, namespace: houseAccessInnerNamespace }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: housePeopleRoleName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: housePeopleClusterRole },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: housePeopleGroup }],
    },
  ];
}

/** The keys of the host Secret `house-<team>`: what the portal needs to mint people's tokens in one house. */
export const houseAccessKeys = {
  server: 'server',
  certificateAuthority: 'ca.crt',
  token: 'token',
  expiresAt: 'expiresAt',
} as const;

/** The minting credential as stored on the host (plain strings; the Secret's data holds them base64). */
export interface HouseAccessCredential {
  server: string;
  /** PEM of the house's CA. */
  certificateAuthority: string;
  token: string;
  /** RFC 3339: when the token stops working. */
  expiresAt: string;
}

/** The Secret's data for a credential (base64 values), in the order of houseAccessKeys. */
export function houseAccessData(credential: HouseAccessCredential): Record<string, string> {
  const encode = (value: string) => Buffer.from(value, 'utf8').toString('base64');
  return {
    [houseAccessKeys.server]: encode(credential.server),
    [houseAccessKeys.certificateAuthority]: encode(credential.certificateAuthority),
    [houseAccessKeys.token]: encode(credential.token),
    [houseAccessKeys.expiresAt]: encode(credential.expiresAt),
  };
}

/** The credential a Secret's data holds, or undefined when any part is missing or empty. */
export function readHouseAccessData(data: Record<string, string> | undefined): HouseAccessCredential | undefined {
  const decode = (key: string) => (data?.[key] ? Buffer.from(data[key], 'base64').toString('utf8') : '');
  const credential = {
    server: decode(houseAccessKeys.server),
    certificateAuthority: decode(houseAccessKeys.certificateAuthority),
    token: decode(houseAccessKeys.token),
    expiresAt: decode(houseAccessKeys.expiresAt),
  };
  return Object.values(credential).every((value) => value !== '') ? credential : undefined;
}

/**
 * Whether the stored credential must be minted again: none, another server or CA (the house moved or re-keyed), an
 * expiry that is not a date, or less than 20 % of a token's life left.
 */
export function minterNeedsRenewal(
  stored: HouseAccessCredential | undefined,
  wanted: { server: string; certificateAuthority: string },
  nowMs: number,
  lifetimeSeconds = houseMinterTokenSeconds,
): boolean {
  if (!stored || stored.server !== wanted.server || stored.certificateAuthority !== wanted.certificateAuthority)
    return true;
  const expiresMs = Date.parse(stored.expiresAt);
  if (Number.isNaN(expiresMs)) return true;
  return expiresMs - nowMs < lifetimeSeconds * 1000 * (1 - renewAtShare);
}
