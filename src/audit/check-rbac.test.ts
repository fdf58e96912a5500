import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cluster,
  folder,
  found,
  group,
  landlordMade,
  live,
  object,
  onlyFinding,
  roleBinding,
  tenant,
} from '../../test/fixtures/audit-inventory.ts';
import { dangerousRights, uncoveredRights } from './rbac-rights.ts';

const a = tenant('devteam-a');
const b = tenant('devteam-b');
const rbac = 'rbac.authorization.k8s.io/v1';
const role = (kind: 'Role' | 'ClusterRole', name: string, rules: unknown[], namespace?: string) =>
  object(kind, rbac, { name, ...(namespace ? { namespace } : {}) }, { rules });
/** A small `admin`, as the live cluster aggregates it (enough to compare against). */
const admin = role('ClusterRole', 'admin', [
  { apiGroups: [''], resources: ['pods', 'services', 'secrets', 'configmaps', 'serviceaccounts'], verbs: ['*'] },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
  { apiGroups: ['apps'], resources: ['deployments', 'deployments/scale'], verbs: ['*'] },
  { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: ['create', 'get', 'list'] },
]);
const sa = (namespace: string, name: string) => ({ kind: 'ServiceAccount', name, namespace });
const platform = () => [...live(landlordMade(a, b)), admin];

describe('audit: RBAC in tenant namespaces', () => {
  it("is quiet about Landlord's bindings, and about edit or view bound to the team", () => {
    const view = roleBinding('devteam-a', 'viewers', { kind: 'ClusterRole', name: 'view' }, [
      group('devteam-a-admins'),
    ]);
    assert.deepEqual(found(cluster([...platform(), view])), []);
  });

  it('reports a cluster-admin RoleBinding in a tenant namespace, whoever the subject', () => {
    const planted = roleBinding('devteam-a', 'oops', { kind: 'ClusterRole', name: 'cluster-admin' }, [
      sa('devteam-a', 'default'),
    ]);
    const finding = onlyFinding(cluster([...platform(), planted]), 'rbac-stronger-than-team');
    assert.deepEqual(
      [finding.severity, finding.object, finding.tenant],
      ['high', 'RoleBinding devteam-a/oops', 'devteam-a'],
    );
    assert.match(
      finding.message,
      /ClusterRole cluster-admin .* more than the team's own admin: cluster-admin.*ServiceAccount devteam-a\/default/,
    );
    assert.deepEqual(found(folder([...landlordMade(a), planted])).length, 1, 'known by name even in a folder');
  });

  it('reports a Role or ClusterRole with wildcards, escalate, bind, impersonate or namespace writes', () => {
    const cases = [
      [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, /every verb on \*; every resource/],
      [
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind', 'escalate'] },
        /escalate on clusterroles; bind on clusterroles/,
      ],
      [{ apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] }, /impersonate on users, groups/],
      [{ apiGroups: [''], resources: ['namespaces'], verbs: ['patch'] }, /write on namespaces/],
      [{ apiGroups: [''], resources: ['nodes'], verbs: ['update'] }, /write on nodes/],
    ] as const;
    for (const [rule, message] of cases) {
      const strong = role('Role', 'strong', [rule], 'devteam-a');
      const binding = roleBinding('devteam-a', 'strong', { kind: 'Role', name: 'strong' }, [group('devteam-a-admins')]);
      const finding = onlyFinding(cluster([...platform(), strong, binding]), 'rbac-stronger-than-team');
      assert.equal(finding.severity, 'high');
      assert.match(finding.message, message);
    }
  });

  it('reports, as medium, other rights the live admin role lacks; a role within admin is quiet', () => {
    const extra = role('ClusterRole', 'extra', [
      { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['get'] },
    ]);
    const within = role('ClusterRole', 'within', [
      { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['patch'] },
    ]);
    const bind = (name: string) =>
      roleBinding('devteam-a', name, { kind: 'ClusterRole', name }, [group('devteam-a-admins')]);
    const finding = onlyFinding(
      cluster([...platform(), extra, within, bind('extra'), bind('within')]),
      'rbac-stronger-than-team',
    );
    assert.deepEqual([finding.severity, finding.object], ['medium', 'RoleBinding devteam-a/extra']);
    assert.match(finding.message, /rights admin lacks: get storageclasses.storage.k8s.io/);
  });

  it("reports a grant in tenant A's namespace to tenant B's group or ServiceAccounts", () => {
    const toGroup = roleBinding('devteam-a', 'to-b', { kind: 'ClusterRole', name: 'edit' }, [
      group('devteam-b-admins'),
    ]);
    const toAccount = roleBinding('devteam-a', 'to-b-ci', { kind: 'ClusterRole', name: 'view' }, [
      sa('devteam-b', 'ci'),
    ]);
    const toAll = roleBinding('devteam-a', 'to-b-all', { kind: 'ClusterRole', name: 'view' }, [
      group('system:serviceaccounts:devteam-b'),
    ]);
    const findings = found(cluster([...platform(), toGroup, toAccount, toAll]));
    assert.deepEqual(findings, [
      ['rbac-grant-to-other-tenant', 'RoleBinding devteam-a/to-b', 'devteam-a'],
      ['rbac-grant-to-other-tenant', 'RoleBinding devteam-a/to-b-all', 'devteam-a'],
      ['rbac-grant-to-other-tenant', 'RoleBinding devteam-a/to-b-ci', 'devteam-a'],
    ]);
    const finding = onlyFinding(cluster([...platform(), toAccount]), 'rbac-grant-to-other-tenant');
    assert.match(
      finding.message,
      /ClusterRole view in tenant devteam-a's namespace devteam-a is granted to ServiceAccount devteam-b\/ci of tenant devteam-b/,
    );
  });

  it('reports a grant to everyone in a tenant namespace', () => {
    const planted = roleBinding('devteam-a', 'public', { kind: 'ClusterRole', name: 'view' }, [
      group('system:authenticated'),
    ]);
    assert.match(
      onlyFinding(cluster([...platform(), planted]), 'rbac-grant-to-everyone').message,
      /Group system:authenticated/,
    );
  });

  it("reports a tenant's ServiceAccount bound cluster-wide: the team can mint its tokens", () => {
    const planted = object(
      'ClusterRoleBinding',
      rbac,
      { name: 'ci' },
      { roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [sa('devteam-b', 'ci')] },
    );
    const finding = onlyFinding(cluster([...platform(), planted]), 'rbac-cluster-wide');
    assert.equal(finding.tenant, 'devteam-b');
    assert.match(finding.message, /ServiceAccount devteam-b\/ci of tenant devteam-b holds ClusterRole view/);
  });
});

describe('rights beyond a role', () => {
  it('finds none in what admin grants in a namespace, serviceaccount impersonation included', () => {
    assert.deepEqual(dangerousRights({ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] }), []);
    assert.deepEqual(dangerousRights({ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list'] }), []);
  });

  it('compares rules with wildcards and subresources as RBAC does', () => {
    const reference = [
      { apiGroups: ['apps'], resources: ['deployments/*'], verbs: ['get'] },
      { apiGroups: ['*'], resources: ['configmaps'], verbs: ['*'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['one'], verbs: ['get'] },
    ];
    const rules = [
      { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['delete'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
    ];
    assert.deepEqual(uncoveredRights(rules, reference), ['get secrets']);
  });
});
