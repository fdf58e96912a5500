import { after } from 'node:test';
import { environmentPorts } from '../../src/dev/cluster/local-cluster.ts';
import { dexClients } from '../../src/dev/identity/lifecycle.ts';
import { MailCatcher } from '../../src/dev/mail/mail-catcher.ts';
import { loadConnection } from '../../src/kube/kubeconfig.ts';
import type { AuditLine } from '../../src/portal/audit-log.ts';
import { type PortalServerSettings, startPortalServer } from '../../src/portal/server.ts';
import { testCluster, testEnvironment } from './cluster.ts';
import { applyDeployRbac } from './deploy-rbac.ts';
import { identitySecrets } from './directory.ts';

/** The portal's ServiceAccount: tests run the portal with exactly the rights deploy/rbac/portal.yaml grants. */
export const portalServiceAccount = 'system:serviceaccount:landlord-system:landlord-portal';

/**
 * The portal on the test environment's portal port (the one Dex redirects to), as its ServiceAccount, with a
 * real SMTP server catching its mail and its audit lines collected. Closed after the file's tests.
 */
export async function startTestPortal(overrides: Partial<PortalServerSettings> = {}) {
  const { cluster, kubeconfig } = testCluster();
  const { identity } = testEnvironment();
  const ports = environmentPorts(cluster);
  await applyDeployRbac('portal.yaml');
  const mail = new MailCatcher();
  await mail.listen(ports.smtp);
  const audit: AuditLine[] = [];
  const logs: string[] = [];
  const { app, url, tenants } = await startPortalServer({
    connection: loadConnection(kubeconfig),
    impersonate: portalServiceAccount,
    host: '127.0.0.1',
    port: ports.portal,
    publicURL: `http://127.0.0.1:${ports.portal}`,
    oidc: {
      issuer: identity.issuer,
      clientID: dexClients.portal,
      clientSecret: identitySecrets().clientSecrets.portal,
    },
    policy: { requesterGroups: ['devteam-a', 'devteam-b'], adminGroups: ['platform-admins'] },
    platform: testEnvironment().platform,
    sessionSecret: 'a-test-session-secret-of-at-least-32-characters',
    sessionTtlSeconds: 600,
    mode: 'direct',
    tokenLifetimeSeconds: 600,
    smtp: { host: '127.0.0.1', port: ports.smtp, from: 'Landlord <landlord@landlord.local>' },
    audit: (line) => audit.push(line),
    log: (line) => logs.push(line),
    ...overrides,
  });
  after(async () => {
    await app.close();
    await mail.close();
  });
  return { url, app, tenants, mail, audit, logs };
}
