import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cluster,
  found,
  group,
  landlordMade,
  live,
  object,
  onlyFinding,
  roleBinding,
  tenant,
} from '../../test/fixtures/audit-inventory.ts';

const a = tenant('devteam-a');
const b = tenant('devteam-b');
const tokenSecret = (namespace: string, account: string) =>
  object(
    'Secret',
    'v1',
    { name: `${account}-token`, namespace, annotations: { 'kubernetes.io/service-account.name': account } },
    { type: 'kubernetes.io/service-account-token' },
  );

describe('audit: long-lived tokens', () => {
  it("is quiet about Landlord's objects (its ServiceAccount mounts no token) and tokens no tenant can read", () => {
    assert.deepEqual(found(cluster([...live(landlordMade(a, b)), tokenSecret('kube-system', 'deployer')])), []);
  });

  it('reports a service-account-token Secret in a tenant namespace', () => {
    const finding = onlyFinding(
      cluster([...live(landlordMade(a, b)), tokenSecret('devteam-a', 'landlord-access')]),
      'token-secret',
    );
    assert.deepEqual(
      [finding.severity, finding.object, finding.tenant],
      ['high', 'Secret devteam-a/landlord-access-token', 'devteam-a'],
    );
    assert.match(
      finding.message,
      /ServiceAccount devteam-a\/landlord-access that never expires, readable by tenant devteam-a \(its own namespace\)/,
    );
  });

  it('reports a token Secret elsewhere that a binding lets a tenant read', () => {
    const reader = roleBinding('tools', 'read', { kind: 'ClusterRole', name: 'edit' }, [group('devteam-b-admins')]);
    const viewer = roleBinding('kube-system', 'look', { kind: 'ClusterRole', name: 'view' }, [
      group('devteam-b-admins'),
    ]);
    const objects = [
      ...live(landlordMade(a, b)),
      reader,
      viewer,
      tokenSecret('tools', 'deployer'),
      tokenSecret('kube-system', 'x'),
    ];
    const finding = onlyFinding(cluster(objects), 'token-secret');
    assert.deepEqual([finding.object, finding.tenant], ['Secret tools/deployer-token', 'devteam-b']);
    assert.match(finding.message, /group devteam-b-admins through RoleBinding tools\/read/);
  });

  it('reports every token Secret to a tenant bound cluster-wide to a role that reads Secrets', () => {
    const everywhere = object(
      'ClusterRoleBinding',
      'rbac.authorization.k8s.io/v1',
      { name: 'helpdesk' },
      { roleRef: { kind: 'ClusterRole', name: 'edit' }, subjects: [group('devteam-a-admins')] },
    );
    const objects = [...live(landlordMade(a, b)), everywhere, tokenSecret('kube-system', 'deployer')];
    const finding = onlyFinding(cluster(objects), 'token-secret');
    assert.deepEqual([finding.object, finding.tenant], ['Secret kube-system/deployer-token', 'devteam-a']);
    assert.match(finding.message, /through ClusterRoleBinding helpdesk/);
  });

  it("reports a ServiceAccount Landlord made that does not turn off the token's automount", () => {
    const objects = live(landlordMade(a)).map((o) =>
      o.kind === 'ServiceAccount' && o.metadata.name === 'devteam-a-deployer'
        ? { ...o, automountServiceAccountToken: undefined }
        : o,
    );
    const finding = onlyFinding(cluster(objects), 'serviceaccount-automount');
    assert.deepEqual([finding.severity, finding.object], ['medium', 'ServiceAccount argocd/devteam-a-deployer']);
  });
});
