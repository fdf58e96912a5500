import { Ajv, type ErrorObject, type SchemaValidateFunction } from 'ajv';
import { compileRules } from './cel-rules.ts';
import { tenantApiVersion, tenantKind, tenantSchema } from './crd.ts';
import { describeError, show } from './field-errors.ts';
import type { CelRule, StructuralSchema } from './structural-schema.ts';
import { annotationKeywords, toAjvSchema } from './structural-to-ajv.ts';
import type { Tenant } from './tenant.ts';

/** One reason a Tenant is refused: where, what was given, and what is allowed. */
export interface FieldError {
  /** Dotted path of the field, as the API server names it: spec.nodePool.size. */
  field: string;
  /** The value given, or undefined when the field is missing. */
  value: unknown;
  /** What is wrong, the value given and what is allowed, in words. */
  message: string;
  /** The regular expression the field must match, for machines, when the value's shape was refused. */
  pattern?: string;
}

/** The outcome of validating one document. */
export type ValidationResult = { ok: true; tenant: Tenant } | { ok: false; errors: FieldError[] };

/** What metadata.name allows, in words: the API server checks it before the schema, as a DNS subdomain. */
const nameRule =
  'must be a DNS subdomain: lowercase letters, digits, dashes and dots, starting and ending with a letter or digit, at most 253 characters';
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, strictTypes: false });
ajv.addVocabulary(annotationKeywords);
ajv.addFormat('date-time', rfc3339);
ajv.addFormat('int64', { type: 'number', validate: (value: number) => Number.isSafeInteger(value) });
ajv.addKeyword({
  keyword: 'x-kubernetes-validations',
  schemaType: 'array',
  errors: true,
  // After `properties`, so the rules see the defaults, as they do in the API server.
  post: true,
  compile(rules: CelRule[], parentSchema) {
    // Offline there is no stored object, so transition rules (immutability) only run in the API server.
    const compiled = compileRules(rules, parentSchema as StructuralSchema).filter((rule) => !rule.isTransition);
    const check: SchemaValidateFunction = (self: unknown) => {
      const failed = compiled.filter((rule) => !holdsSafely(rule.holds, self));
      check.errors = failed.map(({ rule }) => ({
        keyword: 'x-kubernetes-validations',
        message: rule.message ?? `must satisfy ${rule.rule}`,
        params: { fieldPath: rule.fieldPath ?? '', reason: rule.reason ?? '' },
      }));
      return failed.length === 0;
    };
    return check;
  },
});
// The top-level rules are about metadata.name (all of metadata a CRD's CEL sees): the envelope reports them on it.
const { 'x-kubernetes-validations': nameRules = [], ...schemaBelowName } = tenantSchema;
const checkSchema = ajv.compile(toAjvSchema(schemaBelowName));
const compiledNameRules = compileRules(nameRules, tenantSchema);

/** A rule that cannot run on a value of the wrong type is reported by the type check instead. */
function holdsSafely(holds: (self: unknown) => boolean, self: unknown): boolean {
  try {
    return holds(self);
  } catch {
    return true;
  }
}

/**
 * Validates a Tenant document against the CRD schema, as the API server would on create, and returns it with
 * the schema's defaults applied. Every error is reported, not just the first.
 */
export function validateTenant(document: unknown): ValidationResult {
  const tenant = structuredClone(document);
  const errors = [...checkEnvelope(tenant)];
  if (!checkSchema(tenant)) {
    errors.push(...firstShapeErrorPerField(checkSchema.errors ?? []).map((error) => toFieldError(error, tenant)));
  }
  return errors.length === 0 ? { ok: true, tenant: tenant as Tenant } : { ok: false, errors: sortByField(errors) };
}

