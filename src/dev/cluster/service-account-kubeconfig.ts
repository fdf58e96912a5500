import { chownSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse, stringify } from 'yaml';
import { apiPath } from '../../kube/api-path.ts';
import type { KubeHttp } from '../../kube/http.ts';
import { resources } from '../../kube/resources.ts';

/** A ServiceAccount a local process acts as, as it would in a pod. */
export interface ServiceAccountRef {
  namespace: string;
  name: string;
}

/**
 * How long a local process's token lasts: the cluster's cap (kwokctl-config.ts); the token renewer
 * (token-renewer.ts) writes a new one every 20 minutes, as the kubelet does for a pod.
 */
export const localTokenSeconds = 3600;

interface AdminKubeconfig {
  clusters: KubeconfigCluster[];
}

/** A kubeconfig's cluster entry: its name and its server, certificate authority... */
export interface KubeconfigCluster {
  name: string;
  cluster: Record<string, unknown>;
}

/**
 * Writes `<file>` (a kubeconfig: the admin kubeconfig's cluster, acting as the ServiceAccount) and `<file>.token`
 * (a TokenRequest token, bound to the ServiceAccount and expiring), both 0600. The kubeconfig names the token by
 * file: client-go and Landlord re-read it, so running processes take a renewed token without a restart.
 */
export async function writeServiceAccountKubeconfig(
  http: KubeHttp,
  adminKubeconfig: string,
  account: ServiceAccountRef,
  file: string,
): Promise<void> {
  const admin = parse(readFileSync(adminKubeconfig, 'utf8')) as AdminKubeconfig;
  const cluster = admin.clusters[0];
  if (!cluster) throw new Error(`${adminKubeconfig}: no cluster to connect the ServiceAccount to`);
  await writeTokenKubeconfig(http, cluster, account, file);
}

/**
 * The same for any cluster entry (a house's: its address and its CA); `http` is an admin client of that cluster.
 * With `owner`, both files belong to that user from the start (a process that does not run as root reads them).
 */
export async function writeTokenKubeconfig(
  http: KubeHttp,
  cluster: KubeconfigCluster,
  account: ServiceAccountRef,
  file: string,
  owner?: number,
): Promise<void> {
  const answer = await http.request<{ status: { token: string } }>({
    method: 'POST',
    path: apiPath(resources.serviceAccount, { ...account, subresource: 'token' }),
    body: {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: localTokenSeconds },
    },
  });
  const user = `${account.namespace}-${account.name}`;
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [cluster],
    users: [{ name: user, user: { tokenFile: `${file}.token` } }],
    contexts: [{ name: user, context: { cluster: cluster.name, user } }],
    'current-context': user,
  };
  mkdirSync(dirname(file), { recursive: true });
  writeAtomically(`${file}.token`, answer.status.token, owner);
  writeAtomically(file, stringify(kubeconfig), owner);
}

/** A reader never sees half a token: write beside, then rename. */
function writeAtomically(file: string, content: string, owner?: number): void {
  writeFileSync(`${file}.new`, content, { mode: 0o600 });
  if (owner !== undefined) chownSync(`${file}.new`, owner, owner);
  renameSync(`${file}.new`, file);
}
