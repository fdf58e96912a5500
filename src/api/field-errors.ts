import type { ErrorObject } from 'ajv';
import { allowedInWords } from './allowed-in-words.ts';
import type { StructuralSchema } from './structural-schema.ts';

/** Where an error happened: the value given there, the field's schema and the schema of its object. */
export interface ErrorContext {
  value: unknown;
  schema: StructuralSchema | undefined;
  parent: StructuralSchema | undefined;
}

/** The API server's word for what a CEL rule's reason says is wrong; Invalid value for the rest. */
const celReasons: Record<string, string> = {
  FieldValueForbidden: 'Forbidden',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
};

/**
 * A message a person understands: the API server's opening words (Required value, Invalid value, ...), the
 * value given, and what the field allows in words (never the regular expression).
 */
export function describeError(error: ErrorObject, { value, schema, parent }: ErrorContext): string {
  const given = show(value);
  const allowed = schema ? `must be ${allowedInWords(schema)}` : 'is not allowed here';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `Required value: nothing given; ${allowed}`;
    case 'additionalProperties':
      return `unknown field "${bounded(String(params.additionalProperty))}": ${knownFields(parent)}`;
    case 'enum':
      return `Unsupported value: ${given}: ${allowed}`;
    case 'maxLength':
    case 'minLength':
    case 'maxItems':
      return `${sizeProblem(error.keyword, value)}; ${allowed}`;
    case 'x-kubernetes-validations':
      return `${celReasons[String(params.reason)] ?? 'Invalid value'}: ${given}: ${error.message ?? allowed}`;
    default:
      return `Invalid value: ${given}: ${allowed}`;
  }
}

/** Too long, too short, too many: the size given, in the API server's opening words. */
function sizeProblem(keyword: string, value: unknown): string {
  if (keyword === 'maxItems') return `Too many: ${show(value)} has ${Array.isArray(value) ? value.length : '?'} items`;
  if (keyword === 'maxLength') return `Too long: ${show(value)} has ${String(value).length} characters`;
  return value === '' ? 'Required value: empty' : `Too short: ${show(value)} has ${String(value).length} characters`;
}

/** The fields an object knows, for the message about one it does not. */
function knownFields(parent: StructuralSchema | undefined): string {
  const names = Object.keys(parent?.properties ?? {});
  return names.length ? `the fields here are ${names.join(', ')}` : 'no fields are allowed here';
}

/** How much of a value an error echoes: enough to recognise it, never a hostile 50 MB whole. */
export const echoLimit = 200;

/** Text cut to its first `limit` characters, saying how long it was when it was cut. */
export function bounded(text: string, limit = echoLimit): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}... (${text.length} characters)`;
}

/** A value as the user wrote it: strings quoted, objects and arrays as JSON, at most echoLimit characters of it. */
export function show(value: unknown): string {
  if (value === undefined) return '<missing>';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // Too deep or circular to print: say what it is instead.
    text = Array.isArray(value) ? '[...]' : '{...}';
  }
  return bounded(text);
}