/** apiVersion, kind and metadata.name are checked by the API server before the schema. */
function checkEnvelope(document: unknown): FieldError[] {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    return [{ field: '', value: document, message: `Invalid value: ${show(document)}: must be a Tenant object` }];
  }
  const { apiVersion, kind, metadata } = document as { apiVersion?: unknown; kind?: unknown; metadata?: unknown };
  const errors: FieldError[] = [];
  if (apiVersion !== tenantApiVersion) {
    const message = `Invalid value: ${show(apiVersion)}: must be ${tenantApiVersion}`;
    errors.push({ field: 'apiVersion', value: apiVersion, message });
  }
  if (kind !== tenantKind) {
    errors.push({ field: 'kind', value: kind, message: `Invalid value: ${show(kind)}: must be ${tenantKind}` });
  }
  const name = (metadata as { name?: unknown } | undefined)?.name;
  const nameError = checkName(name) ?? checkNameRules(document);
  if (nameError) errors.push({ field: 'metadata.name', value: name, message: nameError });
  return errors;
}

/** What is wrong with metadata.name, if anything, in the validator's words. */
function checkName(name: unknown): string | undefined {
  if (name === undefined || name === null) return `Required value: nothing given; ${nameRule}`;
  if (name === '') return `Required value: empty; ${nameRule}`;
  if (typeof name !== 'string' || name.length > 253 || !dnsSubdomain.test(name)) {
    return `Invalid value: ${show(name)}: ${nameRule}`;
  }
  return undefined;
}

/** The CRD's own rules on metadata.name (a Tenant's name is a label value too: at most 63 characters). */
function checkNameRules(document: object): string | undefined {
  const failed = compiledNameRules.find((rule) => !holdsSafely(rule.holds, document));
  const name = (document as { metadata?: { name?: unknown } }).metadata?.name;
  const given = typeof name === 'string' ? `${show(name)} (${name.length} characters)` : show(name);
  return failed && `Invalid value: ${given}: ${failed.rule.message ?? `must satisfy ${failed.rule.rule}`}`;
}

/** Keywords about a value's own shape: each message already says everything the field allows. */
const shapeKeywords = new Set(['type', 'enum', 'maxLength', 'minLength', 'pattern', 'format', 'minimum', 'maximum']);

/** One shape error per field (an empty teamName is too short and unlike a DNS label: one message says both). */
function firstShapeErrorPerField(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    if (!shapeKeywords.has(error.keyword)) return true;
    if (seen.has(error.instancePath)) return false;
    seen.add(error.instancePath);
    return true;
  });
}

function toFieldError(error: ErrorObject, document: unknown): FieldError {
  const segments = error.instancePath.split('/').slice(1).map(unescapePointer);
  if (error.keyword === 'required') segments.push(String(error.params.missingProperty));
  if (error.keyword === 'additionalProperties') segments.push(String(error.params.additionalProperty));
  if (error.keyword === 'x-kubernetes-validations' && error.params.fieldPath) {
    segments.push(...String(error.params.fieldPath).split('.').filter(Boolean));
  }
  const value = valueAt(document, segments);
  const schema = schemaAt(segments);
  const message = describeError(error, { value, schema, parent: schemaAt(segments.slice(0, -1)) });
  const pattern = shapeKeywords.has(error.keyword) ? schema?.pattern : undefined;
  return { field: toFieldPath(segments), value, message, ...(pattern ? { pattern } : {}) };
}

function unescapePointer(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** Renders path segments the way Kubernetes does: spec.items[0].name. */
function toFieldPath(segments: string[]): string {
  return segments.reduce((path, segment) => {
    if (/^\d+$/.test(segment)) return `${path}[${segment}]`;
    return path === '' ? segment : `${path}.${segment}`;
  }, '');
}

function valueAt(document: unknown, segments: string[]): unknown {
  let current: unknown = document;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function schemaAt(segments: string[]): StructuralSchema | undefined {
  let current: StructuralSchema | undefined = tenantSchema;
  for (const segment of segments) {
    current = /^\d+$/.test(segment) ? current?.items : current?.properties?.[segment];
  }
  return current;
}

function sortByField(errors: FieldError[]): FieldError[] {
  return errors.toSorted((a, b) => a.field.localeCompare(b.field));
}

/** One line per error, as a person reads it: `spec.teamName: Invalid value: "Bad": must be a DNS label: ...`. */
export function formatFieldError(error: FieldError): string {
  return error.field === '' ? error.message : `${error.field}: ${error.message}`;
}
