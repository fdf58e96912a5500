import type { FastifyInstance } from 'fastify';
import { visibleTenant } from '../authorization.ts';
import type { PortalContext } from '../context.ts';
import { PortalError } from '../errors.ts';
import { csrfGuard } from '../guards.ts';
import { buildHouseKubeconfig, buildKubeconfig } from '../kubeconfig-file.ts';

/**
 * Kubeconfig downloads: a short-lived token of the person's own ServiceAccount in the tenant, bound to its namespaces;
 * for a house, their own ServiceAccount inside it, with the team's entitlement there.
 */
export function registerAccessRoutes(app: FastifyInstance, context: PortalContext): void {
  app.post(
    '/api/v1/tenants/:name/kubeconfig',
    {
      preHandler: csrfGuard(app),
      schema: {
        summary: "A kubeconfig for the tenant's namespaces, or inside its house (a short-lived token of your own)",
        tags: ['access'],
      },
    },
    async (request, reply) => {
      // The directory's answer now, not the one at sign-in: a member removed from the group gets nothing more.
      const user = await context.freshUser(request);
      const { name } = request.params as { name: string };
      let file = '';
      let expiresAt = '';
      await context.audited(user, 'issue-kubeconfig', name, async () => {
        const found = visibleTenant(context, user, name);
        if (found.status?.phase !== 'Ready' || found.metadata.deletionTimestamp) {
          throw new PortalError(
            409,
            'not-ready',
            `${name} is ${found.status?.phase ?? 'Pending'}: a kubeconfig is available once it is Ready`,
          );
        }
        if (found.spec.isolation === 'vcluster') {
          // Inside the house, their own ServiceAccount, minted with the operator's per-house credential.
          if (!context.houseAccess) throw new PortalError(503, 'house-access', 'this portal issues no house access');
          const issued = await context.houseAccess.issue(found, user);
          expiresAt = issued.expiresAt;
          file = buildHouseKubeconfig({ team: found.spec.teamName, ...issued });
          return { tenant: found, details: { expiresAt, identity: issued.identity, house: issued.server } };
        }
        // The person's own identity in the tenant: the audit trail names them, and they can be cut off alone.
        const issued = await context.access.issue(found, user);
        expiresAt = issued.expiresAt;
        file = buildKubeconfig({
          tenant: name,
          namespace: found.spec.teamName,
          endpoint: context.endpoint,
          token: issued.token,
        });
        return { tenant: found, details: { expiresAt, identity: issued.identity } };
      });
      return reply
        .header('content-type', 'application/yaml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}-kubeconfig.yaml"`)
        .header('cache-control', 'no-store')
        .header('x-token-expires-at', expiresAt)
        .send(file);
    },
  );
}
