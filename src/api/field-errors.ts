import type { ErrorObject } from 'ajv';
import type { StructuralSchema } from './crd.ts';

/** Messages in the API server's own words (Required value, Unsupported value, ...) so both read the same. */
export function describeError(error: ErrorObject, value: unknown, schema: StructuralSchema | undefined): string {
  const given = `Invalid value: ${show(value)}`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `Required value${hint(schema)}`;
    case 'additionalProperties':
      return `unknown field "${String(params.additionalProperty)}"`;
    case 'enum':
      return `Unsupported value: ${show(value)}: supported values: ${(params.allowedValues as unknown[]).map(show).join(', ')}`;
    case 'type':
      return `${given}: must be of type ${String(params.type)}`;
    case 'pattern':
      return `${given}: must match '${String(params.pattern)}'${hint(schema)}`;
    case 'maxLength':
      return `Too long: ${show(value)} has ${String(value).length} characters, may not be more than ${String(params.limit)}${hint(schema)}`;
    case 'minLength':
      return `${given}: must be at least ${String(params.limit)} characters long${hint(schema)}`;
    case 'maximum':
      return `${given}: must be less than or equal to ${String(params.limit)}`;
    case 'minimum':
      return `${given}: must be greater than or equal to ${String(params.limit)}`;
    case 'format':
      return `${given}: must be in format ${String(params.format)}`;
    default:
      return `${given}: ${error.message ?? 'is not allowed'}`;
  }
}

/** A value as the user wrote it: strings quoted, objects and arrays as JSON. */
export function show(value: unknown): string {
  if (value === undefined) return '<missing>';
  return JSON.stringify(value);
}

/** The first sentence of the field's description says in words what a regular expression says in symbols. */
function hint(schema: StructuralSchema | undefined): string {
  const sentence = schema?.description?.split(/(?<=\.)\s/)[0]?.replace(/\.$/, '');
  return sentence ? ` (${sentence})` : '';
}
