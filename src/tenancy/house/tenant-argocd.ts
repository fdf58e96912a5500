import { stringify } from 'yaml';
import { parseQuantity } from '../quantity.ts';
import {
  houseArgoCdComponents,
  type ArgoCdComponentSize,
  type HouseArgoCdComponent,
} from '../../api/house-settings.ts';
import type { PlatformConfig } from '../../api/platform-config.ts';
import type { Tenant } from '../../api/tenant.ts';
import { cascadeFinalizer } from '../cascade-finalizer.ts';
import { houseArgoCdURL, houseServerURL } from '../house-address.ts';
import type { Manifest } from '../manifest.ts';
import {
  houseArgoCdApplicationName,
  houseArgoCdNamespace,
  houseArgoName,
  houseOidcClientId,
  houseSsoSecretName,
} from '../names.ts';
import { tenantLabels } from '../ownership.ts';
import { isHouse } from './is-house.ts';

/** The images upstream's manifests name at the pinned version, replaced by the platform's mirror. */
export const upstreamArgoCdImages = { argocd: 'quay.io/argoproj/argocd', redis: 'public.ecr.aws/docker/library/redis' };

/** Which workload each component is in upstream's manifests, and its containers (init containers first). */
const workloads: Record<HouseArgoCdComponent, { kind: string; init: string[]; containers: string[] }> = {
  'argocd-server': { kind: 'Deployment', init: [], containers: ['argocd-server'] },
  'argocd-repo-server': { kind: 'Deployment', init: ['copyutil'], containers: ['argocd-repo-server'] },
  'argocd-application-controller': { kind: 'StatefulSet', init: [], containers: ['argocd-application-controller'] },
  'argocd-redis': { kind: 'Deployment', init: ['secret-init'], containers: ['redis'] },
  'argocd-applicationset-controller': {
    kind: 'Deployment',
    init: [],
    containers: ['argocd-applicationset-controller'],
  },
  'argocd-notifications-controller': {
    kind: 'Deployment',
    init: [],
    containers: ['argocd-notifications-controller'],
  },
};

/**
 * Upstream's bundled Dex, removed whole: people sign in through the platform's central Dex (one OIDC client per
 * house), so no directory bind password ever sits in a house whose team is cluster-admin there (ADR 34).
 */
const bundledDex: { apiVersion: string; kind: string; name: string }[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment', name: 'argocd-dex-server' },
  { apiVersion: 'v1', kind: 'Service', name: 'argocd-dex-server' },
  { apiVersion: 'v1', kind: 'ServiceAccount', name: 'argocd-dex-server' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', name: 'argocd-dex-server' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', name: 'argocd-dex-server' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', name: 'argocd-dex-server-network-policy' },
];

/** Whether the tenant gets its own Argo CD in its house (`spec.services.argocd`, true by the CRD's default). */
export function hasHouseArgoCd(tenant: Tenant): boolean {
  return isHouse(tenant) && (tenant.spec.services as { argocd?: boolean } | undefined)?.argocd !== false;
}

/**
 * The host Application installing the team's Argo CD into its house: upstream's manifests at the pinned tag with
 * Landlord's settings as kustomize patches (never a fork), into `argocd` inside the house, in the house's project
 * (so only the house is a destination), pruned and self-healed, deleted with what it deployed (cascade).
 */
export function buildTenantArgoCdApplication(tenant: Tenant, platform: PlatformConfig): Manifest {
  const { manifests } = platform.houses.argocd;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: houseArgoCdApplicationName(tenant),
      namespace: platform.argocd.namespace,
      labels: tenantLabels(tenant),
      finalizers: [cascadeFinalizer],
    },
    spec: {
      project: houseArgoName(tenant),
      source: {
        repoURL: manifests.repoURL,
        path: manifests.path,
        targetRevision: manifests.targetRevision,
        kustomize: tenantArgoCdKustomize(tenant, platform),
      },
      destination: { server: houseServerURL(tenant, platform), namespace: houseArgoCdNamespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        // Server-side: upstream's CRDs are too large for the last-applied annotation of a client-side apply.
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
        // Retried for good, backing off to 3 minutes: an automated sync never tries a failed pinned revision again.
        retry: { limit: -1, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
      },
    },
  };
}

