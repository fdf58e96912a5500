import type { PlatformConfig } from '../../api/platform-config.ts';
import type { Tenant } from '../../api/tenant.ts';
import { houseKubernetesVersion, houseServerURL } from '../house-address.ts';
import { hasHouseArgoCdIngress } from './argocd-ingress.ts';

/** The ServiceAccount inside the house the host Argo CD deploys the team's applications as (cluster-admin there). */
export const houseInnerDeployer = { name: 'landlord-argocd', namespace: 'kube-system' };

/** An image reference split as the chart takes it. */
export function splitImage(image: string): { registry: string; repository: string; tag: string } {
  const colon = image.lastIndexOf(':');
  const slash = image.indexOf('/');
  const [name, tag] = colon > image.lastIndexOf('/') ? [image.slice(0, colon), image.slice(colon + 1)] : [image, ''];
  return { registry: name.slice(0, slash), repository: name.slice(slash + 1), tag };
}

/** Pod Security `restricted` for every container the chart runs: the chart's default runs as root. A fresh copy each time. */
export const restrictedContainer = () => ({
  allowPrivilegeEscalation: false,
  runAsNonRoot: true,
  runAsUser: 65532,
  runAsGroup: 65532,
  readOnlyRootFilesystem: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
});

const restrictedPod = () => ({
  runAsNonRoot: true,
  runAsUser: 65532,
  runAsGroup: 65532,
  fsGroup: 65532,
  seccompProfile: { type: 'RuntimeDefault' },
});

/**
 * What the house runs inside itself at start: the ServiceAccount the host Argo CD impersonates (through the
 * registration's admin certificate) for applications targeting the house, cluster-admin inside the house only.
 */
function innerManifests(): string {
  const { name, namespace } = houseInnerDeployer;
  return [
    `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nautomountServiceAccountToken: false\n`,
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: ${name}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n  - kind: ServiceAccount\n    name: ${name}\n    namespace: ${namespace}\n`,
  ].join('---\n');
}

/**
 * Workloads of a house with a pool: the pool's toleration enforced on every synced pod; the admission policies give
 * every pod of the namespace the pool's nodeSelector (its placement annotation), which no label the team sets inside
 * the house changes. Not the chart's node sync selector: syncing real nodes needs a ClusterRole reading every node
 * and pod of the host (and nodes/proxy), which no house gets.
 */
function poolTolerations(tenant: Tenant, platform: PlatformConfig): string[] {
  if (!tenant.spec.nodePool) return [];
  return [`${platform.nodePools.taintKey}=${tenant.spec.teamName}:NoSchedule`];
}

/**
 * The vCluster chart's values for a house, checked against the chart's values.schema.json (values.test.ts renders
 * them with helm). The tenant's minor picks the platform's one patch release of it.
 */
export function buildHouseValues(tenant: Tenant, platform: PlatformConfig): Record<string, unknown> {
  const houses = platform.houses;
  const release = houseKubernetesVersion(tenant, platform).release;
  if (!release) throw new Error(`Kubernetes ${houseKubernetesVersion(tenant, platform).minor} is not served`);
  const server = houseServerURL(tenant, platform);
  const host = new URL(server).hostname;
  const ingressHost = `vcluster-${tenant.spec.teamName}.${platform.domain}`;
  const kubernetes = splitImage(`${houses.images.kubernetes}:${release}`);
  const { requests, limits, storage, storageClassName } = houses.controlPlane;
  return {
    telemetry: { enabled: false },
    // Landlord writes the namespace's NetworkPolicies, ResourceQuota and LimitRange itself.
    policies: { networkPolicy: { enabled: false }, resourceQuota: { enabled: false }, limitRange: { enabled: false } },
    controlPlane: {
      distro: {
        k8s: {
          enabled: true,
          image: kubernetes,
          securityContext: restrictedContainer(),
          resources: { requests: { cpu: '20m', memory: '64Mi' }, limits: { cpu: '100m', memory: '256Mi' } },
        },
      },
      statefulSet: {
        image: splitImage(houses.images.vcluster),
        resources: { requests, limits },
        security: { podSecurityContext: restrictedPod(), containerSecurityContext: restrictedContainer() },
        persistence: {
          volumeClaim: {
            enabled: true,
            size: storage,
            ...(storageClassName ? { storageClass: storageClassName } : {}),
          },
        },
      },
      coredns: {
        enabled: true,
        security: { podSecurityContext: restrictedPod(), containerSecurityContext: restrictedContainer() },
        deployment: { image: houses.images.coredns },
      },
      proxy: { extraSANs: [host, ...(houses.ingress.enabled ? [ingressHost] : [])] },
      ingress: houses.ingress.enabled
        ? {
            enabled: true,
            host: ingressHost,
            spec: { ingressClassName: houses.ingress.className, tls: [{ hosts: [ingressHost] }] },
          }
        : { enabled: false },
    },
    exportKubeConfig: { server },
    sync: {
      toHost: {
        // The house's Argo CD's Ingress reaches the host this way; the host's guardrail judges every synced Ingress.
        ingresses: { enabled: hasHouseArgoCdIngress(tenant, platform) },
        pods: {
          enforceTolerations: poolTolerations(tenant, platform),
          // The house's ServiceAccount tokens go to a Secret of the host namespace, not into the host pod's
          // annotations, where whoever may read pods on the host (the `view` role) would read them.
          useSecretsForSATokens: true,
          // The init container a StatefulSet's pods get comes from the mirror too, or the registry guardrail refuses them.
          rewriteHosts: { initContainer: { image: splitImage(houses.images.hostsRewriter) } },
        },
      },
    },
    experimental: { deploy: { vcluster: { manifests: innerManifests() } } },
  };
}
