import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesSelector } from './label-selector.ts';
import {
  deniesByDefault,
  governs,
  type NamespaceLabels,
  type NetworkPolicySpec,
  onlyOnPorts,
  type PolicyInput,
  unionOf,
} from './network-union.ts';

const namespaces: NamespaceLabels[] = [
  { name: 'team-a', labels: { 'landlord.dev/tenant': 'team-a' } },
  { name: 'team-b', labels: { 'landlord.dev/tenant': 'team-b' } },
  { name: 'kube-system', labels: {} },
];
const policy = (name: string, spec: NetworkPolicySpec): PolicyInput => ({ name, spec });
const denyAll = policy('default-deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
const union = (direction: 'ingress' | 'egress', ...policies: PolicyInput[]) =>
  unionOf('team-a', policies, namespaces, direction);

describe('NetworkPolicies taken together (Kubernetes semantics)', () => {
  it('leaves a namespace without policies open in both directions', () => {
    assert.equal(deniesByDefault(union('ingress')), false);
    assert.equal(deniesByDefault(union('egress')), false);
  });

  it('denies both directions with a deny-all selecting every pod', () => {
    assert.equal(deniesByDefault(union('ingress', denyAll)), true);
    assert.equal(deniesByDefault(union('egress', denyAll)), true);
  });

  it('opens the namespace again when another policy admits everything: policies add up', () => {
    const allowAll = policy('allow-everything', { podSelector: {}, ingress: [{}], egress: [{}] });
    assert.equal(deniesByDefault(union('ingress', denyAll, allowAll)), false);
    assert.equal(deniesByDefault(union('egress', denyAll, allowAll)), false);
    const emptyPeers = policy('empty-from', { podSelector: {}, ingress: [{ from: [] }] });
    assert.equal(deniesByDefault(union('ingress', denyAll, emptyPeers)), false, 'from: [] is every source');
  });

  it('stays denied when the allow-all covers only some pods or some ports (those are openings of their own)', () => {
    const somePods = policy('web', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{}] });
    const somePorts = policy('https', { podSelector: {}, ingress: [{ ports: [{ port: 443 }] }] });
    const result = union('ingress', denyAll, somePods, somePorts);
    assert.equal(deniesByDefault(result), true);
    assert.deepEqual(
      result.openings.map((o) => [o.policy, o.reach.kind, o.ports?.length ?? 'all']),
      [
        ['web', 'everything', 'all'],
        ['https', 'everything', 1],
      ],
    );
  });

  it('does not count a deny-all that selects only some pods: the others are open', () => {
    const some = policy('deny-web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] });
    assert.equal(deniesByDefault(union('ingress', some)), false);
  });

  it('reads policyTypes as the API server defaults them: Ingress always, Egress only with egress rules', () => {
    assert.equal(governs({ podSelector: {} }, 'ingress'), true);
    assert.equal(governs({ podSelector: {} }, 'egress'), false);
    assert.equal(governs({ podSelector: {}, egress: [] }, 'egress'), false);
    assert.equal(governs({ podSelector: {}, egress: [{}] }, 'egress'), true);
    assert.equal(governs({ policyTypes: ['Egress'], ingress: [{}] }, 'ingress'), false);
    const ignored = policy('egress-only', { podSelector: {}, policyTypes: ['Egress'], ingress: [{}] });
    assert.deepEqual(union('ingress', denyAll, ignored).openings, [], 'ingress rules of an Egress policy are ignored');
  });

  it('resolves namespace selectors against the namespaces there are, and a namespace created later', () => {
    const peers = policy('peers', {
      podSelector: {},
      ingress: [
        { from: [{ namespaceSelector: {} }] },
        { from: [{ namespaceSelector: { matchLabels: { 'landlord.dev/tenant': 'team-b' } } }] },
        { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }] },
        {
          from: [
            {
              namespaceSelector: {
                matchExpressions: [{ key: 'landlord.dev/tenant', operator: 'NotIn', values: ['x'] }],
              },
            },
          ],
        },
        { from: [{ podSelector: { matchLabels: { app: 'db' } } }] },
        { from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] },
      ],
    });
    assert.deepEqual(
      union('ingress', peers).openings.map((o) => o.reach),
      [
        { kind: 'any-namespace', pods: undefined },
        { kind: 'namespaces', namespaces: ['team-b'], pods: undefined },
        { kind: 'namespaces', namespaces: ['kube-system'], pods: undefined },
        { kind: 'any-namespace', pods: undefined },
        { kind: 'namespaces', namespaces: ['team-a'], pods: { matchLabels: { app: 'db' } } },
        { kind: 'ip-block', cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] },
      ],
    );
  });

  it('tells ports within a list from every port, named ports and ranges', () => {
    assert.equal(onlyOnPorts([{ port: 53, protocol: 'UDP' }, { port: 53 }], [53]), true);
    assert.equal(onlyOnPorts(undefined, [53]), false);
    assert.equal(onlyOnPorts([{ port: 'dns' }], [53]), false);
    assert.equal(onlyOnPorts([{ port: 53, endPort: 8080 }], [53]), false);
    assert.equal(onlyOnPorts([{ protocol: 'UDP' }], [53]), false);
  });
});

describe('label selectors', () => {
  it('match labels and expressions as Kubernetes does', () => {
    const labels = { app: 'web', tier: 'front' };
    assert.equal(matchesSelector({}, labels), true);
    assert.equal(matchesSelector({ matchLabels: { app: 'web' } }, labels), true);
    assert.equal(matchesSelector({ matchLabels: { app: 'db' } }, labels), false);
    assert.equal(
      matchesSelector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] }, labels),
      true,
    );
    assert.equal(
      matchesSelector({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, labels),
      false,
    );
    assert.equal(
      matchesSelector({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['x'] }] }, labels),
      true,
    );
    assert.equal(matchesSelector({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, labels), true);
    assert.equal(matchesSelector({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels), false);
    assert.equal(matchesSelector({ matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] }, labels), false);
  });
});
