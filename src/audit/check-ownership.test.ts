import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cluster,
  folder,
  found,
  landlordMade,
  live,
  onlyFinding,
  options,
  tenant,
} from '../../test/fixtures/audit-inventory.ts';
import type { AuditedObject } from './inventory.ts';

const a = tenant('devteam-a', { additionalNamespaces: ['dev'] });
const b = tenant('devteam-b');
const enforce = 'pod-security.kubernetes.io/enforce';
/** The live platform with one namespace changed. */
const withNamespace = (name: string, change: (metadata: AuditedObject['metadata']) => AuditedObject['metadata']) =>
  live(landlordMade(a, b)).map((o) =>
    o.kind === 'Namespace' && o.metadata.name === name ? { ...o, metadata: change(structuredClone(o.metadata)) } : o,
  );

describe('audit: stripped ownership and Pod Security', () => {
  it("reports the issue's attack: ownerReference removed, Pod Security privileged", () => {
    const attacked = withNamespace('devteam-a', ({ ownerReferences: _, ...metadata }) => ({
      ...metadata,
      labels: { ...metadata.labels, [enforce]: 'privileged' },
    }));
    assert.deepEqual(found(cluster(attacked)), [
      ['namespace-no-pod-security', 'Namespace devteam-a', 'devteam-a'],
      ['ownership-not-owned', 'Namespace devteam-a', 'devteam-a'],
    ]);
    const finding = onlyFinding(cluster(attacked), 'ownership-not-owned');
    assert.match(finding.message, /controller ownerReference was removed or replaced.*CVE-2022-46167/);
  });

  it('reports an ownerReference pointing at another Tenant', () => {
    const moved = withNamespace('devteam-a-dev', (metadata) => ({
      ...metadata,
      ownerReferences: [
        {
          apiVersion: 'landlord.dev/v1alpha1',
          kind: 'Tenant',
          name: 'devteam-b',
          uid: 'uid-devteam-b',
          controller: true,
        },
      ],
    }));
    assert.deepEqual(found(cluster(moved)), [['ownership-not-owned', 'Namespace devteam-a-dev', 'devteam-a']]);
  });

  it("reports a tenant's namespace that lost its tenant label, or carries another's", () => {
    const unlabelled = withNamespace('devteam-a-dev', ({ labels = {}, ownerReferences: _, ...metadata }) => {
      const { 'landlord.dev/tenant': _tenant, ...rest } = labels;
      return { ...metadata, labels: rest };
    });
    const finding = onlyFinding(cluster(unlabelled), 'ownership-namespace-unlabelled');
    assert.deepEqual([finding.object, finding.tenant], ['Namespace devteam-a-dev', 'devteam-a']);
    assert.match(finding.message, /has no landlord.dev\/tenant label and no controller ownerReference/);
    const relabelled = withNamespace('devteam-b', (metadata) => ({
      ...metadata,
      labels: { ...metadata.labels, 'landlord.dev/tenant': 'devteam-a' },
    }));
    assert.deepEqual(
      found(cluster(relabelled)).map(([rule, object]) => `${rule} ${object}`),
      ['ownership-namespace-unlabelled Namespace devteam-b', 'ownership-not-owned Namespace devteam-b'],
    );
  });

  it("reports a Pod Security level other than the platform's, weaker as high", () => {
    const baseline = withNamespace('devteam-a', (m) => ({ ...m, labels: { ...m.labels, [enforce]: 'baseline' } }));
    const weaker = onlyFinding(cluster(baseline), 'namespace-pod-security-level');
    assert.equal(weaker.severity, 'high');
    assert.match(weaker.message, /enforces "baseline", not the platform's "restricted"/);
    const stricter = found(cluster(baseline), { ...options, podSecurityLevel: 'baseline' });
    assert.deepEqual(stricter, [
      ['namespace-pod-security-level', 'Namespace devteam-a-dev', 'devteam-a'],
      ['namespace-pod-security-level', 'Namespace devteam-b', 'devteam-b'],
    ]);
  });

  it('does not judge ownership in a folder, which has no UIDs', () => {
    assert.deepEqual(found(folder(landlordMade(a, b))), []);
  });
});
