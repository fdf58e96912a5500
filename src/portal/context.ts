import type { PlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import type { AccessTokenIssuer } from './access-tokens.ts';
import { type AuditLine, AuditTrail } from './audit-log.ts';
import type { PortalPolicy } from './authorization.ts';
import { PortalError } from './errors.ts';
import type { HouseAccessIssuer } from './house-access-tokens.ts';
import type { ClusterEndpoint } from './kubeconfig-file.ts';
import type { Mailer } from './mailer.ts';
import type { FreshUser } from './group-check.ts';
import { requireUser } from './guards.ts';
import type { IdentityProvider, OidcSettings } from './oidc.ts';
import type { SessionLimits } from './session-store.ts';
import type { SpareNodeView } from './spare-nodes.ts';
import type { TenantView } from './tenant-view.ts';
import type { TenantWriter } from './tenant-writers.ts';
import type { PortalUser } from './user.ts';

/** Everything the portal needs; nothing is read from the environment here. */
export interface PortalOptions {
  /** The URL browsers reach the portal at (its callback is <publicURL>/auth/callback). */
  publicURL: string;
  oidc: Omit<OidcSettings, 'redirectURI'>;
  policy: PortalPolicy;
  /** The platform's settings the operator runs with: which repositories are a team's. */
  platform: PlatformConfig;
  /** At least 32 characters; signs the session cookie. */
  sessionSecret: string;
  /** A session unused this long ends (idle); sessionLimits.absoluteSeconds bounds it however used. */
  sessionTtlSeconds: number;
  /** How many sessions, per person and in all, and how long at most (defaultSessionLimits otherwise). */
  sessionLimits?: Partial<SessionLimits>;
  /** Re-read a person's groups when the last answer is older than this before issuing anything; 0: every time. */
  groupCheckSeconds?: number;
  /** The sign-in provider; an OIDC client of `oidc` unless given (tests). */
  identity?: IdentityProvider;
  tenants: TenantView;
  /** Free spare nodes by instance type (the request form's counts); GET /api/v1/node-pools answers 503 without. */
  spareNodes?: SpareNodeView;
  /** Where accepted requests go: the API server or the platform repository. */
  writer: TenantWriter;
  /** Short-lived tokens for kubeconfig downloads. */
  access: AccessTokenIssuer;
  /** Short-lived tokens inside houses, minted with the operator's per-house credential; houses get 503 without. */
  houseAccess?: HouseAccessIssuer;
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
  /** The signed-in user with their groups as the directory says now: before anything is issued. */
  freshUser: FreshUser;
  /** Runs a change and writes its audit line: ok with the details it returns, refused or failed with why. */
  audited(
    user: PortalUser,
    action: string,
    tenant: string | undefined,
    change: () => Promise<{ tenant: Tenant; details?: Record<string, unknown> }>,
  ): Promise<Tenant>;
}

/** The routes' shared context over the options: a log that may be absent, and the audited() wrapper. */
export function portalContext(options: PortalOptions): PortalContext {
  const log = options.log ?? (() => {});
  const trail = new AuditTrail(options.audit ?? (() => {}));
  return {
    ...options,
    log,
    trail,
    // Replaced by the group check once the provider is known (buildPortal).
    freshUser: async (request) => requireUser(request),
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
