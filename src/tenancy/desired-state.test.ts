import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storedTenant } from '../../test/fixtures/tenant-objects.ts';
import { argoCdConcern } from './argocd.ts';
import { buildDesiredState } from './desired-state.ts';
import type { Manifest } from './manifest.ts';
import { adGroupAnnotation } from './namespace.ts';
import { dedicatedNodesAnnotation } from './node-pool.ts';
import { tenantLabel } from './ownership.ts';
import { canonicalCount } from './quota.ts';
import { defaultPlatformConfig as platform } from '../api/platform-config.ts';

const all = (state: ReturnType<typeof buildDesiredState>): Manifest[] => state.flatMap((part) => part.objects);
const ofKind = (objects: Manifest[], kind: string) => objects.filter((object) => object.kind === kind);
const field = (object: Manifest | undefined, path: string): unknown =>
  path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], object);

describe('buildDesiredState for a namespace tenant', () => {
  const tenant = storedTenant();
  const objects = all(buildDesiredState(tenant, platform));

  it('creates the team namespace with Pod Security restricted enforced, audited and warned', () => {
    const [namespace, ...others] = ofKind(objects, 'Namespace');
    assert.equal(others.length, 0);
    assert.equal(namespace?.metadata.name, 'devteam-a');
    for (const mode of ['enforce', 'audit', 'warn']) {
      assert.equal(namespace?.metadata.labels?.[`pod-security.kubernetes.io/${mode}`], 'restricted');
    }
    assert.equal(namespace?.metadata.labels?.['landlord.dev/cost-center'], 'CC-12345');
  });

  it("annotates the namespace with the tenant's directory group, the one Group its RoleBindings may name", () => {
    const [namespace] = ofKind(objects, 'Namespace');
    assert.equal(namespace?.metadata.annotations?.['landlord.dev/ad-group'], tenant.spec.adGroup);
  });

  it('annotates the namespace with the team whose dedicated nodes its pods are placed on, only with a pool', () => {
    const [namespace] = ofKind(objects, 'Namespace');
    assert.equal(namespace?.metadata.annotations?.[dedicatedNodesAnnotation], 'devteam-a');
    const shared = storedTenant((document) => delete document.spec.nodePool);
    const [sharedNamespace] = ofKind(all(buildDesiredState(shared, platform)), 'Namespace');
    assert.deepEqual(sharedNamespace?.metadata.annotations, { [adGroupAnnotation]: shared.spec.adGroup });
  });

  it('sets the quota from the spec, limits at twice the requests, and caps object counts', () => {
    const hard = field(ofKind(objects, 'ResourceQuota')[0], 'spec.hard') as Record<string, string>;
    assert.equal(hard['requests.cpu'], '40');
    assert.equal(hard['limits.cpu'], '80');
    assert.equal(hard['requests.memory'], '80Gi');
    assert.equal(hard['limits.memory'], '160Gi');
    assert.equal(hard['requests.storage'], '1Ti');
    assert.equal(hard['services.nodeports'], '0');
    assert.equal(hard['services.loadbalancers'], '0');
    for (const key of ['pods', 'services', 'secrets', 'configmaps', 'persistentvolumeclaims', 'resourcequotas']) {
      assert.ok(hard[key], `caps ${key}`);
    }
    assert.ok(hard['requests.ephemeral-storage'] && hard['limits.ephemeral-storage']);
  });

  it('gives containers default requests and limits so they fit under the quota', () => {
    const limits = field(ofKind(objects, 'LimitRange')[0], 'spec.limits') as Record<string, unknown>[];
    const container = limits.find((limit) => limit.type === 'Container');
    assert.deepEqual(Object.keys(container?.defaultRequest ?? {}).sort(), ['cpu', 'ephemeral-storage', 'memory']);
    assert.deepEqual(Object.keys(container?.default ?? {}).sort(), ['cpu', 'ephemeral-storage', 'memory']);
  });

  it('denies all traffic by default and allows DNS, the tenant itself and the ingress controller', () => {
    const policies = ofKind(objects, 'NetworkPolicy');
    assert.deepEqual(policies.map((policy) => policy.metadata.name).sort(), [
      'allow-dns',
      'allow-from-ingress',
      'allow-same-tenant',
      'default-deny-all',
    ]);
    const deny = policies.find((policy) => policy.metadata.name === 'default-deny-all');
    assert.deepEqual(field(deny, 'spec'), { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const dns = JSON.stringify(policies.find((policy) => policy.metadata.name === 'allow-dns'));
    assert.match(dns, /"port":53/);
    const same = JSON.stringify(policies.find((policy) => policy.metadata.name === 'allow-same-tenant'));
    assert.match(same, /kubernetes\.io\/metadata\.name","operator":"In","values":\["devteam-a"\]/);
  });

  it('binds the directory group, the access and the deployer ServiceAccounts to the team role (landlord-team) in its namespace, nothing cluster-wide', () => {
    const [binding] = ofKind(objects, 'RoleBinding');
    assert.deepEqual(field(binding, 'roleRef'), {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'landlord-team',
    });
    assert.deepEqual(field(binding, 'subjects'), [
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'devteam-a' },
      { kind: 'ServiceAccount', name: 'devteam-a-deployer', namespace: 'argocd' },
    ]);
    const accounts = ofKind(objects, 'ServiceAccount');
    assert.deepEqual(
      accounts.map((account) => `${account.metadata.namespace}/${account.metadata.name}`),
      ['argocd/devteam-a-deployer'],
      "the deployer lives in Argo CD's namespace, where the team starts no pod",
    );
    for (const account of accounts) assert.equal(field(account, 'automountServiceAccountToken'), false);
    assert.equal(ofKind(objects, 'ClusterRoleBinding').length, 0);
    assert.equal(ofKind(objects, 'ClusterRole').length, 0);
  });

  it('writes an AppProject with exact destinations, no wildcard, the platform kinds denied, synced as the deployer', () => {
    const [project] = ofKind(objects, 'AppProject');
    assert.equal(project?.metadata.namespace, 'argocd');
    assert.deepEqual(field(project, 'spec.destinations'), [
      { server: 'https://kubernetes.default.svc', namespace: 'devteam-a' },
    ]);
    assert.deepEqual(field(project, 'spec.sourceRepos'), ['https://git.landlord.local/devteam-a-gitops.git']);
    assert.deepEqual(field(project, 'spec.clusterResourceWhitelist'), []);
    assert.deepEqual(field(project, 'spec.sourceNamespaces'), ['devteam-a']);
    assert.deepEqual(field(project, 'spec.destinationServiceAccounts'), [
      { server: '*', namespace: '*', defaultServiceAccount: 'argocd:devteam-a-deployer' },
    ]);
    const denied = (field(project, 'spec.namespaceResourceBlacklist') as { kind: string }[]).map((entry) => entry.kind);
    for (const kind of ['AppProject', 'Application', 'ResourceQuota', 'NetworkPolicy', 'LimitRange']) {
      assert.ok(denied.includes(kind), `denies ${kind}`);
    }
    const [role] = field(project, 'spec.roles') as { groups: string[]; policies: string[] }[];
    assert.deepEqual(role?.groups, ['devteam-a']);
    assert.ok(role?.policies.length, 'the role grants something');
    assert.ok(
      role.policies.every((policy) => policy.includes('devteam-a/*')),
      role.policies.join('; '),
    );
    assert.ok(
      role.policies.every((policy) => !/\bprojects\b/.test(policy)),
      'no rights on the project itself: its tokens stay out of reach',
    );
    assert.equal((role as { jwtTokens?: unknown }).jwtTokens, undefined, 'no project tokens');
    const kind = argoCdConcern.kinds.find((held) => held.kind === 'AppProject');
    assert.deepEqual(kind?.exact, ['spec', 'status'], 'a planted token (spec or status) is drift');
  });

  it('points the App-of-Apps initializer at the team repository, automated with prune and self-heal', () => {
    const [app] = ofKind(objects, 'Application');
    assert.equal(app?.metadata.name, 'application-initializer-devteam-a');
    assert.equal(field(app, 'spec.project'), 'devteam-a');
    assert.deepEqual(field(app, 'spec.syncPolicy'), {
      automated: { prune: true, selfHeal: true },
      syncOptions: ['ServerSideApply=true'],
    });
    assert.equal(field(app, 'spec.destination.namespace'), 'devteam-a');
    assert.deepEqual(app?.metadata.finalizers, ['resources-finalizer.argocd.argoproj.io']);
  });

  it('scopes the repository Secret to the project and writes no credentials', () => {
    const [secret] = ofKind(objects, 'Secret');
    assert.equal(secret?.metadata.labels?.['argocd.argoproj.io/secret-type'], 'repository');
    assert.deepEqual(Object.keys(field(secret, 'stringData') as object).sort(), ['project', 'type', 'url']);
    assert.equal(field(secret, 'stringData.project'), 'devteam-a');
  });

  it('labels every object with its tenant and is deterministic', () => {
    for (const object of objects) assert.equal(object.metadata.labels?.[tenantLabel], 'devteam-a', object.kind);
    assert.deepEqual(all(buildDesiredState(storedTenant(), platform)), objects);
  });
});

describe('buildDesiredState with additional namespaces', () => {
  const tenant = storedTenant((t) => {
    t.spec.additionalNamespaces = ['staging', 'prod'];
    t.spec.resourceQuota = { cpu: '30', memory: '60Gi', storage: '300Gi' };
    t.spec.gitops = { repoURL: 'https://git.financecore.example/devteam-a/apps.git' };
  });
  const objects = all(buildDesiredState(tenant, platform));

  it('makes <team>-<suffix> namespaces, each locked down like the first', () => {
    const names = ofKind(objects, 'Namespace').map((namespace) => namespace.metadata.name);
    assert.deepEqual(names, ['devteam-a', 'devteam-a-staging', 'devteam-a-prod']);
    for (const kind of ['ResourceQuota', 'LimitRange', 'RoleBinding'])
      assert.equal(ofKind(objects, kind).length, 3, kind);
    assert.equal(ofKind(objects, 'NetworkPolicy').length, 12);
  });

  it('shares the quota out so the namespaces together never exceed it', () => {
    const hard = ofKind(objects, 'ResourceQuota').map((quota) => field(quota, 'spec.hard') as Record<string, string>);
    assert.deepEqual(
      hard.map((h) => h['requests.cpu']),
      ['10', '10', '10'],
    );
    assert.deepEqual(
      hard.map((h) => h['requests.memory']),
      ['20Gi', '20Gi', '20Gi'],
    );
  });

  it('lists every namespace, and only those, as AppProject destinations and source namespaces', () => {
    const [project] = ofKind(objects, 'AppProject');
    const destinations = (field(project, 'spec.destinations') as { namespace: string }[]).map((d) => d.namespace);
    assert.deepEqual(destinations, ['devteam-a', 'devteam-a-staging', 'devteam-a-prod']);
    assert.deepEqual(field(project, 'spec.sourceRepos'), ['https://git.financecore.example/devteam-a/apps.git']);
  });
});

describe('object-count quotas', () => {
  it('bound every kind of the platform objectCounts, written as the API server stores them', () => {
    const hard = field(
      ofKind(all(buildDesiredState(storedTenant(), platform)), 'ResourceQuota')[0],
      'spec.hard',
    ) as Record<string, string>;
    for (const [resource, count] of Object.entries(platform.namespaceQuota.objectCounts)) {
      assert.equal(hard[`count/${resource}`], canonicalCount(count), resource);
    }
    assert.equal(hard['count/roles.rbac.authorization.k8s.io'], '50');
    assert.deepEqual(
      [canonicalCount(2000), canonicalCount(1500), canonicalCount(0), canonicalCount(3_000_000)],
      ['2k', '1500', '0', '3M'],
    );
  });
});
