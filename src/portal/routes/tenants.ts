import type { FastifyInstance } from 'fastify';
import { type PortalOptions, requireUser } from '../app.ts';
import { canSee } from '../authorization.ts';
import { PortalError } from '../errors.ts';
import { tenantSummary } from '../tenant-summary.ts';

/** Listing and reading tenants: a user sees only the tenants of their groups; admins see all. */
export function registerTenantRoutes(app: FastifyInstance, options: PortalOptions): void {
  app.get('/api/v1/tenants', async (request) => {
    const user = requireUser(request);
    const visible = options.tenants.list().filter((tenant) => canSee(user, tenant, options.policy));
    return { items: visible.map(tenantSummary).sort((a, b) => a.name.localeCompare(b.name)) };
  });

  app.get('/api/v1/tenants/:name', async (request) => {
    const user = requireUser(request);
    const { name } = request.params as { name: string };
    const tenant = options.tenants.get(name);
    // The same answer for "not there" and "not yours": no way to probe other teams' tenants.
    if (!tenant || !canSee(user, tenant, options.policy)) {
      throw new PortalError(404, 'not-found', `no tenant ${name} that you can see`);
    }
    return tenantSummary(tenant);
  });
}
