import type { PlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import { nameProblem } from '../tenancy/name-claims.ts';
import { PortalError } from './errors.ts';

/**
 * Refuses a request whose teamName the platform keeps (422) or whose team's space meets an existing tenant's
 * (409), naming the reserved name or the other tenant: names are a tree (ADR 20), so the portal
 * refuses before anything is written, and the operator refuses whatever still arrives.
 */
export function refuseNamesTaken(tenant: Tenant, existing: Tenant[], platform: PlatformConfig): void {
  const problem = nameProblem(tenant, existing, platform);
  if (!problem) return;
  const status = problem.reason === 'NameReserved' ? 422 : 409;
  const code = problem.reason === 'NameReserved' ? 'reserved' : 'name-taken';
  // The problem names `teamName "<value>"`: as a field of the request, spec.teamName.
  const message = `spec.${problem.message}`;
  throw new PortalError(status, code, message, [{ path: 'spec.teamName', message }]);
}
