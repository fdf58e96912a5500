import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPlatformConfig as platform } from '../api/platform-config.ts';
import type { Manifest } from '../tenancy/manifest.ts';
import { buildPlatformNetworkPolicies, identityNamespace, landlordNamespace } from './platform-network.ts';

type Spec = { podSelector: object; policyTypes: string[]; ingress?: { from?: Record<string, unknown>[] }[] };
const policies = buildPlatformNetworkPolicies(platform);
const specOf = (policy: Manifest) => policy.spec as Spec;

describe('the platform namespaces network policies', () => {
  it('deny all ingress by default in Argo CD, Landlord and identity namespaces', () => {
    for (const namespace of [platform.argocd.namespace, landlordNamespace, identityNamespace]) {
      const deny = policies.find(
        (p) => p.metadata.namespace === namespace && p.metadata.name === 'default-deny-ingress',
      );
      assert.deepEqual(deny?.spec, { podSelector: {}, policyTypes: ['Ingress'] }, namespace);
    }
  });

  it('admit no source but the namespace itself and named platform namespaces: never a tenant, never an address', () => {
    const platformNames = new Set([
      platform.argocd.namespace,
      landlordNamespace,
      identityNamespace,
      platform.ingressNamespace,
    ]);
    const peers = policies.flatMap((policy) => (specOf(policy).ingress ?? []).flatMap((rule) => rule.from ?? []));
    assert.ok(peers.length > 0);
    for (const peer of peers) {
      assert.equal(peer.ipBlock, undefined);
      const selector = peer.namespaceSelector as { matchLabels?: Record<string, string> } | undefined;
      if (!selector) continue;
      const name = selector.matchLabels?.['kubernetes.io/metadata.name'];
      assert.ok(name && platformNames.has(name), `a rule admits namespaces ${JSON.stringify(selector)}`);
    }
    for (const policy of policies)
      for (const rule of specOf(policy).ingress ?? []) assert.ok(rule.from?.length, 'no rule admits everyone');
  });

  it('lets people reach the UIs only through the ingress controller, to the UI pods only', () => {
    const fromIngress = policies.filter((policy) =>
      JSON.stringify(policy.spec).includes(`"kubernetes.io/metadata.name":"${platform.ingressNamespace}"`),
    );
    assert.deepEqual(
      fromIngress.map((p) => `${p.metadata.namespace}/${JSON.stringify(specOf(p).podSelector)}`).sort(),
      [
        `${platform.argocd.namespace}/{"matchLabels":{"app.kubernetes.io/name":"argocd-server"}}`,
        `${identityNamespace}/{"matchLabels":{"app.kubernetes.io/name":"dex"}}`,
        `${landlordNamespace}/{"matchLabels":{"app.kubernetes.io/name":"landlord-portal"}}`,
      ].sort(),
    );
  });
});
