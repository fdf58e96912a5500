import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPlatformConfig, parsePlatformConfig } from '../api/platform-config.ts';
import { buildAdmissionSettings } from './admission-settings.ts';
import { buildGuardrailBindings, unguardedNamespaces } from './guardrails.ts';

describe("the guardrails' bindings", () => {
  it("leave alone only the platform's namespaces and Kubernetes', by name", () => {
    assert.deepEqual(unguardedNamespaces(defaultPlatformConfig), [
      'argocd',
      'ingress-nginx',
      'kube-node-lease',
      'kube-public',
      'kube-system',
      'landlord-identity',
      'landlord-system',
    ]);
    const moved = parsePlatformConfig({ platformNamespaces: ['ops'], argocd: { namespace: 'gitops' } });
    assert.deepEqual(unguardedNamespaces(moved), [
      'gitops',
      'ingress-nginx',
      'kube-node-lease',
      'kube-public',
      'kube-system',
      'ops',
    ]);
  });

  it('select namespaces by the name the API server sets, never by a label a namespace may lack', () => {
    for (const binding of buildGuardrailBindings(defaultPlatformConfig)) {
      const spec = binding.spec as { matchResources: { namespaceSelector: object } };
      assert.deepEqual(spec.matchResources.namespaceSelector, {
        matchExpressions: [
          {
            key: 'kubernetes.io/metadata.name',
            operator: 'NotIn',
            values: unguardedNamespaces(defaultPlatformConfig),
          },
        ],
      });
    }
  });

  it('hand the policies the allowed registries, the domain, the platform hosts and the node pool keys as strings', () => {
    const config = parsePlatformConfig({
      domain: 'apps.bank.example',
      allowedRegistries: ['registry.bank.example', 'docker.io/library'],
      houses: { enabled: false },
      argocd: { url: 'https://argocd.bank.example' },
      nodePools: { taintKey: 'bank.example/dedicated', spare: { label: 'bank.example/idle' } },
    });
    assert.deepEqual(buildAdmissionSettings(config).data, {
      tenantNetworkPolicies: 'refuse',
      allowedRegistries: 'registry.bank.example,docker.io/library',
      domain: 'apps.bank.example',
      platformHosts: 'argocd.bank.example',
      nodePlacementLabel: 'node-restriction.kubernetes.io/nodepool',
      nodeTaintKey: 'bank.example/dedicated',
      spareTaintKey: 'bank.example/idle',
    });
  });
});
