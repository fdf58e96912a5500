import type { StructuralSchema } from './crd.ts';

/** Annotation-only Kubernetes keywords: they shape storage and merging, not validity. */
export const annotationKeywords = [
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
  'x-kubernetes-embedded-resource',
];

/**
 * Turns a structural schema into the schema Ajv checks: objects that declare their properties refuse unknown
 * fields, as the API server does under strict field validation (kubectl's default).
 */
export function toAjvSchema(schema: StructuralSchema): StructuralSchema {
  const converted: StructuralSchema = { ...schema };
  if (schema.properties) {
    converted.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([name, child]) => [name, toAjvSchema(child)]),
    );
    if (!schema['x-kubernetes-preserve-unknown-fields']) converted.additionalProperties = false;
  }
  if (schema.items) converted.items = toAjvSchema(schema.items);
  return converted;
}
