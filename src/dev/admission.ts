import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { applyObject } from '../kube/apply.ts';
import type { Discovery } from '../kube/discovery.ts';
import type { KubeHttp } from '../kube/http.ts';
import type { KubernetesObject } from '../kube/object.ts';
import { clusterDir, environmentDir, kubeconfigPath, type LocalCluster } from './cluster/local-cluster.ts';
import { type ServiceAccountRef, writeServiceAccountKubeconfig } from './cluster/service-account-kubeconfig.ts';

type Log = (line: string) => void;

const deployDir = join(import.meta.dirname, '..', '..', 'deploy');

/** The operator's ServiceAccount: the one identity Landlord's admission policies let change its objects. */
export const operatorAccount: ServiceAccountRef = { namespace: 'landlord-system', name: 'landlord-operator' };

/** The kubeconfig the local operator runs with (`npm start`, tests, benchmarks): its ServiceAccount, never the admin. */
export const operatorKubeconfigPath = (cluster: LocalCluster) =>
  join(environmentDir(cluster), 'operator', 'kubeconfig');

/** Every object of the YAML files of a folder of deploy/, files in name order. */
export function deployObjects(folder: 'admission' | 'rbac', file?: string): KubernetesObject[] {
  const dir = join(deployDir, folder);
  const files = file ? [file] : readdirSync(dir).filter((name) => name.endsWith('.yaml'));
  return files
    .toSorted()
    .flatMap((name) => parseAllDocuments(readFileSync(join(dir, name), 'utf8')))
    .map((document) => document.toJS() as KubernetesObject);
}

/**
 * Installs Landlord's admission policies (deploy/admission) in the local cluster with the operator's identity
 * they name: its ServiceAccount and RBAC (deploy/rbac/operator.yaml), the team's role it binds
 * (deploy/rbac/team-role.yaml), and a kubeconfig acting as it. Applying is
 * idempotent; the token is renewed on every run.
 */
export async function installAdmission(
  cluster: LocalCluster,
  http: KubeHttp,
  discovery: Discovery,
  log: Log,
): Promise<void> {
  const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: operatorAccount.namespace } };
  const rbac = [...deployObjects('rbac', 'team-role.yaml'), ...deployObjects('rbac', 'operator.yaml')];
  for (const object of [namespace, ...rbac]) {
    await applyObject(http, discovery, object);
  }
  await writeServiceAccountKubeconfig(http, kubeconfigPath(cluster), operatorAccount, operatorKubeconfigPath(cluster));
  for (const object of deployObjects('admission')) await applyObject(http, discovery, object);
  if (!controllersHaveOwnAccounts(cluster)) {
    log(
      `[admission] ${cluster.name} was created before its controllers ran as their own ServiceAccounts: the ` +
        'policies refuse the garbage collector there, so tenants are never torn down; recreate the cluster ' +
        '(landlord dev down, then up)',
    );
  }
  if (!capsTokens(cluster)) {
    log(
      `[admission] ${cluster.name} was created before its API server capped ServiceAccount tokens at an hour: ` +
        'a token asked for a year lasts a year there; recreate the cluster (landlord dev down, then up)',
    );
  }
}

/** Whether kwokctl runs the cluster's API server with the ServiceAccount token cap (docs/cluster-requirements.md). */
function capsTokens(cluster: LocalCluster): boolean {
  const config = join(clusterDir(cluster), 'kwok.yaml');
  return !existsSync(config) || readFileSync(config, 'utf8').includes('--service-account-max-token-expiration=');
}

/** Whether kwokctl runs the cluster's kube-controller-manager with --use-service-account-credentials. */
function controllersHaveOwnAccounts(cluster: LocalCluster): boolean {
  const config = join(clusterDir(cluster), 'kwok.yaml');
  return !existsSync(config) || readFileSync(config, 'utf8').includes('--use-service-account-credentials=true');
}
