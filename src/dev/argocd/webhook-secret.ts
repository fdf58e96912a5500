import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LocalCluster } from '../cluster/local-cluster.ts';
import { environmentDir } from '../cluster/local-cluster.ts';

/** The file holding the secret the forge signs pushes with and Argo CD checks them by (0600, made once). */
export const webhookSecretFile = (cluster: LocalCluster) => join(environmentDir(cluster), 'argocd', 'webhook-secret');

/** The host Argo CD's webhook secret, made on first use; hex, since Argo CD reads a value starting with `$` as a reference. */
export function ensureWebhookSecret(cluster: LocalCluster): string {
  const file = webhookSecretFile(cluster);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
