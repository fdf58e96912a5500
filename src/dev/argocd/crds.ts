import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from '../../kube/object.ts';
import { parse } from 'yaml';
import { toolsModulesDir } from '../tools/upstream-tools.ts';

/** Where the Go module cache holds the Argo CD version pinned in tools/argocd (downloaded if needed). */
export function argoCdModuleDir(): string {
  const output = execFileSync('go', ['mod', 'download', '-json', 'github.com/argoproj/argo-cd/v3'], {
    cwd: join(toolsModulesDir, 'argocd'),
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-mod=readonly' },
  });
  return (JSON.parse(output) as { Dir: string }).Dir;
}

/** The CRDs of the Argo CD version pinned in tools/argocd, read from its Go module (no download site needed). */
export function argoCdCrds(): KubernetesObject[] {
  const dir = argoCdModuleDir();
  return ['application-crd.yaml', 'appproject-crd.yaml', 'applicationset-crd.yaml'].map((file) =>
    parse(readFileSync(join(dir, 'manifests', 'crds', file), 'utf8')),
  );
}
