import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySession from '@fastify/session';
import Fastify, { type FastifyInstance } from 'fastify';
import { type PortalOptions, portalContext } from './context.ts';
import { errorBody, PortalError } from './errors.ts';
import { registerJsonBodyParser } from './json-body.ts';
import { mailPhaseChanges } from './notifications.ts';
import { groupCheck } from './group-check.ts';
import { isHouse } from '../tenancy/house/is-house.ts';
import { OidcClient } from './oidc.ts';
import { BoundedSessionStore, defaultSessionLimits } from './session-store.ts';
import { registerOpenApi } from './openapi.ts';
import { registerAccessRoutes } from './routes/access.ts';
import { registerAuthRoutes } from './routes/auth.ts';
import { registerEventRoutes } from './routes/events.ts';
import { registerHouseRoutes } from './routes/houses.ts';
import { registerNodePoolRoutes } from './routes/node-pools.ts';
import { registerRequestRoutes } from './routes/requests.ts';
import { registerTenantRoutes } from './routes/tenants.ts';
import { registerWebUi } from './routes/web-ui.ts';

/** Request bodies larger than this are refused before parsing. */
const bodyLimitBytes = 64 * 1024;

/** The portal's HTTP application: sessions, CSRF, rate limits, JSON errors, the API, the web UI. */
export async function buildPortal(options: PortalOptions): Promise<FastifyInstance> {
  if (options.sessionSecret.length < 32) throw new Error('the session secret must be at least 32 characters');
  const context = portalContext(options);
  const app = Fastify({ bodyLimit: bodyLimitBytes, logger: false, trustProxy: false });
  const secure = new URL(options.publicURL).protocol === 'https:';
  const sessions = new BoundedSessionStore({ ...defaultSessionLimits, ...options.sessionLimits });
  registerJsonBodyParser(app);
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: options.sessionSecret,
    cookieName: 'landlord_session',
    saveUninitialized: false,
    store: sessions,
    // Lax, not Strict: the provider's redirect back to /auth/callback is a top-level cross-site navigation.
    cookie: { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: options.sessionTtlSeconds * 1000 },
  });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/session',
    getToken: (request) => request.headers['x-csrf-token'] as string,
  });
  await app.register(fastifyRateLimit, { max: options.rateLimitPerMinute ?? 1200, timeWindow: '1 minute' });
  // Bodies are validated against the CRD schema by the routes (with CEL); route schemas only document them.
  app.setValidatorCompiler(() => (value) => ({ value }));
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof PortalError) return reply.status(error.status).send(errorBody(error));
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) context.log(`[portal] ${request.method} ${request.routeOptions.url}: ${(error as Error).stack}`);
    const code = (error as { code?: string }).code ?? 'internal';
    const message = status >= 500 ? 'the portal failed; the error is logged' : (error as Error).message;
    return reply.status(status).send(errorBody(new PortalError(status, code, message)));
  });
  await registerOpenApi(app);
  const identity =
    options.identity ?? new OidcClient({ ...options.oidc, redirectURI: `${options.publicURL}/auth/callback` });
  context.freshUser = groupCheck({
    identity,
    intervalSeconds: options.groupCheckSeconds ?? 0,
    trail: context.trail,
    endSessionsOf: (subject) => sessions.destroyPerson(subject),
    // Whoever left a tenant's group loses their identity there at once, not when their last token expires.
    onGroupsLost: async (user, lost) => {
      const tenants = options.tenants.list().filter((tenant) => lost.includes(tenant.spec.adGroup));
      if (tenants.length > 0) await options.access.revoke(tenants, user);
      for (const house of tenants.filter(isHouse))
        // A house not answering keeps the identity until it does: said, and the portal gives them no new token.
        await options.houseAccess
          ?.revoke(house, user)
          .catch((error: unknown) =>
            context.log(
              `[portal] revoking ${user.username}'s identity inside the house of ${house.metadata.name}: ${(error as Error).message}`,
            ),
          );
    },
  });
  registerAuthRoutes(app, identity, context);
  registerTenantRoutes(app, context);
  registerNodePoolRoutes(app, context);
  registerHouseRoutes(app, context);
  registerRequestRoutes(app, context);
  registerAccessRoutes(app, context);
  registerEventRoutes(app, context);
  if (options.webRoot) await registerWebUi(app, options.webRoot);
  if (options.mailer) {
    const stop = mailPhaseChanges(options.tenants, options.mailer, options.publicURL, context.log);
    app.addHook('onClose', async () => stop());
  }
  return app;
}
