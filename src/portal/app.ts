import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySession from '@fastify/session';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Tenant } from '../api/tenant.ts';
import type { AccessTokenIssuer } from './access-tokens.ts';
import { type AuditLine, AuditTrail } from './audit-log.ts';
import type { PortalPolicy } from './authorization.ts';
import { errorBody, PortalError } from './errors.ts';
import type { ClusterEndpoint } from './kubeconfig-file.ts';
import type { Mailer } from './mailer.ts';
import { mailPhaseChanges } from './notifications.ts';
import { OidcClient, type OidcSettings, type PendingLogin } from './oidc.ts';
import { registerOpenApi } from './openapi.ts';
import { registerAccessRoutes } from './routes/access.ts';
import { registerAuthRoutes } from './routes/auth.ts';
import { registerEventRoutes } from './routes/events.ts';
import { registerRequestRoutes } from './routes/requests.ts';
import { registerTenantRoutes } from './routes/tenants.ts';
import { registerWebUi } from './routes/web-ui.ts';
import type { TenantView } from './tenant-view.ts';
import type { TenantWriter } from './tenant-writers.ts';
import type { PortalUser } from './user.ts';

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
  /** Where accepted requests go: the API server or the platform repository. */
  writer: TenantWriter;
  /** Short-lived tokens for kubeconfig downloads. */
  access: AccessTokenIssuer;
  /** The API server address and CA written into downloaded kubeconfigs. */
  endpoint: ClusterEndpoint;
  /** Owners are mailed when requests are accepted and tenants become Ready or fail; no mail without it. */
  mailer?: Mailer;
  /** The built web UI (web/dist); the API alone without it. */
  webRoot?: string;
  /** Requests per minute per client address. */
  rateLimitPerMinute?: number;
  /** Where audit lines go: one per change, refused ones included. */
  audit?: (line: AuditLine) => void;
  /** Where failures go (a 500's cause; never a token or a cookie). */
  log?: (line: string) => void;
}

/** What the routes share: the options, and the audit trail around every change. */
export interface PortalContext extends PortalOptions {
  log: (line: string) => void;
  trail: AuditTrail;
  /** Runs a change and writes its audit line: ok with the details it returns, refused or failed with why. */
  audited(
    user: PortalUser,
    action: string,
    tenant: string | undefined,
    change: () => Promise<{ tenant: Tenant; details?: Record<string, unknown> }>,
  ): Promise<Tenant>;
}

declare module 'fastify' {
  interface Session {
    user?: PortalUser;
    login?: PendingLogin;
  }
}

/** Request bodies larger than this are refused before parsing. */
const bodyLimitBytes = 64 * 1024;

/** The portal's HTTP application: sessions, CSRF, rate limits, JSON errors, the API, the web UI. */
export async function buildPortal(options: PortalOptions): Promise<FastifyInstance> {
  if (options.sessionSecret.length < 32) throw new Error('the session secret must be at least 32 characters');
  const context = portalContext(options);
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
  const oidc = new OidcClient({ ...options.oidc, redirectURI: `${options.publicURL}/auth/callback` });
  registerAuthRoutes(app, oidc, context);
  registerTenantRoutes(app, context);
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

function portalContext(options: PortalOptions): PortalContext {
  const log = options.log ?? (() => {});
  const trail = new AuditTrail(options.audit ?? (() => {}));
  return {
    ...options,
    log,
    trail,
    async audited(user, action, tenant, change) {
      try {
        const done = await change();
        trail.record(user, action, 'ok', { tenant: done.tenant.metadata.name, ...done.details });
        return done.tenant;
      } catch (error) {
        const refused = error instanceof PortalError && error.status < 500;
        trail.record(user, action, refused ? 'refused' : 'failed', {
          ...(tenant ? { tenant } : {}),
          reason: refused ? error.message : 'internal error (logged)',
        });
        throw error;
      }
    },
  };
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
