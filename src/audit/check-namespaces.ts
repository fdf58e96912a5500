import type { Finding } from './finding.ts';
import { type AuditedObject, type AuditedTenant, describeObject, type Inventory, ofKind } from './inventory.ts';

interface NetworkPolicySpec {
  podSelector?: { matchLabels?: object; matchExpressions?: unknown[] };
  policyTypes?: string[];
  ingress?: unknown[];
  egress?: unknown[];
}

const selectsEveryPod = (spec: NetworkPolicySpec) =>
  !spec.podSelector ||
  (Object.keys(spec.podSelector.matchLabels ?? {}).length === 0 &&
    (spec.podSelector.matchExpressions ?? []).length === 0);

/** Which directions some policy of the namespace denies by default (selects every pod, allows nothing). */
function defaultDenied(policies: AuditedObject[]): { ingress: boolean; egress: boolean } {
  const denied = { ingress: false, egress: false };
  for (const policy of policies) {
    const spec = (policy.spec ?? {}) as NetworkPolicySpec;
    if (!selectsEveryPod(spec)) continue;
    const types = spec.policyTypes ?? (spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
    if (types.includes('Ingress') && (spec.ingress ?? []).length === 0) denied.ingress = true;
    if (types.includes('Egress') && (spec.egress ?? []).length === 0) denied.egress = true;
  }
  return denied;
}

/** Rules about each tenant namespace: default-deny network policies, a quota, Pod Security enforced. */
export function checkNamespaces(inventory: Inventory, tenants: AuditedTenant[]): Finding[] {
  const byName = new Map(ofKind(inventory, 'Namespace').map((namespace) => [namespace.metadata.name, namespace]));
  const inNamespace = (kind: string, namespace: string) =>
    ofKind(inventory, kind).filter((object) => object.metadata.namespace === namespace);
  const findings: Finding[] = [];
  for (const tenant of tenants) {
    for (const name of tenant.namespaces) {
      const namespace = byName.get(name);
      if (!namespace) continue;
      const base = { object: describeObject(namespace), tenant: tenant.name };
      const denied = defaultDenied(inNamespace('NetworkPolicy', name));
      const open = [!denied.ingress && 'ingress', !denied.egress && 'egress'].filter(Boolean);
      if (open.length) {
        findings.push({
          ...base,
          severity: 'high',
          rule: 'namespace-no-default-deny',
          message: `no default-deny NetworkPolicy for ${open.join(' and ')}: pods of other tenants can reach this namespace's pods, or they can reach out`,
          fix: 'add a NetworkPolicy selecting every pod (podSelector: {}) with policyTypes [Ingress, Egress] and no rules, then allow what is needed',
        });
      }
      if (inNamespace('ResourceQuota', name).length === 0) {
        findings.push({
          ...base,
          severity: 'medium',
          rule: 'namespace-no-quota',
          message: 'no ResourceQuota: the tenant can take the shared nodes from everyone else',
          fix: "add the tenant's ResourceQuota (Landlord splits spec.resourceQuota across its namespaces)",
        });
      }
      const enforce = namespace.metadata.labels?.['pod-security.kubernetes.io/enforce'];
      if (!enforce || enforce === 'privileged') {
        findings.push({
          ...base,
          severity: 'high',
          rule: 'namespace-no-pod-security',
          message: `Pod Security is ${enforce ? 'privileged' : 'not enforced'}: privileged or host-access pods can break out to the node`,
          fix: 'label the namespace pod-security.kubernetes.io/enforce=restricted (or baseline)',
        });
      }
    }
  }
  return findings;
}
