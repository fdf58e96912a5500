import type { FastifyInstance } from 'fastify';
import { tenantSchema } from '../../api/crd.ts';
import { visibleTenant } from '../authorization.ts';
import type { PortalContext } from '../context.ts';
import { requireUser } from '../guards.ts';
import { TenantListCache } from '../tenant-list-cache.ts';
import { tenantSummary } from '../tenant-summary.ts';

/** Listing and reading tenants: a user sees only the tenants of their groups; admins see all. */
export function registerTenantRoutes(app: FastifyInstance, context: PortalContext): void {
  const lists = new TenantListCache(context.tenants, context.policy);
  app.get(
    '/api/v1/tenants',
    { schema: { summary: 'The tenants you can see, by name, with their phase', tags: ['tenants'] } },
    async (request, reply) => {
      const user = requireUser(request);
      return reply.type('application/json; charset=utf-8').send(lists.answerFor(user));
    },
  );

  app.get(
    '/api/v1/schema/tenant',
    {
      schema: {
        summary: "The Tenant spec schema the API server enforces (the form's choices and limits)",
        tags: ['tenants'],
      },
    },
    async () => ({ spec: tenantSchema.properties?.spec }),
  );

  app.get(
    '/api/v1/tenants/:name',
    { schema: { summary: 'One tenant: its request and live status; 404 when not yours', tags: ['tenants'] } },
    async (request) => {
      const user = requireUser(request);
      const { name } = request.params as { name: string };
      // The same answer for "not there" and "not yours": no way to probe other teams' tenants.
      return tenantSummary(visibleTenant(context, user, name), context.tenants.quotaOf(name));
    },
  );
}
