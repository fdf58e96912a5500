import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { StructuralSchema } from './structural-schema.ts';

export type { CelRule, StructuralSchema } from './structural-schema.ts';

/** The CustomResourceDefinition manifest of the Tenant API. */
export interface TenantCrd {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    group: string;
    names: { kind: string; plural: string; singular: string; shortNames?: string[] };
    versions: { name: string; storage: boolean; schema: { openAPIV3Schema: StructuralSchema } }[];
  };
}

/** Absolute path of the CRD YAML: the single source of truth of the Tenant API. */
export const tenantCrdPath = join(import.meta.dirname, 'tenant-crd.yaml');

/** The Tenant CRD as parsed from its YAML file. */
export const tenantCrd: TenantCrd = parse(readFileSync(tenantCrdPath, 'utf8'));

const storageVersion = tenantCrd.spec.versions.find((version) => version.storage);
if (!storageVersion) throw new Error(`${tenantCrdPath}: no storage version`);

/** The API group of Landlord's resources. */
export const group = tenantCrd.spec.group;
/** The served and stored version of the Tenant API. */
export const version = storageVersion.name;
/** apiVersion as written in manifests: landlord.dev/v1alpha1. */
export const tenantApiVersion = `${group}/${version}`;
/** The kind of the Tenant resource. */
export const tenantKind = tenantCrd.spec.names.kind;
/** The plural resource name used in API paths. */
export const tenantPlural = tenantCrd.spec.names.plural;
/** The root schema of a Tenant object. */
export const tenantSchema: StructuralSchema = storageVersion.schema.openAPIV3Schema;

/** The Tenant kind as the API serves it (cluster-scoped), for naming its paths. */
export const tenantResource = {
  apiVersion: tenantApiVersion,
  kind: tenantKind,
  plural: tenantPlural,
  namespaced: false,
};
