import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from '../../src/kube/object.ts';
import { parseAllDocuments } from 'yaml';
import { applyObject } from '../../src/kube/apply.ts';
import { ensureNamespace, testCluster } from './cluster.ts';

/** An RBAC object of deploy/rbac/, with the rules the tests read. */
export type RbacObject = KubernetesObject & {
  rules?: { resources: string[]; verbs: string[]; resourceNames?: string[] }[];
};

/** The objects of deploy/rbac/<file>. */
export function readDeployRbac(file: string): RbacObject[] {
  const text = readFileSync(join(import.meta.dirname, '..', '..', 'deploy', 'rbac', file), 'utf8');
  return parseAllDocuments(text).map((document) => document.toJS() as RbacObject);
}

/** Applies deploy/rbac/<file> to the test cluster, creating landlord-system (its ServiceAccounts' home) first. */
export async function applyDeployRbac(file: string): Promise<void> {
  const { http, discovery } = testCluster();
  await ensureNamespace(http, 'landlord-system');
  for (const object of readDeployRbac(file)) await applyObject(http, discovery, object);
}
