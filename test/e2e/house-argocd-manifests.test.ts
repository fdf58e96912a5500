import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { defaultPlatformConfig as platform } from '../../src/api/platform-config.ts';
import { argoCdModuleDir } from '../../src/dev/argocd/crds.ts';
import { binaryPath } from '../../src/dev/tools/cache.ts';
import { buildTenantArgoCdApplication } from '../../src/tenancy/house/tenant-argocd.ts';
import { storedTenant } from '../fixtures/tenant-objects.ts';
import type { LooseDocument } from '../fixtures/tenants.ts';
import { restrictedViolations } from '../support/pod-security.ts';

// The pinned kustomize (the integration suite's global set-up builds it) over the pinned Argo CD module's manifests.
const kustomize = binaryPath('kustomize');

/**
 * What the host Argo CD's repo-server does with the Application's source: a copy of the repository, `kustomize edit
 * set image` for each image, the patches written into the path's kustomization.yaml, then `kustomize build`.
 */
function renderAsArgoCd(source: LooseDocument, work: string): LooseDocument[] {
  cpSync(join(argoCdModuleDir(), 'manifests'), join(work, 'manifests'), { recursive: true });
  const dir = join(work, source.path.replace(/^manifests\//, 'manifests/'));
  for (const image of source.kustomize.images as string[])
    execFileSync(kustomize, ['edit', 'set', 'image', image], { cwd: dir, stdio: 'pipe' });
  const file = join(dir, 'kustomization.yaml');
  const kustomization = parse(readFileSync(file, 'utf8')) as LooseDocument;
  kustomization.patches = [...(kustomization.patches ?? []), ...source.kustomize.patches];
  writeFileSync(file, stringify(kustomization));
  const out = execFileSync(kustomize, ['build', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return parseAllDocuments(out)
    .map((doc) => doc.toJSON() as LooseDocument)
    .filter(Boolean);
}

describe('upstream’s Argo CD manifests with a house’s patches (kustomize build, as the host Argo CD renders them)', () => {
  const work = mkdtempSync(join(tmpdir(), 'house-argocd-render-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const tenant = storedTenant((t) => {
    t.spec.isolation = 'vcluster';
    delete t.spec.nodePool;
  });
  const app = buildTenantArgoCdApplication(tenant, platform);
  const objects = renderAsArgoCd((app.spec as LooseDocument).source, work);
  const workloads = objects.filter((o) => ['Deployment', 'StatefulSet'].includes(o.kind));
  const pods = workloads.map((o) => ({ name: `${o.kind}/${o.metadata.name}`, spec: o.spec.template.spec }));
  const containers = pods.flatMap(({ name, spec }) =>
    [...(spec.initContainers ?? []), ...spec.containers].map((c: LooseDocument): LooseDocument => ({
      ...c,
      workload: name,
    })),
  );

  it('renders at all, with the cluster-wide install’s CRDs and ClusterRoles', () => {
    const names = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    for (const expected of [
      'CustomResourceDefinition/applications.argoproj.io',
      'ClusterRole/argocd-application-controller',
      'Deployment/argocd-server',
      'StatefulSet/argocd-application-controller',
    ])
      assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
  });

  it('takes every image from the platform’s mirror', () => {
    for (const container of containers)
      assert.ok(
        [platform.houses.argocd.images.argocd, platform.houses.argocd.images.redis].includes(container.image),
        `${container.workload} ${container.name}: ${container.image}`,
      );
  });

  it('has no Dex server left, nor anything of it', () => {
    const dex = objects.filter((o) => o.metadata.name.includes('dex'));
    assert.deepEqual(
      dex.map((o) => `${o.kind}/${o.metadata.name}`),
      [],
    );
  });

  it('gives every container requests and limits, and each workload its replicas', () => {
    for (const container of containers) {
      for (const kind of ['requests', 'limits'])
        for (const resource of ['cpu', 'memory'])
          assert.ok(
            container.resources?.[kind]?.[resource],
            `${container.workload} ${container.name} ${kind}.${resource}`,
          );
    }
    for (const workload of workloads) {
      const size = (platform.houses.argocd.footprint as Record<string, { replicas: number }>)[workload.metadata.name];
      assert.equal(workload.spec.replicas, size?.replicas, workload.metadata.name);
    }
    assert.equal(workloads.length, 6);
  });

  it('passes Pod Security restricted in every pod (the house’s host namespace enforces it)', () => {
    for (const pod of pods) assert.deepEqual(restrictedViolations(pod.spec), [], pod.name);
  });

  it('carries Landlord’s settings in argocd-cm and argocd-rbac-cm', () => {
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'argocd-cm');
    assert.equal(cm?.data.url, 'https://argocd-devteam-a.landlord.local');
    assert.match(cm?.data['oidc.config'] ?? '', /clientID: argocd-devteam-a/);
    // Upstream's own settings in the same ConfigMap stay: a patch merges, it does not replace.
    assert.ok(cm?.data['resource.exclusions'], 'upstream resource.exclusions kept');
    const rbac = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'argocd-rbac-cm');
    assert.equal(rbac?.data['policy.default'], '');
  });
});

describe('the Pod Security check this file relies on', () => {
  it('catches a pod that would run as root without a seccomp profile', () => {
    const problems = restrictedViolations({
      containers: [{ name: 'app', securityContext: { allowPrivilegeEscalation: false } }],
    });
    assert.ok(problems.some((p) => p.includes('runAsNonRoot')));
    assert.ok(problems.some((p) => p.includes('seccompProfile')));
    assert.ok(problems.some((p) => p.includes('capabilities')));
  });
});
