import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import type { Manifest } from '../tenancy/manifest.ts';
import { cluster, folder, landlordMade, live, options, tenant } from '../../test/fixtures/audit-inventory.ts';
import { audit } from './audit.ts';
import { readFolder } from './read-folder.ts';
import type { AuditedObject, Inventory } from './inventory.ts';

const rules = (inventory: Inventory) => audit(inventory, options).map((finding) => finding.rule);
const a = tenant('devteam-a', { additionalNamespaces: ['dev'] });
const b = tenant('devteam-b');

/** The article's devteam-a project gone wrong, as shipped in examples/audit (a deny, the team's pattern, a catch-all). */
const wildcardTrap = parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'audit', 'wildcard-trap.yaml'), 'utf8'),
) as Manifest;

describe('landlord audit', () => {
  it('finds nothing in what Landlord makes', () => {
    assert.deepEqual(audit(folder(landlordMade(a, b)), options), []);
  });

  it("reports the article's wildcard trap: devteam-a can deploy into devteam-b, Argo CD's and any new namespace", () => {
    const objects = landlordMade(a, b).filter((o) => !(o.kind === 'AppProject' && o.metadata.name === 'devteam-a'));
    const findings = audit(folder([...objects, wildcardTrap as AuditedObject]), options);
    const intoB = findings.find((f) => f.rule === 'project-destination-other-tenant');
    assert.ok(intoB, JSON.stringify(findings));
    assert.equal(intoB.object, 'AppProject argocd/devteam-a');
    assert.equal(intoB.tenant, 'devteam-a');
    assert.match(intoB.message, /can deploy into devteam-b's namespace\(s\) devteam-b/);
    assert.match(intoB.fix, /devteam-a, devteam-a-dev/);
    const found = new Set(findings.map((f) => f.rule));
    for (const rule of [
      'project-destination-argocd',
      'project-destination-platform',
      'project-destination-any-namespace',
    ])
      assert.ok(found.has(rule), rule);
    const platform = findings.find((f) => f.rule === 'project-destination-platform');
    assert.doesNotMatch(platform?.message ?? '', /kube-system/, 'the deny entry does keep kube-system out');
  });

  it("reports Argo CD's default project as it comes out of the box", () => {
    const openDefault = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'default', namespace: 'argocd' },
      spec: {
        sourceRepos: ['*'],
        destinations: [{ server: '*', namespace: '*' }],
        clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      },
    } as AuditedObject;
    const found = new Set(rules(folder([...landlordMade(a), openDefault])));
    for (const rule of [
      'project-source-any-repo',
      'project-cluster-resources',
      'project-destination-any-cluster',
      'project-destination-other-tenant',
      'project-namespaced-platform-kinds',
    ]) {
      assert.ok(found.has(rule), rule);
    }
  });

  it('reports source namespaces that let another tenant use a project', () => {
    const objects = landlordMade(a, b).map((o) =>
      o.kind === 'AppProject' && o.metadata.name === 'devteam-a'
        ? { ...o, spec: { ...(o.spec as object), sourceNamespaces: ['devteam-*'] } }
        : o,
    );
    const finding = audit(folder(objects), options).find((f) => f.rule === 'project-source-namespaces');
    assert.match(finding?.message ?? '', /Applications in devteam-b may use tenant devteam-a's project/);
  });

  it("reports a tenant group's rights outside its namespaces and cluster-wide", () => {
    const binding = (kind: string, namespace?: string) =>
      ({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind,
        metadata: { name: 'oops', ...(namespace ? { namespace } : {}) },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
        subjects: [{ kind: 'Group', name: 'devteam-a-admins', apiGroup: 'rbac.authorization.k8s.io' }],
      }) as AuditedObject;
    const findings = audit(
      folder([
        ...landlordMade(a, b),
        binding('RoleBinding', 'devteam-b'),
        binding('RoleBinding', 'monitoring'),
        binding('ClusterRoleBinding'),
      ]),
      options,
    );
    assert.deepEqual(
      findings.map((f) => [f.rule, f.object, f.tenant]),
      [
        ['rbac-cluster-wide', 'ClusterRoleBinding oops', 'devteam-a'],
        ['rbac-grant-to-other-tenant', 'RoleBinding devteam-b/oops', 'devteam-b'],
        ['rbac-outside-namespaces', 'RoleBinding monitoring/oops', 'devteam-a'],
      ],
    );
  });

  it('reports a tenant namespace without default deny, quota or Pod Security', () => {
    const objects = landlordMade(a)
      .filter((o) => !(o.metadata.namespace === 'devteam-a-dev' && ['NetworkPolicy', 'ResourceQuota'].includes(o.kind)))
      .map((o) =>
        o.kind === 'Namespace' && o.metadata.name === 'devteam-a-dev'
          ? { ...o, metadata: { ...o.metadata, labels: { 'landlord.dev/tenant': 'devteam-a' } } }
          : o,
      );
    assert.deepEqual(
      audit(folder(objects), options).map((f) => [f.rule, f.object]),
      [
        ['namespace-no-default-deny', 'Namespace devteam-a-dev'],
        ['namespace-no-pod-security', 'Namespace devteam-a-dev'],
        ['namespace-no-quota', 'Namespace devteam-a-dev'],
      ],
    );
  });

  it('reports, on a live cluster, labelled objects the Tenant does not control', () => {
    const objects = live(landlordMade(a, b));
    assert.deepEqual(audit(cluster(objects), options), []);
    const impostor = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'planted', namespace: 'devteam-a', labels: { 'landlord.dev/tenant': 'devteam-a' } },
    } as AuditedObject;
    const findings = audit(cluster([...objects, impostor]), options);
    assert.deepEqual(
      findings.map((f) => [f.rule, f.object]),
      [['ownership-not-owned', 'ConfigMap devteam-a/planted']],
    );
  });

  it('reports each leftover of the escalation in examples/audit beside the example tenants', () => {
    const examples = join(import.meta.dirname, '..', '..', 'examples');
    const found = audit(readFolder(examples), options).map((f) => `${f.rule} ${f.object} ${f.tenant}`);
    for (const expected of [
      'namespace-no-default-deny Namespace devteam-a devteam-a',
      'namespace-no-pod-security Namespace devteam-a devteam-a',
      'rbac-stronger-than-team RoleBinding devteam-a/ci-deployer devteam-a',
      'rbac-grant-to-other-tenant RoleBinding devteam-a/helpers devteam-a',
      'token-secret Secret devteam-a/deployer-token devteam-a',
      'token-secret Secret devteam-a/deployer-token devteam-b',
      'source-file-url AppProject argocd/devteam-a-tools devteam-a',
      'source-pattern AppProject argocd/devteam-a-tools devteam-a',
      'source-other-team AppProject argocd/devteam-a-tools devteam-a',
    ])
      assert.ok(found.includes(expected), `${expected} in ${found.join('\n')}`);
  });
});
