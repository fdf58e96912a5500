import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { KubeHttp } from '../kube/http.ts';
import type { Connection } from '../kube/kubeconfig.ts';
import { personAccessIssuer } from './access-tokens.ts';
import { houseAccessIssuer } from './house-access-tokens.ts';
import { buildPortal } from './app.ts';
import type { PortalOptions } from './context.ts';
import type { ClusterEndpoint } from './kubeconfig-file.ts';
import { type SmtpSettings, smtpMailer } from './mailer.ts';
import { ClusterSpareNodes } from './spare-nodes.ts';
import { ClusterTenantView } from './tenant-view.ts';
import { reviewPolicy } from './review-branch.ts';
import { directWriter, gitopsWriter } from './tenant-writers.ts';
import { type ForgePlatformRepository, pullRequestWriter } from './pull-request-writer.ts';
import { pullRequestsFor } from '../integrations/git/forge-for.ts';
import { apiPath } from '../kube/api-path.ts';
import { resources } from '../kube/resources.ts';

/** The built web UI, when `npm run build:web` has run. */
export const defaultWebRoot = join(import.meta.dirname, '..', '..', 'web', 'dist');

/** A running portal on a cluster. */
export interface PortalServerSettings extends Pick<
  PortalOptions,
  | 'publicURL'
  | 'oidc'
  | 'policy'
  | 'platform'
  | 'sessionSecret'
  | 'sessionTtlSeconds'
  | 'sessionLimits'
  | 'groupCheckSeconds'
  | 'audit'
  | 'log'
  | 'rateLimitPerMinute'
> {
  connection: Connection;
  /** Act as this user (the portal's ServiceAccount, to run with its RBAC from an admin kubeconfig). */
  impersonate?: string;
  host: string;
  port: number;
  /** direct: the portal creates Tenants; gitops: it commits them to the platform repository. */
  mode: 'direct' | 'gitops';
  platformRepoURL?: string;
  /**
   * The platform repository on a forge (GitOps mode): requests become pull requests, and its push webhook tells
   * Argo CD (platformApplication is not refreshed). `url` is the forge's address.
   */
  platformForge?: ForgePlatformRepository & { url: string };
  /** The Argo CD Application syncing the platform repo: refreshed after each commit, as a webhook would. */
  platformApplication?: { namespace: string; name: string };
  tokenLifetimeSeconds: number;
  /** What downloaded kubeconfigs point at; the portal's own connection when absent. */
  endpoint?: ClusterEndpoint;
  smtp?: SmtpSettings;
  webRoot?: string;
}

/** Starts watching the cluster and serving; close() stops both. */
export async function startPortalServer(
  settings: PortalServerSettings,
): Promise<{ app: FastifyInstance; url: string; tenants: ClusterTenantView }> {
  const http = new KubeHttp(settings.connection, settings.impersonate ? { user: settings.impersonate } : undefined);
  const tenants = new ClusterTenantView(http, (error) => settings.log?.(`[portal] watch: ${(error as Error).message}`));
  const spareNodes = new ClusterSpareNodes(http, settings.platform.nodePools, (error) =>
    settings.log?.(`[portal] watch nodes: ${(error as Error).message}`),
  );
  await Promise.all([tenants.start(), spareNodes.start()]);
  const webRoot = settings.webRoot ?? defaultWebRoot;
  const app = await buildPortal({
    ...settings,
    tenants,
    spareNodes,
    writer: tenantWriter(settings, http),
    access: personAccessIssuer(http, settings.tokenLifetimeSeconds),
    houseAccess: houseAccessIssuer(http, settings.tokenLifetimeSeconds),
    endpoint: settings.endpoint ?? {
      server: settings.connection.server,
      certificateAuthorityData: settings.connection.ca?.toString('base64'),
    },
    mailer: settings.smtp ? smtpMailer(settings.smtp) : undefined,
    webRoot: existsSync(join(webRoot, 'index.html')) ? webRoot : undefined,
  });
  app.addHook('onClose', async () => {
    await Promise.all([tenants.stop(), spareNodes.stop()]);
    http.close();
  });
  await app.listen({ host: settings.host, port: settings.port });
  if (!existsSync(join(webRoot, 'index.html')))
    settings.log?.(`[portal] no web UI at ${webRoot} (npm run build:web); serving the API only`);
  return { app, url: `http://${settings.host}:${settings.port}`, tenants };
}

/** Where requests go: the platform repository in GitOps mode, the API server otherwise. */
function tenantWriter(settings: PortalServerSettings, http: KubeHttp) {
  if (settings.mode === 'direct') return directWriter(http);
  const onForge = settings.platformForge;
  if (onForge) {
    const forge = pullRequestsFor(settings.platform.git.factory.provider, onForge.url, onForge.machine.token);
    return pullRequestWriter(onForge, forge, settings.platform);
  }
  if (!settings.platformRepoURL) throw new Error('GitOps mode needs the platform repository URL (--platform-repo)');
  const application = settings.platformApplication;
  const review = reviewPolicy(settings.platformRepoURL, settings.platform);
  if (!application) return gitopsWriter(settings.platformRepoURL, undefined, review);
  return gitopsWriter(settings.platformRepoURL, () => refreshApplication(http, application, settings.log), review);
}

/** Asks Argo CD to look at the repository now; a failure only delays the sync until Argo CD's next poll. */
async function refreshApplication(
  http: KubeHttp,
  application: { namespace: string; name: string },
  log: PortalServerSettings['log'],
): Promise<void> {
  await http
    .request({
      method: 'PATCH',
      path: apiPath(resources.argoApplication, { namespace: application.namespace, name: application.name }),
      body: { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } } },
      contentType: 'application/merge-patch+json',
    })
    .catch((error: Error) => log?.(`[portal] refreshing ${application.name} failed: ${error.message}`));
}
