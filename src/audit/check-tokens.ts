import { tenantLabel } from '../tenancy/ownership.ts';
import type { Finding } from './finding.ts';
import { type AuditedObject, type AuditedTenant, describeObject, type Inventory, ofKind } from './inventory.ts';
import { type RoleRef, roleReadsSecrets } from './rbac-rights.ts';
import { tenantSubjects } from './tenant-subjects.ts';

/** The type of a Secret holding a ServiceAccount token that never expires. */
export const tokenSecretType = 'kubernetes.io/service-account-token';
const serviceAccountAnnotation = 'kubernetes.io/service-account.name';

/**
 * Rules about long-lived credentials: token Secrets wherever a tenant can read Secrets (its namespaces, and
 * where its subjects are bound to a role that reads them), and ServiceAccounts Landlord made that would mount a
 * token into every pod.
 */
export function checkTokens(inventory: Inventory, tenants: AuditedTenant[]): Finding[] {
  const tokens = ofKind(inventory, 'Secret').filter((secret) => secret.type === tokenSecretType);
  const readable = readableNamespaces(inventory, tenants);
  const tokenFindings = tokens.flatMap((secret) =>
    tenants.flatMap((tenant) => {
      const how = readable.get(tenant)?.get(secret.metadata.namespace ?? '') ?? readable.get(tenant)?.get('*');
      return how ? [tokenFinding(secret, tenant, how)] : [];
    }),
  );
  const automount = ofKind(inventory, 'ServiceAccount')
    .filter((account) => account.metadata.labels?.[tenantLabel] && account.automountServiceAccountToken !== false)
    .map((account) => ({
      severity: 'medium' as const,
      rule: 'serviceaccount-automount',
      object: describeObject(account),
      tenant: account.metadata.labels?.[tenantLabel],
      message: `Landlord's ServiceAccount does not set automountServiceAccountToken: false: every pod running as it carries a token for its rights`,
      fix: 'set automountServiceAccountToken: false (tokens are asked for with TokenRequest when needed)',
    }));
  return [...tokenFindings, ...automount];
}

function tokenFinding(secret: AuditedObject, tenant: AuditedTenant, how: string): Finding {
  const account = secret.metadata.annotations?.[serviceAccountAnnotation] ?? '?';
  return {
    severity: 'high',
    rule: 'token-secret',
    object: describeObject(secret),
    tenant: tenant.name,
    message: `a token of ServiceAccount ${secret.metadata.namespace}/${account} that never expires, readable by tenant ${tenant.name} (${how}): whoever copies it keeps the account's rights until the Secret is deleted`,
    fix: 'delete the Secret; ask for short-lived tokens with TokenRequest (kubectl create token) instead',
  };
}

/** For each tenant, the namespaces where it reads Secrets and why ("*" for every namespace). */
function readableNamespaces(inventory: Inventory, tenants: AuditedTenant[]): Map<AuditedTenant, Map<string, string>> {
  const readable = new Map(
    tenants.map((tenant) => {
      // The team reads nothing in its house's host namespace; the house's control plane (vCluster) reads its Secrets.
      const why = tenant.house ? "its house's control plane, which reads every Secret there" : 'its own namespace';
      return [tenant, new Map([...tenant.namespaces].map((n) => [n, why]))];
    }),
  );
  for (const kind of ['RoleBinding', 'ClusterRoleBinding']) {
    for (const binding of ofKind(inventory, kind)) {
      const namespace = binding.metadata.namespace;
      if (!roleReadsSecrets(inventory, binding.roleRef as RoleRef, namespace)) continue;
      for (const { tenant, subject } of tenantSubjects(binding, tenants)) {
        const where = readable.get(tenant);
        if (where && !where.has(namespace ?? '*'))
          where.set(namespace ?? '*', `${subject} through ${describeObject(binding)}`);
      }
    }
  }
  return readable;
}
