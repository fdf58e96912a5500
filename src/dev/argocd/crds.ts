import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { toolsModulesDir } from '../tools/upstream-tools.ts';

/** The CRDs of the Argo CD version pinned in tools/argocd, read from its Go module (no download site needed). */
export function argoCdCrds(): KubernetesObject[] {
  const moduleDir = join(toolsModulesDir, 'argocd');
  const output = execFileSync('go', ['mod', 'download', '-json', 'github.com/argoproj/argo-cd/v3'], {
    cwd: moduleDir,
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-mod=readonly' },
  });
  const { Dir: dir } = JSON.parse(output) as { Dir: string };
  return ['application-crd.yaml', 'appproject-crd.yaml', 'applicationset-crd.yaml'].map((file) =>
    parse(readFileSync(join(dir, 'manifests', 'crds', file), 'utf8')),
  );
}
