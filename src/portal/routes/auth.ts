import type { FastifyInstance } from 'fastify';
import { isAdmin } from '../authorization.ts';
import type { PortalContext } from '../context.ts';
import { PortalError } from '../errors.ts';
import { csrfGuard, requireUser } from '../guards.ts';
import type { IdentityProvider } from '../oidc.ts';
import { safeReturnTo } from '../return-to.ts';
import { userFromClaims } from '../user.ts';

/** Sign-in through the directory's provider, the session, sign-out. */
export function registerAuthRoutes(app: FastifyInstance, oidc: IdentityProvider, options: PortalContext): void {
  app.get('/auth/login', async (request, reply) => {
    const { url, pending } = await oidc.start(safeReturnTo((request.query as { returnTo?: string }).returnTo));
    request.session.login = pending;
    return reply.redirect(url);
  });

  app.get('/auth/callback', async (request, reply) => {
    const pending = request.session.login;
    if (!pending) throw new PortalError(400, 'no-login', 'no sign-in in progress: start at /auth/login');
    let signedIn: Awaited<ReturnType<IdentityProvider['finish']>>;
    try {
      signedIn = await oidc.finish(new URL(request.url, options.publicURL), pending);
    } catch (error) {
      throw new PortalError(401, 'sign-in-failed', `sign-in failed: ${(error as Error).message}`);
    }
    const user = userFromClaims(signedIn.claims);
    // A new session ID at sign-in: a session fixed before sign-in is worthless.
    await request.session.regenerate();
    request.session.user = user;
    request.session.refreshToken = signedIn.refreshToken;
    request.session.groupsCheckedAt = Date.now();
    options.trail.record(user, 'sign-in', 'ok', { groups: user.groups });
    // Checked again on the way out: a pending login is only as safe as the check that stored it.
    return reply.redirect(safeReturnTo(pending.returnTo));
  });

  // Signed out is an answer here, not an error: the UI asks before it knows.
  app.get('/api/v1/session', async (request, reply) => {
    const user = request.session.user;
    if (!user) return { user: null, signIn: '/auth/login' };
    return { user, admin: isAdmin(user, options.policy), csrfToken: reply.generateCsrf() };
  });

  app.post('/auth/logout', { preHandler: csrfGuard(app) }, async (request) => {
    const user = requireUser(request);
    await request.session.destroy();
    options.trail.record(user, 'sign-out', 'ok');
    return { signedOut: true };
  });
}
