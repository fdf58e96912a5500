import type { PlatformConfig } from '../api/platform-config.ts';
import type { Manifest } from '../tenancy/manifest.ts';

/** Landlord's own namespace: the operator and the portal. */
export const landlordNamespace = 'landlord-system';
/** Where the directory (LDAP) and Dex run. */
export const identityNamespace = 'landlord-identity';

/** A source allowed into a platform namespace: pods of another namespace, to some pods and ports. */
interface AllowedSource {
  name: string;
  fromNamespace: string;
  toPods: Record<string, string>;
  ports: number[];
}

/** A platform namespace and who may reach it besides its own pods. */
interface PlatformNamespace {
  name: string;
  allowed: AllowedSource[];
}

const namespaceNameLabel = 'kubernetes.io/metadata.name';

/**
 * The platform namespaces and their explicit allows. Tenants are in none of them: a team's egress reaches no
 * repo-server, redis, Dex, LDAP or operator. People reach the UIs through the ingress controller only.
 */
export function platformNamespaces(platform: PlatformConfig): PlatformNamespace[] {
  const ingress = platform.ingressNamespace;
  return [
    {
      name: platform.argocd.namespace,
      allowed: [
        {
          name: 'ingress-to-server',
          fromNamespace: ingress,
          toPods: { 'app.kubernetes.io/name': 'argocd-server' },
          ports: [8080],
        },
      ],
    },
    {
      name: landlordNamespace,
      allowed: [
        {
          name: 'ingress-to-portal',
          fromNamespace: ingress,
          toPods: { 'app.kubernetes.io/name': 'landlord-portal' },
          ports: [8080],
        },
      ],
    },
    {
      name: identityNamespace,
      allowed: [
        { name: 'ingress-to-dex', fromNamespace: ingress, toPods: { 'app.kubernetes.io/name': 'dex' }, ports: [5556] },
        // Token exchange at sign-in: Argo CD and the portal call Dex directly.
        {
          name: 'argocd-to-dex',
          fromNamespace: platform.argocd.namespace,
          toPods: { 'app.kubernetes.io/name': 'dex' },
          ports: [5556],
        },
        {
          name: 'landlord-to-dex',
          fromNamespace: landlordNamespace,
          toPods: { 'app.kubernetes.io/name': 'dex' },
          ports: [5556],
        },
      ],
    },
  ];
}

/** Default-deny ingress in every platform namespace, its own pods allowed, and each explicit allow. */
export function buildPlatformNetworkPolicies(platform: PlatformConfig): Manifest[] {
  return platformNamespaces(platform).flatMap(({ name, allowed }) => [
    policy(name, 'default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }),
    policy(name, 'allow-same-namespace', {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: {} }] }],
    }),
    ...allowed.map((source) =>
      policy(name, `allow-${source.name}`, {
        podSelector: { matchLabels: source.toPods },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { [namespaceNameLabel]: source.fromNamespace } } }],
            ports: source.ports.map((port) => ({ protocol: 'TCP', port })),
          },
        ],
      }),
    ),
  ]);
}

function policy(namespace: string, name: string, spec: Record<string, unknown>): Manifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    // Installed with the platform (not by the operator for a tenant): no managed-by label, no tenant label.
    metadata: { name, namespace, labels: { 'app.kubernetes.io/part-of': 'landlord' } },
    spec,
  };
}
