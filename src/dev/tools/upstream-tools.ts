import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One binary built from an upstream Go module. */
export interface ToolBinary {
  name: string;
  /** The main package to build. */
  goPackage: string;
}

/** One upstream, pinned by its own Go module under tools/<name>. */
export interface UpstreamTool {
  /** Also the folder of its Go module under tools/; version-qualified (`kubernetes-1.35`) for an extra release. */
  name: string;
  /**
   * Another release of a tool the host runs (houses run Kubernetes 1.35 beside the host's 1.36): its binaries are
   * reached only by tool (`toolNamed`), never by binary name, so `binaryPath('kube-apiserver')` stays the host's.
   */
  extraReleaseOf?: string;
  /** The upstream module whose version pins the tool (read from tools/<name>/go.mod). */
  module: string;
  binaries: ToolBinary[];
  buildTags?: string[];
  /** Link flags that stamp the real version, so /version and version checks see it. */
  ldflags?: (version: string) => string[];
  /** Free memory the build needs, in GiB (the Kubernetes link step is the hungry one). */
  memoryGiB: number;
  /** Needs cgo (Dex's config refers to its SQLite storage, compiled only with cgo); the rest build static. */
  cgo?: boolean;
  /** The release a pseudo-version stands for, when the proxy serves the tool only by pseudo-version. */
  release?: string;
  /** Folders of the module the binaries read at run time, copied beside them (Gitea's locales and templates). */
  assets?: string[];
}

/** Root of the Go modules that pin the upstream tools. */
export const toolsModulesDir = join(import.meta.dirname, '..', '..', '..', 'tools');

const kubernetesVersionFlags = (version: string): string[] => {
  const [major, minor] = version.replace(/^v/, '').split('.');
  return [
    `-X k8s.io/component-base/version.gitVersion=${version}`,
    `-X k8s.io/component-base/version.gitMajor=${major}`,
    `-X k8s.io/component-base/version.gitMinor=${minor}`,
    '-X k8s.io/component-base/version.gitTreeState=clean',
    `-X k8s.io/client-go/pkg/version.gitVersion=${version}`,
    `-X k8s.io/client-go/pkg/version.gitMajor=${major}`,
    `-X k8s.io/client-go/pkg/version.gitMinor=${minor}`,
  ];
};

/** The Dex release tools/dex pins (by pseudo-version: see its go.mod). */
const dexRelease = 'v2.41.1';

