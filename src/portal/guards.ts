import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PortalError } from './errors.ts';
import type { PortalUser } from './user.ts';

declare module 'fastify' {
  interface Session {
    user?: PortalUser;
    /** The provider's refresh token: server-side only (the cookie holds the signed session ID alone). */
    refreshToken?: string;
    /** When the directory last confirmed the user's groups (ms since the epoch). */
    groupsCheckedAt?: number;
  }
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
