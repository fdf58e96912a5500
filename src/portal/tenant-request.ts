import { tenantApiVersion, tenantKind } from '../api/crd.ts';
import { bounded, show } from '../api/field-errors.ts';
import type { PlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import { type FieldError, formatFieldError, validateTenant } from '../api/validate.ts';
import { repoURLField, teamRepoProblem } from '../tenancy/team-repository.ts';
import { type FieldProblem, PortalError } from './errors.ts';

/** What the request form sends: the Tenant's spec, and a name when it should differ from the team's. */
export interface TenantRequestBody {
  name?: string;
  spec: Record<string, unknown>;
}

const allowedKeys = new Set(['name', 'spec']);

/**
 * The Tenant a request asks for, validated against the CRD schema (the one the API server enforces), with
 * its defaults applied, and its repository one of the team's by the platform's rule (as the operator checks).
 * Refuses the whole request with every field at fault.
 */
export function tenantFromRequest(body: unknown, platform: PlatformConfig): Tenant {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    const given = show(body);
    throw new PortalError(400, 'invalid', `Invalid value: ${given}: the body must be a JSON object: {"spec": {...}}`);
  }
  const unknownKeys = Object.keys(body).filter((key) => !allowedKeys.has(key));
  if (unknownKeys.length > 0) {
    const fields = unknownKeys.slice(0, 10).map((key) => ({
      path: bounded(key),
      message: `${bounded(key)}: unknown field "${bounded(key)}": the fields here are name, spec`,
    }));
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
      toFieldProblem(error.field === 'metadata.name' ? { ...error, field: 'name' } : error),
    );
    throw new PortalError(422, 'invalid', fields.map((field) => field.message).join('; '), fields);
  }
  const tenant = {
    apiVersion: tenantApiVersion,
    kind: tenantKind,
    metadata: { name: result.tenant.metadata.name },
    spec: result.tenant.spec,
  } as Tenant;
  const repoProblem = teamRepoProblem(tenant, platform);
  if (repoProblem) throw new PortalError(422, 'invalid', repoProblem, [{ path: repoURLField, message: repoProblem }]);
  return tenant;
}

/** A validator's error as the API reports it: the path, the message, and the pattern for machines. */
function toFieldProblem(error: FieldError): FieldProblem {
  return { path: error.field, message: formatFieldError(error), ...(error.pattern ? { pattern: error.pattern } : {}) };
}
