import type { FastifyRequest } from 'fastify';
import type { AuditTrail } from './audit-log.ts';
import { PortalError } from './errors.ts';
import { requireUser } from './guards.ts';
import type { IdentityProvider } from './oidc.ts';
import { type PortalUser, userFromClaims } from './user.ts';

/** The signed-in user as the directory sees them now: what the portal asks before it issues anything. */
export type FreshUser = (request: FastifyRequest) => Promise<PortalUser>;

/** What a group check needs: the provider, how often to ask, and where to say what happened. */
export interface GroupCheckOptions {
  identity: IdentityProvider;
  /** Ask the directory again when its last answer is older than this; 0: before every issuing call. */
  intervalSeconds: number;
  trail: AuditTrail;
  /** Every session of a person the directory no longer confirms ends. */
  endSessionsOf: (subject: string) => void;
  /** A person lost these groups: what they were given through them is taken back (their ServiceAccounts). */
  onGroupsLost?: (user: PortalUser, lost: string[]) => Promise<void>;
  now?: () => number;
}

/**
 * Re-reads the user's groups through a refresh-token grant (Dex's LDAP connector searches the directory
 * again) before the portal issues a kubeconfig, a request or a decommission. A failed refresh (the person was
 * removed or disabled, the token revoked) ends their sessions: 401, sign in again. One refresh at a time per
 * session: Dex rotates refresh tokens.
 */
export function groupCheck(options: GroupCheckOptions): FreshUser {
  const now = options.now ?? Date.now;
  const inFlight = new Map<string, Promise<{ fresh: PortalUser; token: string } | Error>>();
  const ask = async (user: PortalUser, token: string | undefined) => {
    try {
      if (!token) throw new Error('the session holds no refresh token');
      const answer = await options.identity.refresh(token);
      const fresh = userFromClaims(answer.claims);
      if (fresh.subject !== user.subject) throw new Error('the provider answered for another subject');
      const lost = user.groups.filter((group) => !fresh.groups.includes(group));
      if (lost.length > 0 || fresh.groups.length !== user.groups.length) {
        options.trail.record(fresh, 'group-check', 'ok', { groups: fresh.groups, lost });
      }
      if (lost.length > 0) await options.onGroupsLost?.(fresh, lost);
      return { fresh, token: answer.refreshToken ?? token };
    } catch (error) {
      options.endSessionsOf(user.subject);
      options.trail.record(user, 'group-check', 'refused', { reason: (error as Error).message });
      return error as Error;
    }
  };
  return async (request) => {
    const user = requireUser(request);
    const checkedAt = request.session.groupsCheckedAt ?? 0;
    if (options.intervalSeconds > 0 && now() - checkedAt < options.intervalSeconds * 1000) return user;
    const key = request.session.sessionId;
    let running = inFlight.get(key);
    if (!running) {
      running = ask(user, request.session.refreshToken).finally(() => inFlight.delete(key));
      inFlight.set(key, running);
    }
    // Every request waiting on the same refresh keeps its answer: a stale rotated token saved last would sign out.
    const answer = await running;
    if (answer instanceof Error) {
      await request.session.destroy();
      throw new PortalError(401, 'unauthenticated', 'the directory no longer confirms your sign-in: sign in again');
    }
    request.session.user = answer.fresh;
    request.session.refreshToken = answer.token;
    request.session.groupsCheckedAt = now();
    return answer.fresh;
  };
}