/** The Application's `kustomize` block: images from the mirror, and the patches (Argo CD's spec.source.kustomize). */
export function tenantArgoCdKustomize(tenant: Tenant, platform: PlatformConfig) {
  const { images, footprint } = platform.houses.argocd;
  return {
    images: [`${upstreamArgoCdImages.argocd}=${images.argocd}`, `${upstreamArgoCdImages.redis}=${images.redis}`],
    patches: [
      ...configPatches(tenant, platform),
      ...houseArgoCdComponents.map((component) => sizePatch(component, footprint[component])),
      ...bundledDex.map(deletePatch),
    ],
  };
}

/** argocd-cm (URL, single sign-on, no local admin nor anonymous), argocd-rbac-cm and argocd-cmd-params-cm. */
function configPatches(tenant: Tenant, platform: PlatformConfig): { patch: string }[] {
  const oidc = {
    name: 'Company directory',
    issuer: platform.sso.issuer,
    clientID: houseOidcClientId(tenant),
    // Argo CD reads `$<secret>:<key>` from a Secret labelled part-of argocd in its namespace: the operator writes it.
    clientSecret: `$${houseSsoSecretName}:clientSecret`,
    requestedScopes: ['openid', 'profile', 'email', 'groups'],
  };
  return [
    configMap('argocd-cm', {
      url: houseArgoCdURL(tenant, platform),
      'oidc.config': stringify(oidc),
      'admin.enabled': 'false',
      'users.anonymous.enabled': 'false',
    }),
    configMap('argocd-rbac-cm', {
      // Nobody but the team and the platform's admins gets anything: no default role (the article gave readonly).
      'policy.default': '',
      'policy.csv': houseArgoCdPolicy(tenant, platform),
      scopes: '[groups]',
    }),
    // TLS ends at the ingress (locally: plain http on the house's loopback address).
    configMap('argocd-cmd-params-cm', { 'server.insecure': 'true' }),
  ];
}

/** The house's Argo CD RBAC: the tenant's directory group and the platform's admin groups are role:admin. */
export function houseArgoCdPolicy(tenant: Tenant, platform: PlatformConfig): string {
  const groups = [...new Set([tenant.spec.adGroup, ...platform.sso.adminGroups])];
  return groups.map((group) => `g, ${group}, role:admin\n`).join('');
}

function configMap(name: string, data: Record<string, string>): { patch: string } {
  return { patch: stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data }) };
}

/** A component's replicas, and requests and limits on each of its containers (init containers too). */
function sizePatch(component: HouseArgoCdComponent, size: ArgoCdComponentSize): { patch: string } {
  const { kind, init, containers } = workloads[component];
  const resources = { requests: size.requests, limits: size.limits };
  const sized = (name: string) => ({ name, resources });
  const podSpec = {
    ...(init.length > 0 ? { initContainers: init.map(sized) } : {}),
    containers: containers.map(sized),
  };
  return {
    patch: stringify({
      apiVersion: 'apps/v1',
      kind,
      metadata: { name: component },
      spec: { replicas: size.replicas, template: { spec: podSpec } },
    }),
  };
}

function deletePatch(object: { apiVersion: string; kind: string; name: string }): { patch: string } {
  return {
    patch: stringify({
      $patch: 'delete',
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: { name: object.name },
    }),
  };
}

/** The team's Argo CD's Application in the host Argo CD, when the tenant has one; nothing otherwise. */
export function buildTenantArgoCd(tenant: Tenant, platform: PlatformConfig): Manifest[] {
  return hasHouseArgoCd(tenant) ? [buildTenantArgoCdApplication(tenant, platform)] : [];
}

/** What a team's Argo CD takes of its quota, in thousandths: each component's requests and limits times its replicas. */
export function houseArgoCdFootprint(platform: PlatformConfig): {
  requests: { cpu: bigint; memory: bigint };
  limits: { cpu: bigint; memory: bigint };
} {
  const total = { requests: { cpu: 0n, memory: 0n }, limits: { cpu: 0n, memory: 0n } };
  for (const component of houseArgoCdComponents) {
    const size = platform.houses.argocd.footprint[component];
    const replicas = BigInt(size.replicas);
    for (const kind of ['requests', 'limits'] as const)
      for (const resource of ['cpu', 'memory'] as const)
        total[kind][resource] += parseQuantity(size[kind][resource]) * replicas;
  }
  return total;
}
