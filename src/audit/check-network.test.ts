import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  folder,
  found,
  landlordMade,
  networkPolicy,
  object,
  onlyFinding,
  options,
  tenant,
} from '../../test/fixtures/audit-inventory.ts';
import { auditOptionsFrom } from './options.ts';
import { defaultPlatformConfig } from '../api/platform-config.ts';

const a = tenant('devteam-a');
const b = tenant('devteam-b');
const namespace = (name: string) => object('Namespace', 'v1', { name });
/** Landlord's two tenants and the platform's namespaces around them. */
const platform = () => [
  ...landlordMade(a, b),
  ...['kube-system', 'ingress-nginx', 'monitoring', 'landlord-system', 'argocd'].map(namespace),
  ...['argocd', 'landlord-system'].map((n) =>
    networkPolicy(n, 'default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }),
  ),
];
const egressTo = (name: string, ports?: unknown[]) => ({
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } }],
  ...(ports ? { ports } : {}),
});

describe('audit: NetworkPolicies as a union', () => {
  it("is quiet about Landlord's policies, with every platform namespace denying ingress", () => {
    assert.deepEqual(found(folder(platform())), []);
  });

  it('reports an allow-all beside the deny-all as no default deny, naming both policies', () => {
    const allowAll = networkPolicy('devteam-a', 'allow-everything', { podSelector: {}, ingress: [{}], egress: [{}] });
    const finding = onlyFinding(folder([...platform(), allowAll]), 'namespace-no-default-deny');
    assert.equal(finding.object, 'Namespace devteam-a');
    assert.equal(finding.tenant, 'devteam-a');
    assert.match(
      finding.message,
      /^ingress: NetworkPolicy allow-everything admits everything to every pod beside default-deny-all; policies add up, so the deny is void; egress: .* beside default-deny-all;/,
    );
    assert.deepEqual(found(folder([...platform(), allowAll])).length, 1, 'nothing else: the one finding says it all');
  });

  it('judges isolation by the union: without the deny-all, the allow policies still select every pod', () => {
    const withoutDenyAll = platform().filter(
      (o) => !(o.metadata.namespace === 'devteam-b' && o.metadata.name === 'default-deny-all'),
    );
    assert.deepEqual(found(folder(withoutDenyAll)), [], 'allow-same-tenant isolates every pod both ways');
    const onlyIngressAllow = platform().filter(
      (o) =>
        !(
          o.metadata.namespace === 'devteam-b' &&
          o.kind === 'NetworkPolicy' &&
          o.metadata.name !== 'allow-from-ingress'
        ),
    );
    const finding = onlyFinding(folder(onlyIngressAllow), 'namespace-no-default-deny');
    assert.equal(finding.object, 'Namespace devteam-b');
    assert.match(finding.message, /^egress: no NetworkPolicy selects every pod for egress/);
    assert.doesNotMatch(finding.message, /ingress:/, 'allow-from-ingress isolates every pod for ingress');
  });

  it('reports ingress from any namespace, from another tenant and from addresses', () => {
    const open = networkPolicy('devteam-a', 'open', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [
        { from: [{ namespaceSelector: {} }] },
        {
          from: [{ namespaceSelector: { matchLabels: { 'landlord.dev/tenant': 'devteam-b' } } }],
          ports: [{ port: 8080 }],
        },
        { from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] },
        { from: [{ ipBlock: { cidr: '192.168.0.0/16' } }] },
      ],
    });
    const finding = onlyFinding(folder([...platform(), open]), 'namespace-ingress-open');
    assert.equal(finding.severity, 'high');
    assert.equal(finding.object, 'Namespace devteam-a');
    for (const part of [
      'NetworkPolicy devteam-a/open lets pods matching app=web be reached from every namespace on every port',
      "be reached from devteam-b's namespace devteam-b on 8080/TCP",
      'be reached from every address 0.0.0.0/0 on every port',
      'be reached from addresses 192.168.0.0/16 on every port',
    ])
      assert.ok(finding.message.includes(part), `${part} in ${finding.message}`);
  });

  it('takes ingress from platform namespaces (the ingress controller, monitoring) as the platform’s business', () => {
    const fromMonitoring = networkPolicy('devteam-a', 'scrape', {
      podSelector: {},
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] }],
    });
    assert.deepEqual(found(folder([...platform(), fromMonitoring])), []);
  });

  it('reports egress beyond DNS and the tenant: kube-system past port 53, the platform, another tenant, anywhere', () => {
    const open = networkPolicy('devteam-a', 'out', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        egressTo('kube-system', [{ port: 53, protocol: 'UDP' }, { port: 10250 }]),
        egressTo('argocd'),
        egressTo('devteam-b'),
        egressTo('ingress-nginx', [{ port: 8443 }]),
        egressTo('monitoring'),
        { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] },
        { ports: [{ port: 443 }] },
      ],
    });
    const finding = onlyFinding(folder([...platform(), open]), 'namespace-egress-open');
    assert.equal(finding.severity, 'high');
    for (const part of [
      'reach kube-system beyond DNS (port 53) on 53/UDP, 10250/TCP',
      'reach the platform namespace argocd on every port',
      "reach devteam-b's namespace devteam-b",
      "reach the ingress controller's namespace ingress-nginx beyond ports 80 and 443 on 8443/TCP",
      'reach namespace monitoring, which is no tenant',
      'reach every address 0.0.0.0/0',
      'reach anything on 443/TCP',
    ])
      assert.ok(finding.message.includes(part), `${part} in ${finding.message}`);
  });

  it('lets a tenant reach DNS on port 53 and the ingress controller on 80 and 443', () => {
    const fine = networkPolicy('devteam-a', 'fine', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        egressTo('kube-system', [{ port: 53, protocol: 'TCP' }]),
        egressTo('ingress-nginx', [{ port: 443 }, { port: 80 }]),
      ],
    });
    assert.deepEqual(found(folder([...platform(), fine])), []);
  });

  it('reports only a lone medium for egress to a namespace of no one, and to a narrow address block', () => {
    const out = networkPolicy('devteam-a', 'out', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [egressTo('monitoring'), { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }] }],
    });
    assert.equal(onlyFinding(folder([...platform(), out]), 'namespace-egress-open').severity, 'medium');
  });

  it('reports a platform namespace without default-deny ingress, and is quiet once it has one', () => {
    const withoutArgo = platform().filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.namespace === 'argocd'));
    const finding = onlyFinding(folder(withoutArgo), 'platform-namespace-no-default-deny');
    assert.equal(finding.object, 'Namespace argocd');
    assert.equal(finding.tenant, undefined);
    const allowAll = networkPolicy('argocd', 'allow-all', { podSelector: {}, ingress: [{}] });
    assert.equal(
      onlyFinding(folder([...platform(), allowAll]), 'platform-namespace-no-default-deny').object,
      'Namespace argocd',
    );
    const ownDeny = networkPolicy('argocd', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    assert.deepEqual(found(folder([...withoutArgo, ownDeny])), []);
  });

  it('checks the namespaces the platform configuration lists, and Argo CD’s wherever it is', () => {
    const settings = auditOptionsFrom({
      ...defaultPlatformConfig,
      argocd: { ...defaultPlatformConfig.argocd, namespace: 'gitops' },
      platformNamespaces: ['dex'],
    });
    assert.deepEqual(settings.defaultDenyNamespaces, ['gitops', 'dex']);
    const objects = [...landlordMade(a), namespace('gitops'), namespace('dex'), namespace('argocd')];
    assert.deepEqual(
      found(folder(objects), settings).map(([rule, object]) => [rule, object]),
      [
        ['platform-namespace-no-default-deny', 'Namespace dex'],
        ['platform-namespace-no-default-deny', 'Namespace gitops'],
      ],
    );
    assert.ok(options.defaultDenyNamespaces.includes('landlord-system'));
  });
});
