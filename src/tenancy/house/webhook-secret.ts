import { createHmac } from 'node:crypto';
import type { PlatformConfig } from '../../api/platform-config.ts';
import type { Tenant } from '../../api/tenant.ts';
import { argoCdWebhookSettings } from '../argocd-webhook-settings.ts';
import { houseArgoCdURL } from '../house-address.ts';
import type { Manifest } from '../manifest.ts';
import { houseArgoCdNamespace } from '../names.ts';

/** The Secret a house's Argo CD reads its settings' secrets from (upstream's; Landlord adds the webhook keys). */
export const houseArgoCdSecretName = 'argocd-secret';

/** Where the forge announces a push to a house's own Argo CD. */
export const houseWebhookURL = (tenant: Tenant, platform: PlatformConfig) =>
  `${houseArgoCdURL(tenant, platform)}/api/webhook`;

/**
 * The secret pushes to a house's Argo CD are signed with: an HMAC-SHA256 of the tenant's UID keyed by the host's
 * webhook secret, so nothing new is stored, it never equals the host's, and a team (cluster-admin in its house, so
 * able to read it) learns nothing of the host's secret or of another house's. A tenant recreated under the name has
 * another UID, so another secret.
 */
export function houseWebhookSecret(hostSecret: string, tenant: Tenant): string {
  if (!hostSecret) throw new Error('houseWebhookSecret: the host webhook secret is empty; a house secret needs one');
  const uid = tenant.metadata.uid ?? tenant.metadata.name;
  return createHmac('sha256', hostSecret).update(`house:${uid}`).digest('hex');
}

/**
 * What Landlord holds of the house's argocd-secret: the webhook secret under every provider's key (Argo CD checks
 * nothing for a provider without one). Only these keys: the rest (its signing key) is Argo CD's own.
 */
export function buildHouseWebhookSecret(secret: string): Manifest {
  const data = Object.fromEntries(
    Object.entries(argoCdWebhookSettings(secret)).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
  );
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: houseArgoCdSecretName, namespace: houseArgoCdNamespace },
    type: 'Opaque',
    data,
  };
}
