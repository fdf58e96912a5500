import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runningPid, startBackground, stopBackground, type ProcessSpec } from '../processes/background-process.ts';
import { environmentDir, type LocalCluster } from './local-cluster.ts';
import type { ServiceAccountRef } from './service-account-kubeconfig.ts';

/** A local process's ServiceAccount kubeconfig whose token the renewer keeps fresh. */
export interface TokenRenewal {
  account: ServiceAccountRef;
  /** The kubeconfig; its token is `<file>.token`. */
  file: string;
}

/** What the renewer reads at every round: the cluster and the kubeconfigs to renew. */
export interface TokenRenewerConfig {
  cluster: LocalCluster;
  renewals: TokenRenewal[];
  /** Time between rounds; renewEveryMs unless a test wants it sooner. */
  everyMs?: number;
}

/**
 * How often tokens are renewed: well within the cluster's cap on ServiceAccount token lifetime (one hour), as
 * the kubelet renews a pod's projected token at 80% of its life.
 */
export const renewEveryMs = 20 * 60 * 1000;

const renewerDir = (cluster: LocalCluster) => join(environmentDir(cluster), 'token-renewer');
/** Where the renewer's configuration lives; the renewer exits once it is gone (the environment removed). */
export const renewerConfigPath = (cluster: LocalCluster) => join(renewerDir(cluster), 'config.json');

/** The renewer's program: run by Node with its configuration file as the one argument. */
export const renewerProgram = join(import.meta.dirname, 'token-renewer-main.ts');

const renewerSpec = (cluster: LocalCluster): ProcessSpec => ({
  name: 'token-renewer',
  command: process.execPath,
  args: [renewerProgram, renewerConfigPath(cluster)],
});

/**
 * Keeps the local processes' ServiceAccount tokens alive under the cluster's one-hour cap, as the kubelet does
 * for a pod: a background process renews each token file every 20 minutes (the processes re-read it). The list
 * is rewritten on every run and read by the renewer at each round.
 */
export function ensureTokenRenewer(cluster: LocalCluster, renewals: TokenRenewal[]): void {
  mkdirSync(renewerDir(cluster), { recursive: true });
  const config: TokenRenewerConfig = { cluster, renewals };
  writeFileSync(renewerConfigPath(cluster), JSON.stringify(config, null, 2), { mode: 0o600 });
  const spec = renewerSpec(cluster);
  if (!runningPid(renewerDir(cluster), spec)) startBackground(renewerDir(cluster), spec);
}

/** Stops the renewer, if it runs. */
export async function stopTokenRenewer(cluster: LocalCluster): Promise<void> {
  if (existsSync(renewerDir(cluster))) await stopBackground(renewerDir(cluster), renewerSpec(cluster));
}
