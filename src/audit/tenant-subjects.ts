import type { AuditedObject, AuditedTenant } from './inventory.ts';

/** A subject of a RoleBinding or ClusterRoleBinding. */
export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

/** A subject that acts for a tenant: its directory group, or a ServiceAccount of its namespaces. */
export interface TenantSubject {
  tenant: AuditedTenant;
  /** The subject in words: "group devteam-a", "ServiceAccount devteam-a/ci". */
  subject: string;
}

/** Groups that are everyone: a binding to them grants every user or every ServiceAccount of the cluster. */
const everyone = ['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts'];
const serviceAccountsOf = 'system:serviceaccounts:';

/** The binding's subjects. */
export const subjectsOf = (binding: AuditedObject): Subject[] => (binding.subjects ?? []) as Subject[];

/** Each subject of the binding that acts for a tenant, with that tenant. */
export function tenantSubjects(binding: AuditedObject, tenants: AuditedTenant[]): TenantSubject[] {
  return subjectsOf(binding).flatMap((subject) =>
    tenants.flatMap((tenant) => {
      const described = actsFor(subject, tenant);
      return described ? [{ tenant, subject: described }] : [];
    }),
  );
}

function actsFor(subject: Subject, tenant: AuditedTenant): string | undefined {
  if (subject.kind === 'Group' && tenant.groups.has(subject.name)) return `group ${subject.name}`;
  if (subject.kind === 'Group' && subject.name.startsWith(serviceAccountsOf)) {
    const namespace = subject.name.slice(serviceAccountsOf.length);
    if (tenant.namespaces.has(namespace)) return `every ServiceAccount of ${namespace} (group ${subject.name})`;
  }
  if (subject.kind === 'ServiceAccount' && tenant.namespaces.has(subject.namespace ?? ''))
    return `ServiceAccount ${subject.namespace}/${subject.name}`;
  return undefined;
}

/** Subjects of the binding that stand for everyone (every user, every ServiceAccount, anonymous). */
export function everyoneSubjects(binding: AuditedObject): string[] {
  return subjectsOf(binding)
    .filter(
      (s) => (s.kind === 'Group' && everyone.includes(s.name)) || (s.kind === 'User' && s.name === 'system:anonymous'),
    )
    .map((s) => `${s.kind} ${s.name}`);
}
