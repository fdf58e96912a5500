import type { PlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import type { KubeHttp } from '../kube/http.ts';
import type { ExternalThing } from '../tenancy/concern.ts';
import type { WriteCounter } from './applier.ts';
import type { ClusterCache } from './cluster-cache.ts';

/** What an integration may use of the operator: the API server, the cached objects, the platform's settings. */
export interface IntegrationContext {
  http: KubeHttp;
  cache: ClusterCache;
  platform: PlatformConfig;
  countWrite: WriteCounter;
  log: (line: string) => void;
}

/** Keeps one kind of outside thing (a Git forge's repositories): the operator's side of an external concern. */
export interface ExternalIntegration {
  /** Makes the thing exist as described; idempotent. */
  ensure(thing: ExternalThing, tenant: Tenant, ctx: IntegrationContext): Promise<void>;
  /** Retires the thing when the tenant goes (archives it): never deletes what people may still need. */
  retire(thing: ExternalThing, tenant: Tenant, ctx: IntegrationContext): Promise<void>;
  /**
   * Lets go of what it put in the tenant's own objects while the tenant needs the thing no more (the thing itself
   * waits for teardown's `retire`); idempotent.
   */
  release?(thing: ExternalThing, tenant: Tenant, ctx: IntegrationContext): Promise<void>;
}

/** The integrations the operator knows, by the name external concerns give. */
export type Integrations = ReadonlyMap<string, ExternalIntegration>;

/**
 * Why an integration did not keep its thing, as the tenant's condition says it: a reason (`ForgeUnavailable`) and
 * whether only a person can fix it (fatal: the tenant is Failed until then) or a retry may (the tenant waits).
 */
export class IntegrationRefusal extends Error {
  override name = 'IntegrationRefusal';
  readonly reason: string;
  readonly fatal: boolean;
  constructor(reason: string, message: string, fatal: boolean) {
    super(message);
    this.reason = reason;
    this.fatal = fatal;
  }
}

/** The integration for a thing, or an error that says which one is missing. */
export function integrationFor(integrations: Integrations, thing: ExternalThing): ExternalIntegration {
  const integration = integrations.get(thing.integration);
  if (!integration)
    throw new IntegrationRefusal(
      'IntegrationMissing',
      `no ${thing.integration} integration is configured to keep ${thing.name}: give the operator the forge's token (--git-token-file) or turn git.factory off`,
      true,
    );
  return integration;
}
