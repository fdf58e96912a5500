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

/** The other tenants whose team's space meets this teamName's (the same teamName included). */
export function tenantsMeeting(tenants: Informer<Tenant>, teamName: string): Tenant[] {
  return (
    tenants
      .indexKeys()
      // Team names only: the index also holds `adGroup:<group>` keys (the budget's), which no team name has.
      .filter((other) => !other.includes(':') && spacesMeet(other, teamName))
      .flatMap((other) => tenants.byIndex(other))
  );
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