/** Every upstream tool Landlord's local environment and tests run. */
export const upstreamTools: UpstreamTool[] = [
  {
    name: 'etcd',
    module: 'go.etcd.io/etcd/server/v3',
    binaries: [{ name: 'etcd', goPackage: 'go.etcd.io/etcd/server/v3' }],
    memoryGiB: 1,
  },
  {
    name: 'kwok',
    module: 'sigs.k8s.io/kwok',
    binaries: [
      { name: 'kwok', goPackage: 'sigs.k8s.io/kwok/cmd/kwok' },
      { name: 'kwokctl', goPackage: 'sigs.k8s.io/kwok/cmd/kwokctl' },
    ],
    ldflags: (version) => [`-X sigs.k8s.io/kwok/pkg/consts.Version=${version.replace(/^v/, '')}`],
    memoryGiB: 1,
  },
  {
    name: 'kubernetes',
    module: 'k8s.io/kubernetes',
    binaries: ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl'].map((name) => ({
      name,
      goPackage: `k8s.io/kubernetes/cmd/${name}`,
    })),
    buildTags: ['selinux', 'notest'],
    ldflags: kubernetesVersionFlags,
    memoryGiB: 3,
  },
  {
    name: 'kubernetes-1.35',
    extraReleaseOf: 'kubernetes',
    module: 'k8s.io/kubernetes',
    // What vCluster's Kubernetes distro image holds; kubectl is the host's.
    binaries: ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].map((name) => ({
      name,
      goPackage: `k8s.io/kubernetes/cmd/${name}`,
    })),
    buildTags: ['selinux', 'notest'],
    ldflags: kubernetesVersionFlags,
    memoryGiB: 3,
  },
  {
    name: 'helm',
    module: 'helm.sh/helm/v4',
    binaries: [{ name: 'helm', goPackage: 'helm.sh/helm/v4/cmd/helm' }],
    ldflags: (version) => [`-X helm.sh/helm/v4/internal/version.version=${version}`],
    memoryGiB: 1,
  },
  {
    name: 'kustomize',
    module: 'sigs.k8s.io/kustomize/kustomize/v5',
    binaries: [{ name: 'kustomize', goPackage: 'sigs.k8s.io/kustomize/kustomize/v5' }],
    ldflags: (version) => [`-X sigs.k8s.io/kustomize/api/provenance.version=kustomize/${version}`],
    memoryGiB: 1,
  },
  {
    name: 'dex',
    module: 'github.com/dexidp/dex',
    release: dexRelease,
    cgo: true,
    binaries: [{ name: 'dex', goPackage: 'github.com/dexidp/dex/cmd/dex' }],
    ldflags: () => [`-X main.version=${dexRelease}`],
    memoryGiB: 1,
  },
  {
    // One multicall binary: ARGOCD_BINARY_NAME picks the server, repo-server or application controller.
    name: 'argocd',
    module: 'github.com/argoproj/argo-cd/v3',
    binaries: [{ name: 'argocd', goPackage: 'github.com/argoproj/argo-cd/v3/cmd' }],
    ldflags: (version) => [
      `-X github.com/argoproj/argo-cd/v3/common.version=${version.replace(/^v/, '')}`,
      '-X github.com/argoproj/argo-cd/v3/common.gitTreeState=clean',
    ],
    memoryGiB: 3,
  },
  {
    // The open-source vCluster a house's pod runs (its in-pod entrypoint, `vcluster start`).
    name: 'vcluster',
    module: 'github.com/loft-sh/vcluster',
    binaries: [{ name: 'vcluster', goPackage: 'github.com/loft-sh/vcluster/cmd/vcluster' }],
    // Its version stays unstamped ("dev"): vCluster sends no telemetry from a "dev" build, whatever the config says.
    memoryGiB: 2,
  },
  {
    // vCluster's default backing store: kine over SQLite in the house's /data (SQLite needs cgo, as for Dex).
    name: 'kine',
    module: 'github.com/k3s-io/kine',
    cgo: true,
    buildTags: ['sqlite_unlock_notify'],
    binaries: [{ name: 'kine', goPackage: 'github.com/k3s-io/kine' }],
    ldflags: (version) => [`-X github.com/k3s-io/kine/pkg/version.Version=${version}`],
    memoryGiB: 1,
  },
  {
    // The local Git forge; SQLite needs cgo. Built without `bindata`: no web assets, the API is all Landlord uses.
    name: 'gitea',
    module: 'code.gitea.io/gitea',
    cgo: true,
    buildTags: ['sqlite', 'sqlite_unlock_notify'],
    binaries: [{ name: 'gitea', goPackage: 'code.gitea.io/gitea' }],
    // Without `bindata` Gitea reads these from its STATIC_ROOT_PATH: it will not start without its locales.
    assets: ['options', 'templates'],
    ldflags: (version) => [`-X main.Version=${version.replace(/^v/, '')}`, '-X main.Tags=sqlite,sqlite_unlock_notify'],
    memoryGiB: 2,
  },
];

/** The pinned version of a tool: the version its go.mod requires of the upstream module. */
export function pinnedVersion(tool: UpstreamTool): string {
  const goMod = readFileSync(join(toolsModulesDir, tool.name, 'go.mod'), 'utf8');
  const escaped = tool.module.replaceAll('.', '\\.');
  const match = goMod.match(new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm'));
  if (!match?.[1]) throw new Error(`tools/${tool.name}/go.mod does not require ${tool.module}`);
  return match[1];
}

/** Finds a tool by the name of one of its binaries (the host's release when several releases build it). */
export function toolOfBinary(binary: string): UpstreamTool {
  const tool = upstreamTools.find(
    (candidate) => !candidate.extraReleaseOf && candidate.binaries.some((b) => b.name === binary),
  );
  if (!tool) throw new Error(`no upstream tool builds a binary named ${binary}`);
  return tool;
}

/** Finds a tool by its name, such as `kubernetes-1.35`. */
export function toolNamed(name: string): UpstreamTool {
  const tool = upstreamTools.find((candidate) => candidate.name === name);
  if (!tool)
    throw new Error(`no upstream tool is named ${name}; known: ${upstreamTools.map((t) => t.name).join(', ')}`);
  return tool;
}

/** Every release of a tool: the tool itself and its extra releases (`kubernetes` and `kubernetes-1.35`). */
export function releasesOf(name: string): UpstreamTool[] {
  return upstreamTools.filter((tool) => tool.name === name || tool.extraReleaseOf === name);
}
