import type { FastifyInstance } from 'fastify';
import { isAdmin } from '../authorization.ts';
import type { PortalContext } from '../context.ts';
import { PortalError } from '../errors.ts';
import { csrfGuard, requireUser } from '../guards.ts';
import type { IdentityProvider } from '../oidc.ts';
import {
  openPendingLogin,
  pendingLoginCookie,
  pendingLoginKey,
  pendingLoginSeconds,
  sealPendingLogin,
  UsedLogins,
} from '../pending-login-cookie.ts';
import { safeReturnTo } from '../return-to.ts';
import { userFromClaims } from '../user.ts';

/** Sign-in through the directory's provider, the session, sign-out. */
export function registerAuthRoutes(app: FastifyInstance, oidc: IdentityProvider, options: PortalContext): void {
  const key = pendingLoginKey(options.sessionSecret);
  const used = new UsedLogins();
  // Only the callback ever reads it; Lax, as the provider's redirect back is a top-level cross-site navigation.
  const cookie = {
    httpOnly: true,
    sameSite: 'lax',
    secure: new URL(options.publicURL).protocol === 'https:',
    path: '/auth/callback',
  } as const;

  // A pending sign-in lives in the browser's encrypted cookie, not in the portal: no flood can push it out.
  app.get('/auth/login', async (request, reply) => {
    const { url, pending } = await oidc.start(safeReturnTo((request.query as { returnTo?: string }).returnTo));
    reply.setCookie(pendingLoginCookie, sealPendingLogin(pending, key).value, {
      ...cookie,
      maxAge: pendingLoginSeconds,
    });
    return reply.redirect(url);
  });

  app.get('/auth/callback', async (request, reply) => {
    const opened = openPendingLogin(request.cookies[pendingLoginCookie], key);
    reply.clearCookie(pendingLoginCookie, cookie);
    if (!opened.ok) throw new PortalError(400, 'no-login', noLogin[opened.reason]);
    if (!used.consume(opened.id, opened.expiresAt))
      throw new PortalError(400, 'no-login', 'this sign-in was already used: start again at /auth/login');
    const pending = opened.pending;
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

/** Why the callback found no sign-in to finish, in words for the person. */
const noLogin = {
  missing: 'no sign-in in progress: start at /auth/login',
  invalid: 'the sign-in cookie is not one the portal issued: start again at /auth/login',
  expired: `the sign-in took longer than ${pendingLoginSeconds / 60} minutes: start again at /auth/login`,
};
