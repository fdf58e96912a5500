import { createHash } from 'node:crypto';
import type { Tenant } from '../api/tenant.ts';
import type { Manifest } from './manifest.ts';
import { tenantNamespaces } from './names.ts';
import { teamRoleName } from './rbac.ts';

/**
 * The namespace of the people's ServiceAccounts (one per person and tenant): the platform's, where no team has
 * any right, so no member can create, impersonate, mint tokens for or delete another person's identity.
 */
export const peopleNamespace = 'landlord-people';
/** Who writes person identities: the portal (not the operator, whose managed-by value admission reserves). */
export const personManagedBy = 'landlord-portal';
/** Label: the tenant a person's ServiceAccount acts in. */
export const personTenantLabel = 'landlord.dev/access-tenant';
/** Label: the person, as a name-safe form of their directory username. */
export const personLabel = 'landlord.dev/person';
/** Annotation: the person's directory username, exactly. */
export const directoryUsernameAnnotation = 'landlord.dev/directory-username';
/** Every person RoleBinding's name starts with this; admission lets only the portal write such bindings. */
export const personBindingPrefix = 'landlord-person.';

/** Who a person is, for their identity: the directory username (stable) and the provider's subject. */
export interface Person {
  username: string;
  subject: string;
}

const longestSlug = 40;

/**
 * The person's directory username in a form every Kubernetes name accepts: itself when it already is a DNS
 * label of at most 40 characters, else a cleaned prefix and a hash of the whole (a dot keeps the two forms from
 * meeting: a username that needed cleaning is never equal to one that did not).
 */
export function personSlug(username: string): string {
  if (username.length <= longestSlug && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(username)) return username;
  const cleaned =
    username
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .slice(0, longestSlug)
      .replace(/^-+|-+$/g, '') || 'person';
  return `${cleaned}.${createHash('sha256').update(username).digest('hex').slice(0, 8)}`;
}

/** The person's ServiceAccount for a tenant: `<tenant>.<person>` in the people namespace. */
export const personServiceAccountName = (tenant: Pick<Tenant, 'metadata'>, person: Person) =>
  `${tenant.metadata.name}.${personSlug(person.username)}`;

/** The user name the API server knows a person's kubeconfig by (`kubectl auth whoami`). */
export const personIdentity = (tenant: Pick<Tenant, 'metadata'>, person: Person) =>
  `system:serviceaccount:${peopleNamespace}:${personServiceAccountName(tenant, person)}`;

const labels = (tenant: Tenant, person: Person) => ({
  'app.kubernetes.io/managed-by': personManagedBy,
  [personTenantLabel]: tenant.metadata.name,
  [personLabel]: personSlug(person.username),
});

/** The person's ServiceAccount for the tenant: no token Secret, never mounted; deleted, it cuts off only them. */
export function buildPersonServiceAccount(tenant: Tenant, person: Person): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: personServiceAccountName(tenant, person),
      namespace: peopleNamespace,
      labels: labels(tenant, person),
      annotations: { [directoryUsernameAnnotation]: person.username },
    },
    automountServiceAccountToken: false,
  };
}

/** One RoleBinding per tenant namespace giving the person's ServiceAccount the team's role, nothing more. */
export function buildPersonRoleBindings(tenant: Tenant, person: Person): Manifest[] {
  return tenantNamespaces(tenant).map((namespace) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: {
      name: `${personBindingPrefix}${personSlug(person.username)}`,
      namespace,
      labels: labels(tenant, person),
      annotations: { [directoryUsernameAnnotation]: person.username },
    },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: teamRoleName },
    subjects: [{ kind: 'ServiceAccount', name: personServiceAccountName(tenant, person), namespace: peopleNamespace }],
  }));
}
