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
  /** The team's own Argo CD inside each house (`spec.services.argocd`, the default): issue 15, ADR 34. */
  argocd: HouseArgoCdSettings;
}

/** One Argo CD component's size: replicas, requests and limits (counted against the tenant's host quota). */
export interface ArgoCdComponentSize {
  replicas: number;
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

/** The Argo CD components a house runs, by the name of their Deployment or StatefulSet in upstream's manifests. */
export const houseArgoCdComponents = [
  'argocd-server',
  'argocd-repo-server',
  'argocd-application-controller',
  'argocd-redis',
  'argocd-applicationset-controller',
  'argocd-notifications-controller',
] as const;

/** A component of a house's Argo CD. */
export type HouseArgoCdComponent = (typeof houseArgoCdComponents)[number];

/**
 * How the host Argo CD installs a team's own Argo CD into its house: upstream's installation manifests at the
 * platform's pinned version, Landlord's settings layered on top (kustomize patches in the host Application, never a
 * fork of the manifests), people signed in through the platform's central Dex (sso.issuer), one OIDC client per house.
 */
export interface HouseArgoCdSettings {
  /**
   * Upstream's installation manifests: the Argo CD repository (or a mirror) at the pinned tag, the
   * `manifests/cluster-install` kustomization (Argo CD managing the whole house: it is the team's own cluster).
   */
  manifests: { repoURL: string; path: string; targetRevision: string };
  /** Argo CD's image (with tag) and redis's (with tag), from the platform's mirror, so the registry guardrail admits them. */
  images: { argocd: string; redis: string };
  /**
   * Its URL, for people, Dex's redirect and status.argocdURL: `{team}` and `{domain}` replaced, `{loopback}` by the
   * house's loopback address (local environments).
   */
  url: string;
  /**
   * An Ingress `argocd/argocd-server` inside the house for `argocd-<team>.<domain>`, which vCluster syncs to the host,
   * when the platform has an ingress controller. TLS ends at the controller with its default certificate (a wildcard
   * `*.<domain>` on the host): no private key ever enters the house, where the team could read it.
   */
  ingress: { enabled: boolean; className: string };
  /**
   * Where the house's Argo CD may connect on 443, as CIDRs: the central Dex (argocd-server signs people in there) and
   * the Git servers (repo-server, applicationset-controller). Empty: any address on 443, which `landlord audit`
   * reports; set it in production (docs/cluster-requirements.md).
   */
  egressCIDRs: string[];
  /** Each component's replicas, requests and limits: defaults fit for a small team. */
  footprint: Record<HouseArgoCdComponent, ArgoCdComponentSize>;
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
  argocd: {
    manifests: {
      repoURL: 'https://github.com/argoproj/argo-cd.git',
      path: 'manifests/cluster-install',
      targetRevision: 'v3.5.7',
    },
    images: {
      argocd: 'registry.landlord.local/argoproj/argocd:v3.5.7',
      redis: 'registry.landlord.local/library/redis:8.2.3-alpine',
    },
    url: 'https://argocd-{team}.{domain}',
    ingress: { enabled: false, className: 'nginx' },
    egressCIDRs: [],
    footprint: {
      'argocd-server': size(1, ['50m', '128Mi'], ['500m', '512Mi']),
      'argocd-repo-server': size(1, ['50m', '128Mi'], ['1', '1Gi']),
      'argocd-application-controller': size(1, ['100m', '256Mi'], ['1', '1Gi']),
      'argocd-redis': size(1, ['20m', '32Mi'], ['200m', '128Mi']),
      'argocd-applicationset-controller': size(1, ['20m', '64Mi'], ['200m', '256Mi']),
      'argocd-notifications-controller': size(1, ['10m', '32Mi'], ['100m', '128Mi']),
    },
  },
};

function size(replicas: number, [cpu, memory]: string[], [cpuLimit, memoryLimit]: string[]): ArgoCdComponentSize {
  return {
    replicas,
    requests: { cpu: cpu as string, memory: memory as string },
    limits: { cpu: cpuLimit as string, memory: memoryLimit as string },
  };
}

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
    houses.argocd.images.argocd,
    houses.argocd.images.redis,
  ];
}
