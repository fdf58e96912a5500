import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LooseDocument } from '../../../test/fixtures/tenants.ts';
import { storedTenant } from '../../../test/fixtures/tenant-objects.ts';
import { defaultPlatformConfig, type PlatformConfig } from '../../api/platform-config.ts';
import { buildHouseArgoCdIngress, hasHouseArgoCdIngress } from './argocd-ingress.ts';
import { buildHouseNetworkPolicies } from './network.ts';
import { buildHouseValues } from './values.ts';

const house = (edit: (t: LooseDocument) => void = () => {}) =>
  storedTenant((t) => {
    t.spec.isolation = 'vcluster';
    delete t.spec.nodePool;
    edit(t);
  });
const withIngress = (edit: Partial<PlatformConfig['houses']['argocd']> = {}): PlatformConfig => ({
  ...defaultPlatformConfig,
  houses: {
    ...defaultPlatformConfig.houses,
    argocd: {
      ...defaultPlatformConfig.houses.argocd,
      ingress: { enabled: true, className: 'public' },
      ...edit,
    },
  },
});
const policy = (platform: PlatformConfig, name: string, tenant = house()) =>
  buildHouseNetworkPolicies(tenant, platform).find((p) => p.metadata.name === name)?.spec as LooseDocument | undefined;
const syncsIngresses = (platform: PlatformConfig, tenant = house()) =>
  (buildHouseValues(tenant, platform).sync as LooseDocument).toHost.ingresses.enabled;

describe("the house's Argo CD Ingress", () => {
  it('serves argocd-<team>.<domain> with TLS from the controller’s default certificate, to argocd-server on 80', () => {
    const platform = withIngress();
    const ingress = buildHouseArgoCdIngress(house(), platform);
    assert.equal(ingress.metadata.namespace, 'argocd');
    assert.equal(ingress.metadata.name, 'argocd-server');
    const spec = ingress.spec as LooseDocument;
    const host = `argocd-devteam-a.${platform.domain}`;
    assert.equal(spec.ingressClassName, 'public');
    // No secretName: no private key is ever put in the house, where the team is cluster-admin.
    assert.deepEqual(spec.tls, [{ hosts: [host] }]);
    assert.equal(spec.rules.length, 1);
    assert.equal(spec.rules[0].host, host);
    assert.deepEqual(spec.rules[0].http.paths[0].backend, { service: { name: 'argocd-server', port: { number: 80 } } });
    assert.equal(spec.defaultBackend, undefined);
  });

  it('is built, and Ingresses synced to the host, only when the platform turns it on and the tenant has its Argo CD', () => {
    assert.equal(hasHouseArgoCdIngress(house(), defaultPlatformConfig), false);
    assert.equal(syncsIngresses(defaultPlatformConfig), false);
    assert.equal(hasHouseArgoCdIngress(house(), withIngress()), true);
    assert.equal(syncsIngresses(withIngress()), true);
    const without = house((t) => (t.spec.services = { argocd: false }));
    assert.equal(hasHouseArgoCdIngress(without, withIngress()), false);
    assert.equal(syncsIngresses(withIngress(), without), false);
  });
});

describe("the host's network policies for the house's Argo CD", () => {
  const pods = (names: string[]) => ({
    matchLabels: { 'vcluster.loft.sh/namespace': 'argocd' },
    matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: names }],
  });

  it('lets its server, repo-server and applicationset controller out on 443, to the platform’s CIDRs when named', () => {
    const egress = policy(defaultPlatformConfig, 'allow-argocd-egress');
    assert.deepEqual(
      egress?.podSelector,
      pods(['argocd-server', 'argocd-repo-server', 'argocd-applicationset-controller']),
    );
    assert.deepEqual(egress?.egress, [{ ports: [{ protocol: 'TCP', port: 443 }] }]);
    const named = policy(withIngress({ egressCIDRs: ['192.0.2.10/32'] }), 'allow-argocd-egress');
    assert.deepEqual(named?.egress, [
      { to: [{ ipBlock: { cidr: '192.0.2.10/32' } }], ports: [{ protocol: 'TCP', port: 443 }] },
    ]);
  });

  it('admits the ingress controller to argocd-server’s pod port only when the Ingress is on', () => {
    assert.equal(policy(defaultPlatformConfig, 'allow-argocd-ingress'), undefined);
    const ingress = policy(withIngress(), 'allow-argocd-ingress');
    assert.deepEqual(ingress?.podSelector, pods(['argocd-server']));
    assert.deepEqual(ingress?.ingress, [
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ]);
  });

  it('opens nothing for a house without its Argo CD', () => {
    const without = house((t) => (t.spec.services = { argocd: false }));
    assert.equal(policy(withIngress(), 'allow-argocd-egress', without), undefined);
    assert.equal(policy(withIngress(), 'allow-argocd-ingress', without), undefined);
  });
});
