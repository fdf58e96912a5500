import { tenantApiVersion, tenantKind } from '../api/crd.ts';
import type { Tenant } from '../api/tenant.ts';
import { formatFieldError, validateTenant } from '../api/validate.ts';
import { PortalError } from './errors.ts';

/** What the request form sends: the Tenant's spec, and a name when it should differ from the team's. */
export interface TenantRequestBody {
  name?: string;
  spec: Record<string, unknown>;
}

const allowedKeys = new Set(['name', 'spec']);

/**
 * The Tenant a request asks for, validated against the CRD schema (the one the API server enforces), with
 * its defaults applied. Refuses the whole request with every field at fault.
 */
export function tenantFromRequest(body: unknown): Tenant {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new PortalError(400, 'invalid', 'the body must be a JSON object: {"spec": {...}}');
  }
  const unknownKeys = Object.keys(body).filter((key) => !allowedKeys.has(key));
  if (unknownKeys.length > 0) {
    const fields = unknownKeys.map((key) => ({ path: key, message: `unknown field "${key}": allowed are name, spec` }));
    throw new PortalError(422, 'invalid', fields.map((field) => field.message).join('; '), fields);
  }
  const { name, spec } = body as Partial<TenantRequestBody>;
  const teamName = (spec as { teamName?: unknown } | undefined)?.teamName;
  const document = {
    apiVersion: tenantApiVersion,
    kind: tenantKind,
    metadata: { name: name ?? (typeof teamName === 'string' ? teamName : undefined) },
    spec,
  };
  const result = validateTenant(document);
  if (!result.ok) {
    // The request's `name` is the Tenant's metadata.name; derived from the team's, its errors are the team's.
    const errors = result.errors.filter((error) => name !== undefined || error.field !== 'metadata.name');
    const fields = errors.map((error) =>
      error.field === 'metadata.name'
        ? { path: 'name', message: formatFieldError({ ...error, field: 'name' }) }
        : { path: error.field, message: formatFieldError(error) },
    );
    throw new PortalError(422, 'invalid', fields.map((field) => field.message).join('; '), fields);
  }
  return {
    apiVersion: tenantApiVersion,
    kind: tenantKind,
    metadata: { name: result.tenant.metadata.name },
    spec: result.tenant.spec,
  } as Tenant;
}
