// What the house-argocd-runtime e2e installs into a house itself and asks of it (the test's, never product code).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { argoCdModuleDir } from '../../src/dev/argocd/crds.ts';
import { binaryPath } from '../../src/dev/tools/cache.ts';
import { applyObject } from '../../src/kube/apply.ts';
import { Discovery } from '../../src/kube/discovery.ts';
import { KubeHttp } from '../../src/kube/http.ts';
import { loadConnection } from '../../src/kube/kubeconfig.ts';
import type { KubernetesObject } from '../../src/kube/object.ts';

/** Upstream's cluster-install with the settings the desired state layers on top (URL, plain HTTP, no bundled Dex). */
export function upstreamArgoCd(work: string, argocdURL: string): KubernetesObject[] {
  const overlay = join(work, 'overlay');
  const install = join(argoCdModuleDir(), 'manifests', 'cluster-install');
  execFileSync('mkdir', ['-p', overlay]);
  const configMap = (name: string, data: Record<string, string>) =>
    stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
  writeFileSync(
    join(overlay, 'kustomization.yaml'),
    stringify({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: 'argocd',
      resources: [relative(overlay, install)],
      patches: [
        {
          patch: stringify({
            $patch: 'delete',
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: 'argocd-dex-server' },
          }),
        },
        { patch: configMap('argocd-cm', { url: argocdURL, 'admin.enabled': 'false' }) },
        { patch: configMap('argocd-cmd-params-cm', { 'server.insecure': 'true' }) },
      ],
    }),
  );
  const built = execFileSync(binaryPath('kustomize'), ['build', overlay], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return parseAllDocuments(built).map((document) => document.toJS() as KubernetesObject);
}

/** Applies the objects inside the house: CRDs first (the rest may need them), the Deployment argocd-server last. */
export async function applyInHouse(house: KubeHttp, objects: KubernetesObject[]): Promise<number> {
  const isServer = (object: KubernetesObject) =>
    object.kind === 'Deployment' && object.metadata?.name === 'argocd-server';
  await applyObject(house, new Discovery(house), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argocd' } });
  for (const object of objects.filter((each) => each.kind === 'CustomResourceDefinition'))
    await applyObject(house, new Discovery(house), object);
  const discovery = new Discovery(house);
  for (const object of objects.filter((each) => each.kind !== 'CustomResourceDefinition' && !isServer(each)))
    await applyObject(house, discovery, object);
  const server = objects.find(isServer);
  assert.ok(server, 'upstream has a Deployment argocd-server');
  const appearedAt = Date.now();
  await applyObject(house, discovery, server);
  return appearedAt;
}

/** Who the house's API server says a kubeconfig acts as (a SelfSubjectReview made through it). */
export async function whoAmI(kubeconfig: string): Promise<string | undefined> {
  const client = new KubeHttp(loadConnection(kubeconfig));
  try {
    const review = await client.request<{ status?: { userInfo?: { username?: string } } }>({
      method: 'POST',
      path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    return review.status?.userInfo?.username;
  } finally {
    client.close();
  }
}
