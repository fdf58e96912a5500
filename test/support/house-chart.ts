// The vCluster chart rendered and applied by hand, for the house runner's tests until the operator's Application
// installs it: the one place a test renders the chart itself.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import type { PlatformConfig } from '../../src/api/platform-config.ts';
import { binaryPath } from '../../src/dev/tools/cache.ts';
import type { KubeHttp } from '../../src/kube/http.ts';
import { asBreakGlass } from './break-glass.ts';
import { kubectl } from './kubectl.ts';

const run = promisify(execFile);
/** The pinned vCluster module's chart (the local environment's chart repository serves the same one). */
export const vclusterChartDir = join(
  process.env.GOMODCACHE ?? join(process.env.HOME ?? '/root', 'go', 'pkg', 'mod'),
  'github.com',
  'loft-sh',
  'vcluster@v0.36.1',
  'chart',
);

/** A user id for the control plane: the restricted Pod Security level refuses root. */
const controlPlaneUser = 10_001;
const restricted = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  runAsNonRoot: true,
  runAsUser: controlPlaneUser,
  runAsGroup: controlPlaneUser,
  seccompProfile: { type: 'RuntimeDefault' },
};

/** The values a house's chart gets: the open-source image from the mirror, telemetry off, the exported server. */
export function houseValues(platform: PlatformConfig, server: string, release: string) {
  const image = (reference: string) => {
    const [registry, ...rest] = reference.split('/');
    const [repository, tag] = rest.join('/').split(':');
    return { registry, repository, ...(tag ? { tag } : {}) };
  };
  return {
    telemetry: { enabled: false },
    exportKubeConfig: { server },
    controlPlane: {
      // vCluster puts the exported server in the kubeconfig but not in its certificate: the address must be a SAN.
      proxy: { extraSANs: [new URL(server).hostname] },
      distro: {
        k8s: {
          enabled: true,
          version: release,
          image: image(platform.houses.images.kubernetes),
          securityContext: restricted,
        },
      },
      statefulSet: {
        image: image(platform.houses.images.vcluster),
        security: {
          podSecurityContext: {
            fsGroup: controlPlaneUser,
            runAsNonRoot: true,
            seccompProfile: restricted.seccompProfile,
          },
          containerSecurityContext: restricted,
        },
      },
    },
  };
}

/** `helm template <release> <chart> -n <namespace> -f values`: the chart's objects, as Argo CD would render them. */
export async function renderHouseChart(release: string, namespace: string, values: unknown): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'house-chart-'));
  try {
    writeFileSync(join(dir, 'values.yaml'), stringify(values));
    const { stdout } = await run(binaryPath('helm'), [
      'template',
      release,
      vclusterChartDir,
      '-n',
      namespace,
      '-f',
      join(dir, 'values.yaml'),
    ]);
    return stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The kinds of the rendered chart, for the test to check what it applied. */
export function renderedKinds(manifest: string): string[] {
  return parseAllDocuments(manifest)
    .map((document) => (document.toJSON() as { kind?: string } | null)?.kind)
    .filter((kind): kind is string => Boolean(kind));
}

/** Applies the rendered chart into its namespace (Pod Security `restricted`, as a house's namespace is). */
export async function applyHouseChart(
  http: KubeHttp,
  kubeconfig: string,
  namespace: string,
  manifest: string,
): Promise<void> {
  // Landlord's admission lets only the operator create a namespace labelled as a house: the test acts as break-glass.
  await http.request({
    method: 'POST',
    path: '/api/v1/namespaces',
    headers: asBreakGlass,
    body: {
      metadata: {
        name: namespace,
        labels: {
          // As the operator labels a house's namespace: the house runner runs pods only there.
          'landlord.dev/vcluster': 'true',
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
        },
      },
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'house-apply-'));
  try {
    writeFileSync(join(dir, 'chart.yaml'), manifest);
    await kubectl(
      kubeconfig,
      '--as',
      asBreakGlass['Impersonate-User'],
      '--as-group',
      asBreakGlass['Impersonate-Group'],
      'apply',
      '-n',
      namespace,
      '-f',
      join(dir, 'chart.yaml'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A hostPath PersistentVolume bound ahead to the StatefulSet's claim `data-<release>-0` (of the claim's class),
 * in a folder of the test's: the house's state.
 */
export async function bindDataVolume(
  http: KubeHttp,
  namespace: string,
  release: string,
  folder: string,
): Promise<string> {
  const claimName = `data-${release}-0`;
  const claim = await http.request<{
    spec: { storageClassName?: string; resources: { requests: { storage: string } } };
  }>({ method: 'GET', path: `/api/v1/namespaces/${namespace}/persistentvolumeclaims/${claimName}` });
  const name = `house-data-${namespace}`;
  await http.request({
    method: 'POST',
    path: '/api/v1/persistentvolumes',
    body: {
      metadata: { name },
      spec: {
        capacity: { storage: claim.spec.resources.requests.storage },
        accessModes: ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: claim.spec.storageClassName ?? '',
        hostPath: { path: folder, type: 'DirectoryOrCreate' },
        claimRef: { namespace, name: claimName },
      },
    },
  });
  return name;
}
