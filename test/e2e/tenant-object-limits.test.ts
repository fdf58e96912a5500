import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';
import { policyTypeWarnings } from '../support/policy-type-check.ts';

const { http } = testCluster();
startOperator();
const team = uniqueName('bulk');
/** A member of the team's directory group (adGroup = team), as the API server sees them through kubectl --as. */
const member = { 'Impersonate-User': `mallory@${team}.example`, 'Impersonate-Group': team };

before(async () => {
  await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: validTenant(team, team) });
  await waitForPhase(team, 'Ready');
});

/** Creates an object in the team's namespace as the member: the API server's status and message. */
async function createAsMember(path: string, body: object): Promise<{ status: number; message: string }> {
  const answer = await http.send({ method: 'POST', path: `${path.replace('{ns}', team)}`, body, headers: member });
  const message = answer.status >= 400 ? ((JSON.parse(answer.body) as { message?: string }).message ?? '') : '';
  return { status: answer.status, message };
}

const rolesPath = '/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles';

interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}
interface ApiResource {
  name: string;
  namespaced: boolean;
  verbs: string[];
}

/** Every resource the API server serves: group ('' for core) -> its resources, at the group's preferred version. */
async function discover(): Promise<Map<string, ApiResource[]>> {
  const served = new Map<string, ApiResource[]>();
  const core = await http.request<{ resources: ApiResource[] }>({ method: 'GET', path: '/api/v1' });
  served.set('', core.resources);
  const groups = await http.request<{ groups: { name: string; preferredVersion: { groupVersion: string } }[] }>({
    method: 'GET',
    path: '/apis',
  });
  for (const group of groups.groups) {
    const answer = await http.send({ method: 'GET', path: `/apis/${group.preferredVersion.groupVersion}` });
    if (answer.status === 200)
      served.set(group.name, (JSON.parse(answer.body) as { resources: ApiResource[] }).resources);
  }
  return served;
}

/** Namespaced, stored resources (`<resource>.<group>`, core ones bare) the rules let their holder create. */
function creatableResources(rules: ResourceRule[], served: Map<string, ApiResource[]>): Set<string> {
  const creatable = new Set<string>();
  for (const rule of rules.filter((candidate) => candidate.verbs.some((verb) => verb === 'create' || verb === '*'))) {
    const groups = (rule.apiGroups ?? []).flatMap((group) => (group === '*' ? [...served.keys()] : [group]));
    for (const group of groups) {
      const named = (served.get(group) ?? []).filter((resource) =>
        (rule.resources ?? []).some((wanted) => wanted === '*' || wanted === resource.name),
      );
      // Subresources (pods/exec, serviceaccounts/token) and kinds never stored (reviews) hold nothing.
      const stored = named.filter((r) => !r.name.includes('/') && r.namespaced && r.verbs.includes('list'));
      for (const resource of stored) creatable.add(group ? `${resource.name}.${group}` : resource.name);
    }
  }
  return creatable;
}

/** The quota names the API server counts objects of a core resource by, beside count/<resource>. */
const legacyCountNames = new Set([
  'pods',
  'services',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'replicationcontrollers',
  'resourcequotas',
]);

/** The stored kinds the member's rights (read from the cluster) let them create in the team's namespace. */
async function memberCreatable(): Promise<Set<string>> {
  const review = await http.request<{ status: { resourceRules: ResourceRule[] } }>({
    method: 'POST',
    path: '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectRulesReview',
      spec: { namespace: team },
    },
    headers: member,
  });
  return creatableResources(review.status.resourceRules, await discover());
}

describe("object counts: every namespaced kind a team member may create is counted by the namespace's quota", () => {
  it("finds a count/ quota for each resource the member's rights (read from the cluster) let them create", async () => {
    const creatable = await memberCreatable();
    assert.ok(creatable.has('roles.rbac.authorization.k8s.io'), `the member may create Roles: ${[...creatable]}`);
    assert.ok(creatable.has('configmaps'));
    const quota = await http.request<{ spec: { hard: Record<string, string> } }>({
      method: 'GET',
      path: `/api/v1/namespaces/${team}/resourcequotas/${team}-quota`,
    });
    const hard = quota.spec.hard;
    const uncounted = [...creatable].filter(
      (key) => !hard[`count/${key}`] && !(legacyCountNames.has(key) && hard[key]),
    );
    assert.deepEqual(uncounted, [], `kinds a member can create without a count quota: ${uncounted.join(', ')}`);
  });

  it('has the quota controller count them (the API server takes every count/ name)', async () => {
    const path = `/api/v1/namespaces/${team}/resourcequotas/${team}-quota`;
    const quota = await http.request<{ status?: { hard?: Record<string, string> } }>({ method: 'GET', path });
    assert.equal(quota.status?.hard?.['count/roles.rbac.authorization.k8s.io'], '50');
  });
});

