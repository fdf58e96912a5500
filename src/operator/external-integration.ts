import type { Tenant } from '../api/tenant.ts';
import type { ExternalThing } from '../tenancy/concern.ts';

/** Keeps one kind of outside thing (a Git forge's repositories): the operator's side of an external concern. */
export interface ExternalIntegration {
  /** Makes the thing exist as described; idempotent. */
  ensure(thing: ExternalThing, tenant: Tenant): Promise<void>;
  /** Retires the thing when the tenant goes (archives it): never deletes what people may still need. */
  retire(thing: ExternalThing, tenant: Tenant): Promise<void>;
}

/** The integrations the operator knows, by the name external concerns give. */
export type Integrations = ReadonlyMap<string, ExternalIntegration>;

/** The integration for a thing, or an error that says which one is missing. */
export function integrationFor(integrations: Integrations, thing: ExternalThing): ExternalIntegration {
  const integration = integrations.get(thing.integration);
  if (!integration)
    throw new Error(`no ${thing.integration} integration is configured to keep ${thing.name} (platform configuration)`);
  return integration;
}
