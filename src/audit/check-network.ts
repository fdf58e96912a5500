import type { Finding, Severity } from './finding.ts';
import {
  type AuditedObject,
  type AuditedTenant,
  describeObject,
  type Inventory,
  inNamespace,
  namespaceOwners,
  ofKind,
} from './inventory.ts';
import { houseRuleFixes, judgeHouseOpening, type Opened } from './house-network.ts';
import { describeSelector } from './label-selector.ts';
import {
  coversEveryAddress,
  deniesByDefault,
  type Direction,
  describePorts,
  type DirectionUnion,
  type NamespaceLabels,
  type NetworkPolicySpec,
  type Opening,
  onlyOnPorts,
  opensEverything,
  unionOf,
} from './network-union.ts';
import type { AuditOptions } from './options.ts';

const directions: Direction[] = ['ingress', 'egress'];
/** What a tenant may reach in the ingress namespace: the controller's HTTP(S) ports, never its webhook. */
const ingressControllerPorts = [80, 443];
const dnsPorts = [53];

/** What the rules of this family share. */
interface NetworkContext {
  inventory: Inventory;
  options: AuditOptions;
  owners: Map<string, AuditedTenant>;
  namespaces: NamespaceLabels[];
}

/**
 * Rules about NetworkPolicies, taken as the union they are: each tenant namespace must deny both directions by
 * default and open only to the tenant itself, DNS and the ingress controller; each platform namespace must deny
 * ingress by default.
 */
export function checkNetwork(inventory: Inventory, tenants: AuditedTenant[], options: AuditOptions): Finding[] {
  const namespaceObjects = new Map(ofKind(inventory, 'Namespace').map((n) => [n.metadata.name, n]));
  const context: NetworkContext = {
    inventory,
    options,
    owners: namespaceOwners(tenants),
    namespaces: [...namespaceObjects.values()].map((n) => ({ name: n.metadata.name, labels: n.metadata.labels ?? {} })),
  };
  const findings: Finding[] = [];
  for (const tenant of tenants) {
    for (const name of tenant.namespaces) {
      const namespace = namespaceObjects.get(name);
      if (namespace) findings.push(...checkTenantNamespace(context, tenant, namespace));
    }
  }
  for (const name of options.defaultDenyNamespaces) {
    const namespace = namespaceObjects.get(name);
    if (namespace && !context.owners.has(name)) findings.push(...checkPlatformNamespace(context, namespace));
  }
  return findings;
}

function unionIn(context: NetworkContext, namespace: string, direction: Direction): DirectionUnion {
  const policies = inNamespace(context.inventory, 'NetworkPolicy', namespace).map((policy) => ({
    name: policy.metadata.name,
    spec: (policy.spec ?? {}) as NetworkPolicySpec,
  }));
  return unionOf(namespace, policies, context.namespaces, direction);
}

function checkTenantNamespace(context: NetworkContext, tenant: AuditedTenant, namespace: AuditedObject): Finding[] {
  const base = { object: describeObject(namespace), tenant: tenant.name };
  const name = namespace.metadata.name;
  const unions = directions.map((direction) => ({ direction, union: unionIn(context, name, direction) }));
  const findings: Finding[] = [];
  const open = unions.filter(({ union }) => !deniesByDefault(union));
  if (open.length) {
    findings.push({
      ...base,
      severity: 'high',
      rule: 'namespace-no-default-deny',
      message: open.map(({ direction, union }) => whyNotDenied(direction, union)).join('; '),
      fix: 'keep one NetworkPolicy selecting every pod (podSelector: {}) with policyTypes [Ingress, Egress] and no rules, and delete any rule that admits everything (ingress: [{}], egress: [{}]): policies add up',
    });
  }
  for (const { direction, union } of unions) {
    const judged = union.openings
      .filter((opening) => !opensEverything(opening))
      .flatMap((opening) => judgeOpening(context, tenant, name, direction, opening));
    findings.push(...ownRuleFindings(base, judged));
    const opened = judged.filter((o) => !o.rule);
    if (!opened.length) continue;
    findings.push({
      ...base,
      severity: opened.some((o) => o.severity === 'high') ? 'high' : 'medium',
      rule: `namespace-${direction}-open`,
      message: [...new Set(opened.map((o) => o.what))].join('; '),
      fix: `delete those rules: Landlord's policies already let the tenant's namespaces reach each other, ${direction === 'ingress' ? 'and admit the ingress controller' : 'and reach DNS on port 53'}; anything more is the platform team's to grant`,
    });
  }
  return findings;
}

