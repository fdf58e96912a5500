import type { PlatformConfig } from '../../api/platform-config.ts';
import type { Tenant } from '../../api/tenant.ts';
import type { GitForge, PushWebhook, RepositoryRef } from '../../integrations/git/git-forge.ts';
import { isHouse } from '../../tenancy/house/is-house.ts';
import { hasHouseArgoCd } from '../../tenancy/house/tenant-argocd.ts';
import { houseWebhookSecret, houseWebhookURL } from '../../tenancy/house/webhook-secret.ts';
import type { Integrations } from '../external-integration.ts';

/** The name the Git factory has among the operator's integrations (its external concern's). */
const gitIntegrationName = 'git';

/** What the Git factory tells the house's side of the operator: the secret a house's pushes are signed with. */
export interface HouseWebhookSource {
  /** The secret of the house's webhook, or undefined when pushes are not announced (no host secret given). */
  houseWebhookSecret(tenant: Tenant): string | undefined;
}

/** The house's webhook: to its own Argo CD, signed with a secret derived for it; undefined when it has none. */
export function houseWebhookFor(
  host: PushWebhook | undefined,
  tenant: Tenant,
  platform: PlatformConfig,
): PushWebhook | undefined {
  if (!host || !hasHouseArgoCd(tenant)) return undefined;
  return { url: houseWebhookURL(tenant, platform), secret: houseWebhookSecret(host.secret, tenant) };
}

/**
 * A house's repository announces pushes to the house's Argo CD too, while it has one; once it has none (turned off)
 * Landlord's hook to it goes, so the forge posts nothing to an address that may come to serve something else.
 */
export async function keepHouseWebhook(
  forge: GitForge,
  repository: RepositoryRef,
  tenant: Tenant,
  platform: PlatformConfig,
  host: PushWebhook,
): Promise<void> {
  if (!isHouse(tenant)) return;
  const hook = houseWebhookFor(host, tenant, platform);
  if (hook) await forge.ensureWebhook(repository, hook);
  else await forge.removeWebhook(repository, houseWebhookURL(tenant, platform));
}

/** The house's webhook secret from the operator's Git factory, or undefined when there is none or it signs nothing. */
export function houseWebhookSecretOf(integrations: Integrations, tenant: Tenant): string | undefined {
  const git = integrations.get(gitIntegrationName) as Partial<HouseWebhookSource> | undefined;
  return git?.houseWebhookSecret?.(tenant);
}
