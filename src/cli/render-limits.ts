import type { PlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import { judgeLimits } from '../tenancy/ceilings.ts';
import { CliError, ExitCode } from './exit-codes.ts';

/**
 * The rendered layout reaches the cluster without the operator: tenants beyond the platform's ceilings, or
 * groups beyond their budget (the files together, served by name), are refused here as the operator would.
 */
export function refuseBeyondLimits(tenants: readonly Tenant[], platform: PlatformConfig): void {
  const problems = tenants.flatMap((tenant) => {
    const verdict = judgeLimits(tenant, tenants, platform);
    return verdict.within ? [] : [`Tenant ${tenant.metadata.name}: ${verdict.message}`];
  });
  if (problems.length) throw new CliError(`${problems.join('\n')}\nnothing written`, ExitCode.invalid);
}