describe('object size: the kinds that carry bulk are capped in tenant namespaces', () => {
  it("type-checks against every kind it matches: the API server's checker warns of nothing", async () => {
    assert.deepEqual(await policyTypeWarnings(http, 'landlord-tenant-object-size'), []);
  });

  it('matches every kind a member may create (read from the cluster), on create and update', async () => {
    const path = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/landlord-tenant-object-size';
    type Rule = { apiGroups: string[]; resources: string[]; operations: string[] };
    const policy = await http.request<{ spec: { matchConstraints: { resourceRules: Rule[] } } }>({
      method: 'GET',
      path,
    });
    const matched = new Set(
      policy.spec.matchConstraints.resourceRules
        .filter((rule) => rule.operations.includes('CREATE') && rule.operations.includes('UPDATE'))
        .flatMap((rule) =>
          rule.apiGroups.flatMap((group) => rule.resources.map((name) => (group ? `${name}.${group}` : name))),
        ),
    );
    const uncapped = [...(await memberCreatable())].filter((kind) => !matched.has(kind));
    assert.deepEqual(uncapped, [], `kinds a member can write without a size cap: ${uncapped.join(', ')}`);
  });

  it('refuses a 900 KiB Role from a member, naming the rule, the limit and what to do', async () => {
    const names = Array.from({ length: 3600 }, (_, index) => `${String(index).padStart(6, '0')}-${'x'.repeat(249)}`);
    const body = {
      metadata: { name: 'bulk' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: names }],
    };
    assert.ok(JSON.stringify(body).length > 900 * 1024);
    const { status, message } = await createAsMember(rolesPath, body);
    assert.equal(status, 403, message);
    assert.match(
      message,
      /landlord object-size: Role bulk lists 3603 entries in its rules .*; a Role in a tenant namespace lists at most 512, each at most 253 characters: grant by resource rather than by name/,
    );
  });

  it('lets a member create a normal Role, ConfigMap and RoleBinding', async () => {
    const role = {
      metadata: { name: 'reader' },
      rules: [{ apiGroups: [''], resources: ['configmaps', 'pods'], verbs: ['get', 'list', 'watch'] }],
    };
    assert.equal((await createAsMember(rolesPath, role)).status, 201);
    const configMap = { metadata: { name: 'settings' }, data: { 'app.yaml': 'x'.repeat(100 * 1024) } };
    assert.equal((await createAsMember('/api/v1/namespaces/{ns}/configmaps', configMap)).status, 201);
    const binding = {
      metadata: { name: 'readers' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: team }],
    };
    const created = await createAsMember('/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings', binding);
    assert.equal(created.status, 201, created.message);
  });

  it('lets a member create a normal Deployment, ServiceAccount and Lease, and names the limit a bulky one breaks', async () => {
    const deployment = (name: string, env: { name: string; value: string }[]) => ({
      metadata: { name, labels: { app: name }, annotations: { 'example.com/owner': 'payments' } },
      spec: {
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            containers: [
              {
                name: 'app',
                image: 'registry.financecore.local/app:1',
                args: ['--port', '8080'],
                command: ['/app'],
                env,
              },
            ],
          },
        },
      },
    });
    const deployments = '/apis/apps/v1/namespaces/{ns}/deployments';
    const normal = await createAsMember(deployments, deployment('web', [{ name: 'CONFIG', value: 'x'.repeat(8192) }]));
    assert.equal(normal.status, 201, normal.message);
    const account = { metadata: { name: 'puller' }, imagePullSecrets: [{ name: 'registry' }] };
    const created = await createAsMember('/api/v1/namespaces/{ns}/serviceaccounts', account);
    assert.equal(created.status, 201, created.message);
    const lease = {
      metadata: { name: 'leader' },
      spec: { holderIdentity: 'web-5d8f7c9b6-x2x7k', leaseDurationSeconds: 15 },
    };
    const leased = await createAsMember('/apis/coordination.k8s.io/v1/namespaces/{ns}/leases', lease);
    assert.equal(leased.status, 201, leased.message);
    const env = Array.from({ length: 5 }, (_, index) => ({ name: `BULK_${index}`, value: 'x'.repeat(16 * 1024) }));
    const bulky = await createAsMember(deployments, deployment('bulky', env));
    assert.equal(bulky.status, 403, bulky.message);
    assert.match(
      bulky.message,
      /landlord object-size: Deployment bulky carries 81934 bytes of env values, .*at most 65536.*ConfigMap/,
    );
  });

  it('refuses a ConfigMap or Secret of more than 256 KiB of data', async () => {
    const configMap = { metadata: { name: 'huge' }, data: { blob: 'x'.repeat(300 * 1024) } };
    const refused = await createAsMember('/api/v1/namespaces/{ns}/configmaps', configMap);
    assert.equal(refused.status, 403, refused.message);
    assert.match(refused.message, /landlord object-size: ConfigMap huge holds 307204 bytes of data; .* at most 262144/);
    const secret = { metadata: { name: 'huge' }, data: { blob: Buffer.alloc(300 * 1024, 1).toString('base64') } };
    const refusedSecret = await createAsMember('/api/v1/namespaces/{ns}/secrets', secret);
    assert.equal(refusedSecret.status, 403, refusedSecret.message);
    assert.match(refusedSecret.message, /landlord object-size: Secret huge holds 307204 bytes of data/);
  });

  it('refuses a RoleBinding of 65 subjects and bulk in annotations', async () => {
    // ServiceAccounts of the namespace: subjects the tenant-rolebindings policy allows, so only the count refuses.
    const subjects = Array.from({ length: 65 }, (_, index) => ({
      kind: 'ServiceAccount',
      name: `robot-${index}`,
      namespace: team,
    }));
    const binding = {
      metadata: { name: 'everyone' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
      subjects,
    };
    const refused = await createAsMember('/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings', binding);
    assert.equal(refused.status, 403, refused.message);
    assert.match(refused.message, /RoleBinding everyone has 65 subjects; .* at most 64/);
    const account = { metadata: { name: 'stuffed', annotations: { note: 'x'.repeat(20 * 1024) } } };
    const stuffed = await createAsMember('/api/v1/namespaces/{ns}/serviceaccounts', account);
    assert.equal(stuffed.status, 403, stuffed.message);
    assert.match(
      stuffed.message,
      /ServiceAccount stuffed carries 20484 bytes of labels and annotations; at most 16384/,
    );
  });
});
