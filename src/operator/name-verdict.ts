import type { PlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import type { Informer } from '../kube/informer.ts';
import { nameProblem, spacesMeet } from '../tenancy/name-claims.ts';

/**
 * Whether tenant `a` has its names before `b`: a tenant that already holds objects keeps them against one that
 * holds none (a newcomer created in the same second never dislodges a provisioned tenant); otherwise the one
 * created first, the name deciding a tie. Only what the Tenants record counts (their metadata and
 * status.heldObjects), never what the operator happened to see first, so every replica, after any restart,
 * reaches the same verdict; and a refused tenant applies nothing, so the verdict never turns.
 */
export function holdsNamesBefore(a: Tenant, b: Tenant): boolean {
  const [ha, hb] = [holdsObjects(a), holdsObjects(b)];
  if (ha !== hb) return ha;
  const [ta, tb] = [a.metadata.creationTimestamp ?? '', b.metadata.creationTimestamp ?? ''];
  return ta < tb || (ta === tb && a.metadata.name < b.metadata.name);
}

function holdsObjects(tenant: Tenant): boolean {
  return (tenant.status?.heldObjects?.length ?? 0) > 0;
}

/**
 * The index keys of a tenant's names: its teamName, and `space:<p>` for every team name p whose space it lies in
 * (each dash-prefix of it, `fin` and `fin-payments` for `fin-payments-eu`), so both sides of a meeting are found
 * by lookup, not by scanning every tenant.
 */
export function teamIndexKeys(teamName: string): string[] {
  return [teamName, ...dashPrefixes(teamName).map((prefix) => `space:${prefix}`)];
}

/** The proper prefixes of a name that end before one of its dashes: `fin`, `fin-payments` for `fin-payments-eu`. */
function dashPrefixes(name: string): string[] {
  const prefixes: string[] = [];
  for (let dash = name.indexOf('-'); dash > 0; dash = name.indexOf('-', dash + 1)) prefixes.push(name.slice(0, dash));
  return prefixes;
}

/**
 * The other tenants whose team's space meets this teamName's (the same teamName included): those it lies in
 * (itself and its dash-prefixes) and those lying in its own space (indexed under `space:<teamName>`).
 */
export function tenantsMeeting(tenants: Informer<Tenant>, teamName: string): Tenant[] {
  const keys = [teamName, ...dashPrefixes(teamName), `space:${teamName}`];
  return keys.flatMap((key) => tenants.byIndex(key)).filter((other) => spacesMeet(other.spec.teamName, teamName));
}

/**
 * Why a tenant's names cannot be its own (ADR 20): a name the platform keeps, or a teamName whose
 * space meets that of a tenant holding its names before it (which wins). Checked before anything is applied.
 */
export function nameVerdict(
  tenants: Informer<Tenant>,
  tenant: Tenant,
  platform: PlatformConfig,
): { reason: string; message: string } | undefined {
  const earlier = tenantsMeeting(tenants, tenant.spec.teamName).filter(
    (other) => other.metadata.name !== tenant.metadata.name && holdsNamesBefore(other, tenant),
  );
  const problem = nameProblem(
    tenant,
    earlier.sort((a, b) => (holdsNamesBefore(a, b) ? -1 : 1)),
    platform,
  );
  return problem && { reason: problem.reason, message: problem.message };
}
