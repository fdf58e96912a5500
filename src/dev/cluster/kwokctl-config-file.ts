import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LocalCluster } from './local-cluster.ts';

/** Where the kwokctl configuration a cluster was created from is kept (beside kwokctl's own cluster folders). */
export function kwokctlConfigFile(cluster: LocalCluster): string {
  return join(cluster.workdir, `${cluster.name}.kwokctl.yaml`);
}

/** Writes the configuration a cluster is about to be created from. */
export function writeKwokctlConfigFile(cluster: LocalCluster, config: string): string {
  const file = kwokctlConfigFile(cluster);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, config);
  return file;
}

/** Raised when an existing cluster was created from another configuration than Landlord renders today. */
export class StaleClusterError extends Error {
  override name = 'StaleClusterError';
}

/**
 * Refuses to reuse a cluster created from another configuration (older KWOK stages, other ports or binaries):
 * kwokctl reads its configuration only when it creates a cluster, so such a cluster would silently behave as before.
 */
export function assertClusterConfigCurrent(cluster: LocalCluster, config: string): void {
  const file = kwokctlConfigFile(cluster);
  const saved = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (saved === config) return;
  throw new StaleClusterError(
    `the local cluster ${cluster.name} was created from ${saved === undefined ? 'an unknown configuration' : `another configuration (${file})`} than this version of Landlord renders (its KWOK stages, ports or binaries differ): recreate it with \`landlord dev down\` then \`landlord dev up\``,
  );
}
