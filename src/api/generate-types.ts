import { join } from 'node:path';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import type { StructuralSchema } from './crd.ts';
import { tenantSchema } from './crd.ts';
import { toAjvSchema } from './structural-to-ajv.ts';

/** Where the generated types live; a unit test fails when this file no longer matches the CRD. */
export const generatedTypesPath = join(import.meta.dirname, 'tenant.generated.ts');

const banner = `// Generated from tenant-crd.yaml by \`npm run generate\`. Do not edit: change the CRD and regenerate.`;

/** Renders the TypeScript types of a Tenant's spec and status from the CRD schema. */
export async function renderTenantTypes(): Promise<string> {
  const spec = await compileType(tenantSchema.properties?.spec, 'TenantSpec');
  const status = await compileType(tenantSchema.properties?.status, 'TenantStatus');
  return `${banner}\n\n${spec}\n${status}`;
}

async function compileType(schema: StructuralSchema | undefined, name: string): Promise<string> {
  if (!schema) throw new Error(`the Tenant CRD has no schema for ${name}`);
  return compile(withDefaultsRequired(toAjvSchema(schema)) as JSONSchema, name, {
    bannerComment: '',
    additionalProperties: false,
    strictIndexSignatures: true,
    // Arrays stay arrays: maxItems would turn them into unions of tuples.
    maxItems: -1,
    style: { singleQuote: true, printWidth: 120 },
  });
}

/** Objects read back from the API server carry every default, so a defaulted field is never absent. */
function withDefaultsRequired(schema: StructuralSchema): StructuralSchema {
  if (!schema.properties) return schema.items ? { ...schema, items: withDefaultsRequired(schema.items) } : schema;
  const defaulted = Object.entries(schema.properties)
    .filter(([, child]) => child.default !== undefined)
    .map(([name]) => name);
  return {
    ...schema,
    required: [...new Set([...(schema.required ?? []), ...defaulted])],
    properties: Object.fromEntries(
      Object.entries(schema.properties).map(([name, child]) => [name, withDefaultsRequired(child)]),
    ),
  };
}
