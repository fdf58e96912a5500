import type { PlatformConfig, TenantLimits } from '../api/platform-config.ts';
import type { Tenant, TenantSpec } from '../api/tenant.ts';
import { formatQuantity, parseQuantity } from './quantity.ts';

/** One limit a spec goes beyond: the field, which limit, and a message naming the value asked and what is allowed. */
export interface LimitProblem {
  /** The field at fault, as the API names it: spec.resourceQuota.cpu, spec.nodePool.size. */
  field: string;
  limit: 'ceiling' | 'budget';
  message: string;
}

/** The verdict on a spec: within limits, or refused with the reason a condition carries and every problem. */
export type LimitsVerdict =
  | { within: true }
  | { within: false; reason: 'CeilingExceeded' | 'BudgetExceeded'; problems: LimitProblem[]; message: string };

/** What a spec asks for, per limited resource, in thousandths (quantities) or nodes. */
type Asked = Record<keyof TenantLimits, bigint>;

const quantities = ['cpu', 'memory', 'storage'] as const;
const fieldOf: Record<keyof TenantLimits, string> = {
  cpu: 'spec.resourceQuota.cpu',
  memory: 'spec.resourceQuota.memory',
  storage: 'spec.resourceQuota.storage',
  nodePoolNodes: 'spec.nodePool.size',
};

/** What a spec asks for; a quantity Kubernetes would not read counts as unbounded (the CRD refuses it anyway). */
function asked(spec: TenantSpec): Asked {
  const read = (quantity: string) => {
    try {
      return parseQuantity(quantity);
    } catch {
      return BigInt(Number.MAX_SAFE_INTEGER) ** 4n;
    }
  };
  return {
    cpu: read(spec.resourceQuota.cpu),
    memory: read(spec.resourceQuota.memory),
    storage: read(spec.resourceQuota.storage),
    nodePoolNodes: BigInt(spec.nodePool?.size ?? 0),
  };
}

/** A limit in the unit `asked` uses. */
function limitOf(limits: TenantLimits, key: keyof TenantLimits): bigint {
  return key === 'nodePoolNodes' ? BigInt(limits.nodePoolNodes) : parseQuantity(limits[key]);
}

/** An amount as a person reads it: a quantity, or a number of nodes. */
function show(key: keyof TenantLimits, amount: bigint): string {
  if (key === 'nodePoolNodes') return `${amount} node(s)`;
  return formatQuantity(amount);
}

/** The value as the spec wrote it (100k stays 100k). */
function given(spec: TenantSpec, key: keyof TenantLimits): string {
  return key === 'nodePoolNodes' ? `${spec.nodePool?.size ?? 0} node(s)` : spec.resourceQuota[key];
}

/** Where a spec goes beyond the platform's ceilings for one tenant. */
export function ceilingProblems(spec: TenantSpec, platform: PlatformConfig): LimitProblem[] {
  const wanted = asked(spec);
  const ceilings = platform.tenantCeilings;
  return (['cpu', 'memory', 'storage', 'nodePoolNodes'] as const)
    .filter((key) => wanted[key] > limitOf(ceilings, key))
    .map((key) => ({
      field: fieldOf[key],
      limit: 'ceiling' as const,
      message: `${fieldOf[key]}: ${given(spec, key)} is above the platform's ceiling of ${show(key, limitOf(ceilings, key))} per tenant`,
    }));
}

/**
 * Where a spec would take its directory group beyond the group's budget, given what the group's other tenants
 * hold (budgetHolders says which those are).
 */
export function budgetProblems(spec: TenantSpec, holders: readonly TenantSpec[], platform: PlatformConfig) {
  const wanted = asked(spec);
  const budget = platform.groupBudget;
  const held: Asked = { cpu: 0n, memory: 0n, storage: 0n, nodePoolNodes: 0n };
  for (const other of holders) {
    const theirs = asked(other);
    for (const key of [...quantities, 'nodePoolNodes'] as const) held[key] += theirs[key];
  }
  return (['cpu', 'memory', 'storage', 'nodePoolNodes'] as const)
    .filter((key) => held[key] + wanted[key] > limitOf(budget, key))
    .map((key): LimitProblem => ({
      field: fieldOf[key],
      limit: 'budget',
      message:
        `${fieldOf[key]}: ${given(spec, key)} would bring group ${spec.adGroup} to ${show(key, held[key] + wanted[key])}, ` +
        `above its budget of ${show(key, limitOf(budget, key))} (its other tenants hold ${show(key, held[key])}; ` +
        `at most ${show(key, limitOf(budget, key) - held[key] > 0n ? limitOf(budget, key) - held[key] : 0n)} is left)`,
    }));
}

/**
 * The specs that count against a tenant's group budget: every other tenant of the same group at what it was last
 * accepted with (`status.acceptedSpec`, written by the operator alone), and tenants not yet accepted only when
 * older and within the ceilings, so the first to ask is served first and a refused request blocks nobody.
 */
export function budgetHolders(tenant: Tenant, others: readonly Tenant[], platform: PlatformConfig): TenantSpec[] {
  const holders: TenantSpec[] = [];
  for (const other of others) {
    if (other.metadata.name === tenant.metadata.name) continue;
    const accepted = acceptedSpecOf(other);
    if (accepted) {
      if (accepted.adGroup === tenant.spec.adGroup) holders.push(accepted);
    } else if (
      other.spec.adGroup === tenant.spec.adGroup &&
      isOlder(other, tenant) &&
      ceilingProblems(other.spec, platform).length === 0
    ) {
      holders.push(other.spec);
    }
  }
  return holders;
}

/** The spec the operator last applied, if it applied one. */
export function acceptedSpecOf(tenant: Tenant): TenantSpec | undefined {
  return (tenant.status as { acceptedSpec?: TenantSpec } | undefined)?.acceptedSpec;
}

/** Older by creation, the name breaking ties; a request not yet created is the newest of all. */
function isOlder(a: Tenant, b: Tenant): boolean {
  const [ta, tb] = [a.metadata.creationTimestamp ?? '\uffff', b.metadata.creationTimestamp ?? '\uffff'];
  return ta < tb || (ta === tb && a.metadata.name < b.metadata.name);
}

/** Judges a tenant's spec against the ceilings first, then its group's budget given the other tenants. */
export function judgeLimits(tenant: Tenant, others: readonly Tenant[], platform: PlatformConfig): LimitsVerdict {
  const ceiling = ceilingProblems(tenant.spec, platform);
  if (ceiling.length > 0) return refused('CeilingExceeded', ceiling);
  const budget = budgetProblems(tenant.spec, budgetHolders(tenant, others, platform), platform);
  if (budget.length > 0) return refused('BudgetExceeded', budget);
  return { within: true };
}

function refused(reason: 'CeilingExceeded' | 'BudgetExceeded', problems: LimitProblem[]): LimitsVerdict {
  return { within: false, reason, problems, message: problems.map((problem) => problem.message).join('; ') };
}
