import { cidrProblem } from './cidr.ts';

/** How houses (virtual-cluster tenants) are built on this platform: one section of the platform configuration. */
export interface HouseSettings {
  /** Whether the platform offers houses at all; without them `isolation: vcluster` leaves the tenant Failed. */
  enabled: boolean;
  /** The vCluster Helm chart the host Argo CD installs (real clusters: the chart repository or a mirror of it). */
  chart: { repoURL: string; name: string; version: string };
  /**
   * The Kubernetes minor versions houses may run, each with the one patch release the platform runs for it: a
   * tenant names the minor (`1.36`), the platform chooses the patch, so every house of a minor runs the same build
   * and a patch upgrade is one line here.
   */
  kubernetesVersions: Record<string, string>;
  /** The minor a house runs when its tenant names none. */
  defaultKubernetesVersion: string;
  /**
   * Images from the platform's registry mirror, so the registry guardrail admits them: vCluster's open-source image
   * (with tag), the Kubernetes distro image (without tag: the tag is the patch release), CoreDNS (with tag), and the
   * small shell image (with tag) vCluster adds as an init container to a StatefulSet's pods to write their hosts file.
   */
  images: { vcluster: string; kubernetes: string; coredns: string; hostsRewriter: string };
  /** The control plane's resources (the article: requests 200m/512Mi, limits 2 cores/4Gi) and its volume. */
  controlPlane: {
    requests: { cpu: string; memory: string };
    limits: { cpu: string; memory: string };
    /** Size of the control plane's persistent volume (its state); counted against the tenant's storage quota. */
    storage: string;
    /** StorageClass of that volume; empty for the cluster's default class. */
    storageClassName: string;
  };
  /**
   * The address of a house's API server for Argo CD, the operator and people: in the exported kubeconfig, the
   * certificate and the registration. `{team}` and `{domain}` are replaced; `{loopback}` by the house's own
   * loopback address (127.x.y.z, derived from the team name: local environments, where no ingress runs).
   */
  apiServerURL: string;
  /** An Ingress `vcluster-<team>.<domain>` (TLS passthrough to the virtual API server) when the platform has one. */
  ingress: { enabled: boolean; className: string };
  /**
   * Where the host API server answers, as CIDRs: the `kubernetes` Service's ClusterIP and the API servers' own
   * addresses (its EndpointSlice). A house's control plane may reach these only, on 443 and 6443. Empty: any
   * address on those ports, which lets a house's API server call a webhook the team names anywhere on them; set it
   * in production (docs/cluster-requirements.md).
   */
  hostAPIServerCIDRs: string[];
  /**
   * Seconds a decommission waits for what the team left inside its house (finalizers included) to go, before it
   * goes on and says so in status: a finalizer the team left cannot hold the teardown forever.
   */
  teardownSeconds: number;
}

/** The article's figures; images from the default mirror (`registry.landlord.local`, the default allowed registry). */
export const defaultHouseSettings: HouseSettings = {
  enabled: true,
  chart: { repoURL: 'https://charts.loft.sh', name: 'vcluster', version: '0.36.1' },
  kubernetesVersions: { '1.35': 'v1.35.4', '1.36': 'v1.36.3' },
  defaultKubernetesVersion: '1.36',
  images: {
    vcluster: 'registry.landlord.local/loft-sh/vcluster-oss:0.36.1',
    kubernetes: 'registry.landlord.local/loft-sh/kubernetes',
    coredns: 'registry.landlord.local/coredns/coredns:1.12.4',
    hostsRewriter: 'registry.landlord.local/library/alpine:3.20',
  },
  controlPlane: {
    requests: { cpu: '200m', memory: '512Mi' },
    limits: { cpu: '2', memory: '4Gi' },
    storage: '5Gi',
    storageClassName: '',
  },
  apiServerURL: 'https://vcluster-{team}.{domain}',
  ingress: { enabled: false, className: 'nginx' },
  hostAPIServerCIDRs: [],
  teardownSeconds: 300,
};

/** A Kubernetes minor version as tenants name it. */
export const minorVersionPattern = /^1\.[0-9]{1,2}$/;
/** A patch release as the platform pins it. */
const patchReleasePattern = /^v1\.[0-9]{1,2}\.[0-9]{1,3}$/;

/** Checks the houses section; `fail` builds the error naming the field, the value and what is allowed. */
export function checkHouseSettings(houses: HouseSettings, fail: (message: string) => Error): void {
  checkKubernetesVersions(houses, fail);
  const placeholders = houses.apiServerURL.match(/\{[^}]*\}/g) ?? [];
  const unknown = placeholders.find((p) => !['{team}', '{domain}', '{loopback}'].includes(p));
  if (unknown) throw fail(`houses.apiServerURL: placeholder ${unknown} is unknown; use {team}, {domain} or {loopback}`);
  if (!houses.apiServerURL.startsWith('https://'))
    throw fail(
      `houses.apiServerURL: "${houses.apiServerURL}" must start with https:// (a virtual API server speaks TLS)`,
    );
  for (const [index, cidr] of houses.hostAPIServerCIDRs.entries()) {
    const problem = cidrProblem(cidr);
    if (problem) throw fail(`houses.hostAPIServerCIDRs[${index}]: ${JSON.stringify(cidr)} ${problem}`);
  }
  if (!Number.isInteger(houses.teardownSeconds) || houses.teardownSeconds < 10 || houses.teardownSeconds > 3600)
    throw fail(`houses.teardownSeconds: ${houses.teardownSeconds} is not allowed; use a whole number from 10 to 3600`);
}

function checkKubernetesVersions(houses: HouseSettings, fail: (message: string) => Error): void {
  const minors = Object.keys(houses.kubernetesVersions);
  if (minors.length === 0)
    throw fail('houses.kubernetesVersions: names no version; list at least one, such as "1.36": "v1.36.3"');
  for (const [minor, patch] of Object.entries(houses.kubernetesVersions)) {
    if (!minorVersionPattern.test(minor))
      throw fail(`houses.kubernetesVersions: key "${minor}" is not a minor version such as 1.36`);
    if (typeof patch !== 'string' || !patchReleasePattern.test(patch) || !patch.startsWith(`v${minor}.`))
      throw fail(
        `houses.kubernetesVersions.${minor}: ${JSON.stringify(patch)} is not a patch release of ${minor} such as v${minor}.0`,
      );
  }
  if (!(houses.defaultKubernetesVersion in houses.kubernetesVersions))
    throw fail(
      `houses.defaultKubernetesVersion: "${houses.defaultKubernetesVersion}" is not one of houses.kubernetesVersions (${minors.join(', ')})`,
    );
}

/** Every image a house runs, for the registry check against allowedRegistries. */
export function houseImages(houses: HouseSettings): string[] {
  return [
    houses.images.vcluster,
    `${houses.images.kubernetes}:tag`,
    houses.images.coredns,
    houses.images.hostsRewriter,
  ];
}
