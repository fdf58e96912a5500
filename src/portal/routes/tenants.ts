import type { FastifyInstance } from 'fastify';
import { tenantSchema } from '../../api/crd.ts';
import { type PortalContext, requireUser } from '../app.ts';
import { canSee } from '../authorization.ts';
import { tenantSummary } from '../tenant-summary.ts';
import { visibleTenant } from './requests.ts';

/** Listing and reading tenants: a user sees only the tenants of their groups; admins see all. */
export function registerTenantRoutes(app: FastifyInstance, context: PortalContext): void {
  app.get('/api/v1/tenants', { schema: { summary: 'The tenants you can see', tags: ['tenants'] } }, async (request) => {
    const user = requireUser(request);
    const visible = context.tenants.list().filter((tenant) => canSee(user, tenant, context.policy));
    const items = visible.map((tenant) => tenantSummary(tenant, context.tenants.quotaOf(tenant.metadata.name)));
    return { items: items.sort((a, b) => a.name.localeCompare(b.name)) };
  });

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
