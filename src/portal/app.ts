import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySession from '@fastify/session';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Tenant } from '../api/tenant.ts';
import type { PortalPolicy } from './authorization.ts';
import { errorBody, PortalError } from './errors.ts';
import { OidcClient, type OidcSettings, type PendingLogin } from './oidc.ts';
import { registerAuthRoutes } from './routes/auth.ts';
import { registerTenantRoutes } from './routes/tenants.ts';
import type { PortalUser } from './user.ts';

/** Where the portal reads tenants from: a cache kept current by a watch (an informer). */
export interface TenantView {
  list(): Tenant[];
  get(name: string): Tenant | undefined;
}

/** Everything the portal needs; nothing is read from the environment here. */
export interface PortalOptions {
  /** The URL browsers reach the portal at (its callback is <publicURL>/auth/callback). */
  publicURL: string;
  oidc: Omit<OidcSettings, 'redirectURI'>;
  policy: PortalPolicy;
  /** At least 32 characters; signs the session cookie. */
  sessionSecret: string;
  sessionTtlSeconds: number;
  tenants: TenantView;
  /** Requests per minute per client address on the API. */
  rateLimitPerMinute?: number;
  /** Where audit lines go: one JSON line per change. */
  audit?: (line: Record<string, unknown>) => void;
  /** Where failures go (a 500's cause; never a token or a cookie). */
  log?: (line: string) => void;
}

declare module 'fastify' {
  interface Session {
    user?: PortalUser;
    login?: PendingLogin;
  }
}

/** Request bodies larger than this are refused before parsing. */
const bodyLimitBytes = 64 * 1024;

/** The portal's HTTP application: sessions, CSRF, rate limits, JSON errors, the routes. */
export async function buildPortal(options: PortalOptions): Promise<FastifyInstance> {
  if (options.sessionSecret.length < 32) throw new Error('the session secret must be at least 32 characters');
  const app = Fastify({ bodyLimit: bodyLimitBytes, logger: false, trustProxy: false });
  const secure = new URL(options.publicURL).protocol === 'https:';
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: options.sessionSecret,
    cookieName: 'landlord_session',
    saveUninitialized: false,
    // Lax, not Strict: the provider's redirect back to /auth/callback is a top-level cross-site navigation.
    cookie: { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: options.sessionTtlSeconds * 1000 },
  });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/session',
    getToken: (request) => request.headers['x-csrf-token'] as string,
  });
  await app.register(fastifyRateLimit, { max: options.rateLimitPerMinute ?? 600, timeWindow: '1 minute' });
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof PortalError) return reply.status(error.status).send(errorBody(error));
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500)
      options.log?.(`[portal] ${request.method} ${request.routeOptions.url}: ${(error as Error).stack}`);
    const code = (error as { code?: string }).code ?? 'internal';
    const message = status >= 500 ? 'the portal failed; the error is logged' : (error as Error).message;
    return reply.status(status).send(errorBody(new PortalError(status, code, message)));
  });
  const oidc = new OidcClient({ ...options.oidc, redirectURI: `${options.publicURL}/auth/callback` });
  registerAuthRoutes(app, oidc, options);
  registerTenantRoutes(app, options);
  return app;
}

/** The signed-in user, or a 401 for the API. */
export function requireUser(request: FastifyRequest): PortalUser {
  const user = request.session.user;
  if (!user) throw new PortalError(401, 'unauthenticated', 'sign in first: GET /auth/login');
  return user;
}

/** Refuses a state-changing call without the session's CSRF token (X-CSRF-Token header). */
export function csrfGuard(app: FastifyInstance) {
  return (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) =>
    app.csrfProtection(request, reply, (error?: Error) =>
      done(
        error
          ? new PortalError(403, 'csrf', 'missing or wrong X-CSRF-Token header: GET /api/v1/session gives it')
          : undefined,
      ),
    );
}
