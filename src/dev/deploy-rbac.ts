import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { applyObject } from '../kube/apply.ts';
import type { Discovery } from '../kube/discovery.ts';
import type { KubeHttp } from '../kube/http.ts';
import type { KubernetesObject } from '../kube/object.ts';

/** The folder of the RBAC files Landlord ships (deploy/rbac/), the same files an installation applies. */
export const deployRbacDir = join(import.meta.dirname, '..', '..', 'deploy', 'rbac');

/** The objects of deploy/rbac/<file>. */
export function readDeployRbacFile(file: string): KubernetesObject[] {
  const text = readFileSync(join(deployRbacDir, file), 'utf8');
  return parseAllDocuments(text).map((document) => document.toJS() as KubernetesObject);
}

/** Server-side applies every object of deploy/rbac/<file>. */
export async function applyDeployRbacFile(http: KubeHttp, discovery: Discovery, file: string): Promise<void> {
  for (const object of readDeployRbacFile(file)) await applyObject(http, discovery, object);
}
