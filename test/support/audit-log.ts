import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterDir, type LocalCluster } from '../../src/dev/cluster/local-cluster.ts';

/** One event of the API server's audit log (level Metadata: who did what, no bodies). */
export interface AuditEvent {
  verb: string;
  requestURI: string;
  user: { username: string; groups?: string[] };
  impersonatedUser?: { username: string; groups?: string[] };
  objectRef?: { resource?: string; subresource?: string; namespace?: string; name?: string };
  responseStatus?: { code: number; message?: string };
  annotations?: Record<string, string>;
}

/** The annotation an admission policy's Audit action puts on a request it refused. */
export const validationFailure = 'validation.policy.admission.k8s.io/validation_failure';

/** Who a request acted as: the impersonated user when there is one. */
export const actor = (event: AuditEvent) => event.impersonatedUser?.username ?? event.user.username;

/**
 * The test cluster's audit log so far (src/dev/cluster/audit-policy.yaml says what it records). The API server
 * writes an event before it answers, so a request that came back is in it.
 */
export function auditEvents(cluster: LocalCluster): AuditEvent[] {
  const file = join(clusterDir(cluster), 'logs', 'audit.log');
  if (!existsSync(file)) throw new Error(`no audit log at ${file}: the cluster was created without one`);
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AuditEvent);
}
