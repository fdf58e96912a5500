import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { applyObject } from '../../kube/apply.ts';
import type { Discovery } from '../../kube/discovery.ts';
import type { KubeHttp } from '../../kube/http.ts';
import type { KubernetesObject } from '../../kube/object.ts';
import { writeServiceAccountKubeconfig } from '../cluster/service-account-kubeconfig.ts';
import { argoCdModuleDir } from './crds.ts';

/** The Argo CD processes that talk to the API server, each as the ServiceAccount it has in a real install. */
export const argoCdAccounts = {
  'argocd-application-controller': 'argocd-application-controller',
  'argocd-server': 'argocd-server',
  // Upstream gives the repo-server an account with no rights: it needs none of the API.
  'argocd-repo-server': 'argocd-repo-server',
} as const;

/** A process of the local Argo CD that acts as its own ServiceAccount. */
export type ArgoCdAccountUser = keyof typeof argoCdAccounts;

/** Upstream's manifests of those accounts and their rights, from the pinned module (paths under manifests/). */
const upstreamRbac = [
  'base/application-controller-roles/argocd-application-controller-sa.yaml',
  'base/application-controller-roles/argocd-application-controller-role.yaml',
  'base/application-controller-roles/argocd-application-controller-rolebinding.yaml',
  'cluster-rbac/application-controller/argocd-application-controller-clusterrole.yaml',
  'cluster-rbac/application-controller/argocd-application-controller-clusterrolebinding.yaml',
  'base/server/argocd-server-sa.yaml',
  'base/server/argocd-server-role.yaml',
  'base/server/argocd-server-rolebinding.yaml',
  'cluster-rbac/server/argocd-server-clusterrole.yaml',
  'cluster-rbac/server/argocd-server-clusterrolebinding.yaml',
  'base/repo-server/argocd-repo-server-sa.yaml',
];

type RbacObject = KubernetesObject & { subjects?: { kind: string; namespace?: string }[] };

/** Upstream's ServiceAccounts, Roles and bindings of Argo CD, placed in its namespace (kustomize would). */
export function argoCdRbac(namespace: string): KubernetesObject[] {
  const dir = join(argoCdModuleDir(), 'manifests');
  return upstreamRbac.flatMap((file) =>
    parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((document) => {
      const object = document.toJS() as RbacObject;
      const namespaced = !object.kind?.startsWith('Cluster');
      const subjects = object.subjects?.map((subject) =>
        subject.kind === 'ServiceAccount' ? { ...subject, namespace } : subject,
      );
      return {
        ...object,
        metadata: { ...object.metadata, ...(namespaced ? { namespace } : {}) },
        ...(subjects ? { subjects } : {}),
      };
    }),
  );
}

/** Where the kubeconfig a process acts through lives (its token beside it). */
export const argoCdKubeconfig = (dir: string, user: ArgoCdAccountUser) => join(dir, 'identity', `${user}.kubeconfig`);

/**
 * Gives each Argo CD process its own identity, as in a real install, instead of the cluster's admin: upstream's
 * ServiceAccounts and RBAC, and a kubeconfig per process with a fresh token. Admission policies tell Argo CD
 * from an administrator by it (deploy/admission).
 */
export async function ensureArgoCdIdentities(
  http: KubeHttp,
  discovery: Discovery,
  options: { namespace: string; adminKubeconfig: string; dir: string },
): Promise<void> {
  for (const object of argoCdRbac(options.namespace)) await applyObject(http, discovery, object);
  for (const [user, name] of Object.entries(argoCdAccounts)) {
    const file = argoCdKubeconfig(options.dir, user as ArgoCdAccountUser);
    await writeServiceAccountKubeconfig(http, options.adminKubeconfig, { namespace: options.namespace, name }, file);
  }
}
