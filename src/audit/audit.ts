import { checkNamespaces } from './check-namespaces.ts';
import { checkNetwork } from './check-network.ts';
import { checkNodes } from './check-nodes.ts';
import { checkOwnership } from './check-ownership.ts';
import { checkProjects } from './check-projects.ts';
import { checkRbac } from './check-rbac.ts';
import { checkRepositories } from './check-repositories.ts';
import { checkTokens } from './check-tokens.ts';
import type { Finding } from './finding.ts';
import { type Inventory, tenantsOf } from './inventory.ts';
import type { AuditOptions } from './options.ts';

const severityOrder = { high: 0, medium: 1 };
/** Within one object, the tenant-to-tenant breach first: it is what the audit exists for. */
const rulesFirst = [
  'project-destination-other-tenant',
  'rbac-grant-to-other-tenant',
  'rbac-outside-namespaces',
  'source-other-team',
];
const ruleRank = (rule: string) => (rulesFirst.includes(rule) ? rulesFirst.indexOf(rule) : rulesFirst.length);

/** Every way one tenant can reach another or the cluster, high severity first. */
export function audit(inventory: Inventory, options: AuditOptions): Finding[] {
  const tenants = tenantsOf(inventory);
  return [
    ...checkProjects(inventory, tenants, options),
    ...checkRepositories(inventory, tenants, options),
    ...checkRbac(inventory, tenants),
    ...checkTokens(inventory, tenants),
    ...checkNetwork(inventory, tenants, options),
    ...checkNamespaces(inventory, tenants, options),
    ...checkOwnership(inventory, tenants),
    ...checkNodes(inventory, tenants, options),
  ].sort(
    (a, b) =>
      severityOrder[a.severity] - severityOrder[b.severity] ||
      a.object.localeCompare(b.object) ||
      ruleRank(a.rule) - ruleRank(b.rule) ||
      a.rule.localeCompare(b.rule),
  );
}
