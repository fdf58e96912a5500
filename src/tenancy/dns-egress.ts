import type { PlatformConfig } from '../api/platform-config.ts';

/** The label the API server sets on every namespace to its name: one no team can forge. */
export const namespaceNameLabel = 'kubernetes.io/metadata.name';

/** A NetworkPolicy peer: every pod of the namespace of that name. */
export function inNamespace(name: string) {
  return { namespaceSelector: { matchLabels: { [namespaceNameLabel]: name } } };
}

/** The one egress every tenant's pods always have: the cluster's DNS, on port 53. */
export function dnsEgressRule(platform: PlatformConfig) {
  return {
    to: [{ ...inNamespace(platform.dns.namespace), podSelector: { matchLabels: platform.dns.podLabels } }],
    ports: [
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ],
  };
}
