import type { PlatformConfig } from '../../api/platform-config.ts';
import { forgeFor } from '../../integrations/git/forge-for.ts';
import type { Integrations } from '../external-integration.ts';
import { gitFactory } from './git-factory.ts';

/** The host Argo CD's webhook endpoint: where every team repository's pushes are announced. */
export const hostWebhookURL = (platform: PlatformConfig) => `${platform.argocd.url}/api/webhook`;

/** The operator's integrations: the Git factory when git.factory is on (with the forge's token and the webhook's secret). */
export function gitIntegrations(
  platform: PlatformConfig,
  files: { token: string; webhookSecret?: string } | undefined,
): Integrations {
  if (!files) return new Map();
  const webhook = files.webhookSecret ? { url: hostWebhookURL(platform), secret: files.webhookSecret } : undefined;
  return new Map([['git', gitFactory(forgeFor(platform.git, files.token), webhook ? { webhook } : {})]]);
}