/** Openings judged under a rule of their own (a house's host API or Argo CD egress): one finding per rule. */
function ownRuleFindings(base: { object: string; tenant: string }, judged: Opened[]): Finding[] {
  const rules = [...new Set(judged.flatMap((o) => (o.rule ? [o.rule] : [])))];
  return rules.map((rule) => {
    const opened = judged.filter((o) => o.rule === rule);
    const severity: Severity = opened.some((o) => o.severity === 'high') ? 'high' : 'medium';
    return {
      ...base,
      severity,
      rule,
      message: [...new Set(opened.map((o) => o.what))].join('; '),
      fix: houseRuleFixes[rule] ?? '',
    };
  });
}

function whyNotDenied(direction: Direction, union: DirectionUnion): string {
  if (!union.isolating.length)
    return `${direction}: no NetworkPolicy selects every pod for ${direction}, so pods no policy selects are open to everything`;
  const voiding = [...new Set(union.openings.filter(opensEverything).map((o) => o.policy))];
  // Name the pure denies (no rules of their own) when there are any: they are what the reader thinks holds.
  const pureDenies = union.isolating.filter((policy) => !union.openings.some((o) => o.policy === policy));
  const denying = pureDenies.length ? pureDenies : union.isolating.filter((policy) => !voiding.includes(policy));
  const admits = `NetworkPolicy ${voiding.join(', ')} admits everything to every pod`;
  return denying.length
    ? `${direction}: ${admits} beside ${denying.join(', ')}; policies add up, so the deny is void`
    : `${direction}: ${admits}`;
}

/** Whether one opening of a tenant namespace reaches beyond what the tenant needs, and how. */
function judgeOpening(
  context: NetworkContext,
  tenant: AuditedTenant,
  namespace: string,
  direction: Direction,
  opening: Opening,
): Opened[] {
  const { reach } = opening;
  const where = `NetworkPolicy ${namespace}/${opening.policy} lets ${describeSelector(opening.pods)} ${direction === 'ingress' ? 'be reached from' : 'reach'}`;
  const on = `on ${describePorts(opening.ports)}`;
  const house = tenant.house ? judgeHouseOpening(context.options, direction, opening, where) : undefined;
  if (house) return house;
  if (reach.kind === 'everything') return [{ severity: 'high', what: `${where} anything ${on}` }];
  if (reach.kind === 'any-namespace') return [{ severity: 'high', what: `${where} every namespace ${on}` }];
  if (reach.kind === 'ip-block') {
    const every = coversEveryAddress(reach.cidr);
    const except = reach.except.length ? ` except ${reach.except.join(', ')}` : '';
    return [
      {
        severity: every ? 'high' : 'medium',
        what: `${where} ${every ? 'every address' : 'addresses'} ${reach.cidr}${except} ${on}`,
      },
    ];
  }
  return reach.namespaces
    .filter((other) => !tenant.namespaces.has(other))
    .flatMap((other) => judgeNamespace(context, direction, opening, other))
    .map((judged) => ({ severity: judged.severity, what: `${where} ${judged.what} ${on}` }));
}

/** Traffic between a tenant namespace and another namespace: another tenant, the platform, or elsewhere. */
function judgeNamespace(context: NetworkContext, direction: Direction, opening: Opening, other: string): Opened[] {
  const { options } = context;
  const owner = context.owners.get(other);
  if (owner) return [{ severity: 'high', what: `${owner.name}'s namespace ${other}` }];
  // Ingress from the platform's own namespaces (the ingress controller, monitoring) is the platform's business.
  if (direction === 'ingress') return [];
  if (other === options.dnsNamespace && onlyOnPorts(opening.ports, dnsPorts)) return [];
  if (other === options.ingressNamespace && onlyOnPorts(opening.ports, ingressControllerPorts)) return [];
  if (other === options.dnsNamespace) return [{ severity: 'high', what: `${other} beyond DNS (port 53)` }];
  if (other === options.ingressNamespace)
    return [{ severity: 'high', what: `the ingress controller's namespace ${other} beyond ports 80 and 443` }];
  if (options.platformNamespaces.includes(other))
    return [{ severity: 'high', what: `the platform namespace ${other}` }];
  return [{ severity: 'medium', what: `namespace ${other}, which is no tenant's` }];
}

function checkPlatformNamespace(context: NetworkContext, namespace: AuditedObject): Finding[] {
  const union = unionIn(context, namespace.metadata.name, 'ingress');
  if (deniesByDefault(union)) return [];
  return [
    {
      severity: 'high',
      rule: 'platform-namespace-no-default-deny',
      object: describeObject(namespace),
      message: `${whyNotDenied('ingress', union)}: any tenant's pod can reach the platform's services here (Argo CD's repo-server and redis, the operator, the directory)`,
      fix: 'add a NetworkPolicy selecting every pod (podSelector: {}) with policyTypes [Ingress] and no rules, then allow exactly the traffic each component needs',
    },
  ];
}
