import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { tenantSchema } from '../api/crd.ts';

/** The request body schema: the CRD's own spec schema, so the description cannot drift from what is enforced. */
export const tenantRequestSchema = {
  type: 'object',
  required: ['spec'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', description: "The Tenant's name; the team's name when omitted." },
    spec: { $ref: 'TenantSpec#' },
  },
};

/** Serves the API's OpenAPI description at /api/v1/openapi.json, built from the routes' schemas. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  app.addSchema({ $id: 'TenantSpec', ...tenantSchema.properties?.spec });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Landlord portal API',
        version: 'v1',
        description:
          'Request, watch, use and decommission tenants. Sign in at /auth/login; state-changing calls need the ' +
          'X-CSRF-Token header from GET /api/v1/session. Errors: {"error": {"code", "message", "fields": [{"path", ' +
          '"message", "pattern"?}]}}: each field\'s message names it, quotes the value given and says what is allowed ' +
          'in words; "pattern" is the regular expression it must match, when the refusal is about its shape.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'landlord_session' } } },
      security: [{ session: [] }],
    },
  });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
