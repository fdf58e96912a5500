import type { PlatformConfig } from '../api/platform-config.ts';
import type { Manifest } from '../tenancy/manifest.ts';
import { admissionSettingsName } from './admission-settings.ts';
import { landlordNamespace } from './platform-network.ts';

/** A guardrail policy of deploy/admission/guard-*.yaml, and whether it reads the landlord-admission ConfigMap. */
interface Guardrail {
  policy: string;
  params: boolean;
}

/** The workload guardrails (ADR "guardrails bound from the platform configuration"). */
export const guardrails: Guardrail[] = [
  { policy: 'landlord-guard-services', params: false },
  { policy: 'landlord-guard-host-access', params: false },
  { policy: 'landlord-guard-registries', params: true },
  { policy: 'landlord-guard-ingresses', params: true },
  { policy: 'landlord-guard-token-secrets', params: false },
  { policy: 'landlord-guard-volume-claims', params: false },
  { policy: 'landlord-guard-node-placement', params: true },
];

/** Kubernetes' own namespaces: never a tenant's, whatever the platform configuration says. */
const kubernetesNamespaces = ['kube-system', 'kube-public', 'kube-node-lease'];

/**
 * The namespaces the guardrails leave alone: the platform's own (its settings' platformNamespaces, Argo CD's,
 * the ingress controller's, cluster DNS's) and Kubernetes'. Every other namespace is judged, labelled or not.
 */
export function unguardedNamespaces(platform: PlatformConfig): string[] {
  const names = [
    ...kubernetesNamespaces,
    ...platform.platformNamespaces,
    platform.argocd.namespace,
    platform.ingressNamespace,
    platform.dns.namespace,
  ];
  return [...new Set(names)].toSorted();
}

/**
 * One binding per guardrail, selecting namespaces by name (the API server's own kubernetes.io/metadata.name
 * label), so a namespace that lacks Landlord's labels is judged too.
 */
export function buildGuardrailBindings(platform: PlatformConfig): Manifest[] {
  const namespaceSelector = {
    matchExpressions: [
      { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: unguardedNamespaces(platform) },
    ],
  };
  return guardrails.map(({ policy, params }) => ({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: policy, labels: { 'app.kubernetes.io/part-of': 'landlord' } },
    spec: {
      policyName: policy,
      validationActions: ['Deny', 'Audit'],
      matchResources: { namespaceSelector },
      ...(params
        ? {
            paramRef: {
              name: admissionSettingsName,
              namespace: landlordNamespace,
              parameterNotFoundAction: 'Deny',
            },
          }
        : {}),
    },
  }));
}
