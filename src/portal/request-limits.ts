import type { PlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import { judgeLimits } from '../tenancy/ceilings.ts';
import { PortalError } from './errors.ts';

/**
 * Refuses a request beyond the platform's ceilings per tenant or its group's budget (given the tenants that exist),
 * naming each limit, the value asked and what is allowed; the operator refuses the same however a Tenant arrives.
 */
export function refuseBeyondLimits(tenant: Tenant, existing: readonly Tenant[], platform: PlatformConfig): void {
  const verdict = judgeLimits(tenant, existing, platform);
  if (verdict.within) return;
  const code = verdict.reason === 'CeilingExceeded' ? 'above-ceiling' : 'above-budget';
  const fields = verdict.problems.map((problem) => ({ path: problem.field, message: problem.message }));
  throw new PortalError(422, code, verdict.message, fields);
}
