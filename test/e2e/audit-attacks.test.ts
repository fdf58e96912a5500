// `landlord audit` against a live cluster after the attacks of issue 11: each weakness is planted the way an
// attacker would (as a member of devteam A where a member can; else as an admin, standing for Argo CD applying
// what the team pushed), reported by rule and object, and gone from the report once the plant is removed.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Finding } from '../../src/audit/finding.ts';
import { auditOptionsFrom } from '../../src/audit/options.ts';
import { operatorAccount, operatorKubeconfigPath } from '../../src/dev/admission.ts';
import { loadConnection } from '../../src/kube/kubeconfig.ts';
import { TenantOperator } from '../../src/operator/controller.ts';
import { dedicatedNodesAnnotation } from '../../src/tenancy/node-pool.ts';
import { teamLabel, tenantLabel } from '../../src/tenancy/ownership.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { restrictedDeployment, teamRepoURL } from '../support/argocd.ts';
import { auditCluster, denyIngress, denyPlatformIngress, described } from '../support/audit.ts';
import { deleteAllTenants } from '../support/cleanup.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { kubectl } from '../support/kubectl.ts';
import { waitForPhase } from '../support/operator.ts';

const { http, kubeconfig, cluster } = testCluster();
const platform = testEnvironment().platform;
const argocd = platform.argocd.namespace;
const teamA = uniqueName('attack-a');
const teamB = uniqueName('attack-b');
const scratch = mkdtempSync(join(tmpdir(), 'landlord-audit-attacks-'));

/**
 * The operator, stoppable: the plants are audited with it stopped, so that an operator that repairs (the
 * ownerReference it restores) does not race the audit; the audit must see the weakness whoever left it there.
 */
function runOperator(): () => Promise<void> {
  const operator = new TenantOperator({
    // As its own ServiceAccount: the admission policies let only the operator write Landlord's objects.
    kubeConfig: loadConnection(operatorKubeconfigPath(cluster)),
    platform,
    identity: uniqueName('audit-operator'),
    workers: 4,
    leaderElection: { namespace: operatorAccount.namespace, name: uniqueName('lease'), retryPeriodMs: 200 },
    log: (line) => process.env.LANDLORD_TEST_VERBOSE && process.stderr.write(`${line}\n`),
  });
  const stop = new AbortController();
  const running = operator.run(stop.signal);
  return async () => {
    stop.abort();
    await running;
    operator.close();
  };
}

/** Team A on the shared nodes; team B on a dedicated pool of one standard node (the node attacks need one). */
function tenantOf(team: string) {
  const tenant = validTenant(team, team);
  if (team === teamB) tenant.spec.nodePool = { size: 1, instanceType: 'standard' };
  else delete tenant.spec.nodePool;
  return tenant;
}

let stopOperator: (() => Promise<void>) | undefined = runOperator();
let undenyPlatform = async () => {};
before(async () => {
  for (const team of [teamA, teamB]) {
    await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: tenantOf(team) });
  }
  for (const team of [teamA, teamB]) await waitForPhase(team, 'Ready');
  undenyPlatform = await denyPlatformIngress(uniqueName('audit-test-deny'));
  await stopOperator?.();
  stopOperator = undefined;
  await placeOnPool(teamB);
});
after(async () => {
  await undenyPlatform();
  stopOperator ??= runOperator(); // the teardown is the operator's
  await deleteAllTenants(http);
  await stopOperator();
  rmSync(scratch, { recursive: true, force: true });
});

/** A member of team A's directory group (adGroup = team name), as the API server sees them. */
const memberOf = (team: string) => ({ 'Impersonate-User': `mallory@${team}.example`, 'Impersonate-Group': team });
/** An admin in the platform's break-glass group: passes admission policies that refuse everyone else. */
const breakGlass = ['--as=landlord-audit-e2e', '--as-group=system:masters', '--as-group=landlord:break-glass'];

/**
 * Creates the object as a member of the team; if the API server refuses the member (RBAC or an admission policy
 * of a hardened platform), as the admin, which is what Argo CD syncing the team's repository amounts to.
 * Returns who planted it.
 */
async function plant(team: string, path: string, body: object): Promise<'member' | 'admin'> {
  const answer = await http.send({ method: 'POST', path, body, headers: memberOf(team) });
  if (answer.status === 201) return 'member';
  assert.ok([403, 422].includes(answer.status), `planting as a member: HTTP ${answer.status} ${answer.body}`);
  await asAdmin(path, body);
  return 'admin';
}

/** Creates the object with kubectl as the break-glass admin. */
async function asAdmin(path: string, body: object): Promise<void> {
  const file = join(scratch, `${uniqueName('plant')}.json`);
  writeFileSync(
    file,
    JSON.stringify({ ...body, metadata: { ...(body as { metadata: object }).metadata, namespace: namespaceIn(path) } }),
  );
  await kubectl(kubeconfig, 'create', '-f', file, ...breakGlass);
}

const namespaceIn = (path: string) => path.match(/\/namespaces\/([^/]+)\//)?.[1];

/**
 * The pool tenant's namespace as Landlord makes it: annotated with its team for placement. The operator writes the
 * annotation (tenancy/namespace.ts, placementAnnotations) once placement is merged; until then the test puts it
 * there, so the audit starts from the platform as it is meant to be (a no-op when the operator already did).
 */
async function placeOnPool(team: string): Promise<void> {
  const namespace = await http.request<{ metadata: { annotations?: Record<string, string> } }>({
    method: 'GET',
    path: `/api/v1/namespaces/${team}`,
  });
  if (namespace.metadata.annotations?.[dedicatedNodesAnnotation] !== team)
    await kubectl(kubeconfig, 'annotate', 'namespace', team, `${dedicatedNodesAnnotation}=${team}`, ...breakGlass);
}

async function remove(path: string): Promise<void> {
  const answer = await http.send({ method: 'DELETE', path });
  assert.ok([200, 202].includes(answer.status), `removing ${path}: HTTP ${answer.status} ${answer.body}`);
}

/** Runs the check while the plant is in place, then removes the plant whatever the check found. */
async function whilePlanted(removePlant: () => Promise<unknown>, check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } finally {
    await removePlant();
  }
}

/** The findings of a rule on an object. */
const findingsOf = (findings: Finding[], rule: string, object: string) =>
  findings.filter((f) => f.rule === rule && f.object === object);

/** Asserts the audit reports exactly these (rule, object) pairs and exits 1; returns the findings. */
async function assertReported(expected: [string, string][], changes = {}): Promise<Finding[]> {
  const { code, findings } = await auditCluster(changes);
  assert.deepEqual(
    [...new Set(described(findings))].sort(),
    expected.map(([rule, object]) => `${rule} ${object}`).sort(),
  );
  assert.equal(code, 1);
  return findings;
}

/** Asserts the audit is quiet again and exits 0. */
async function assertQuiet(changes = {}): Promise<void> {
  const { code, findings } = await auditCluster(changes);
  assert.deepEqual(described(findings), []);
  assert.equal(code, 0);
}

const networkPolicies = (namespace: string) => `/apis/networking.k8s.io/v1/namespaces/${namespace}/networkpolicies`;
const roleBindings = (namespace: string) => `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings`;
const roleBinding = (name: string, role: string, subjects: object[]) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects,
});
const group = (name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name });

describe('landlord audit after the attacks of issue 11', () => {
  it('reports nothing on the platform Landlord provisioned, and exits 0', async () => {
    await assertQuiet();
  });

  it('reports an allow-all NetworkPolicy beside default-deny-all as an open namespace', async (t) => {
    const policy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-everything' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] },
    };
    t.diagnostic(`planted by the ${await plant(teamA, networkPolicies(teamA), policy)}`);
    await whilePlanted(
      () => remove(`${networkPolicies(teamA)}/allow-everything`),
      async () => {
        const [finding] = await assertReported([['namespace-no-default-deny', `Namespace ${teamA}`]]);
        assert.equal(finding?.tenant, teamA);
        assert.match(
          finding?.message ?? '',
          /ingress: NetworkPolicy allow-everything admits everything to every pod beside default-deny-all/,
        );
      },
    );
    await assertQuiet();
  });

  it("reports ingress admitted from team B's namespace and from every address", async (t) => {
    const policy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'let-friends-in' },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [
          { from: [{ namespaceSelector: { matchLabels: { [tenantLabel]: teamB } } }] },
          { from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 8080 }] },
        ],
      },
    };
    t.diagnostic(`planted by the ${await plant(teamA, networkPolicies(teamA), policy)}`);
    await whilePlanted(
      () => remove(`${networkPolicies(teamA)}/let-friends-in`),
      async () => {
        const [finding] = await assertReported([['namespace-ingress-open', `Namespace ${teamA}`]]);
        assert.match(finding?.message ?? '', new RegExp(`be reached from ${teamB}'s namespace ${teamB} on every port`));
        assert.match(finding?.message ?? '', /be reached from every address 0\.0\.0\.0\/0 on 8080\/TCP/);
      },
    );
    await assertQuiet();
  });

  it("reports a RoleBinding in team A's namespace that grants team B's group", async (t) => {
    const binding = roleBinding('helpers', 'edit', [group(teamB)]);
    t.diagnostic(`planted by the ${await plant(teamA, roleBindings(teamA), binding)}`);
    await whilePlanted(
      () => remove(`${roleBindings(teamA)}/helpers`),
      async () => {
        const [finding] = await assertReported([['rbac-grant-to-other-tenant', `RoleBinding ${teamA}/helpers`]]);
        assert.equal(finding?.tenant, teamA);
        assert.match(finding?.message ?? '', new RegExp(`granted to group ${teamB} of tenant ${teamB}`));
      },
    );
    await assertQuiet();
  });

  it('reports a service-account-token Secret in a tenant namespace, and never prints what the Secret holds', async (t) => {
    const canary = uniqueName('canary-never-printed');
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'access-token', annotations: { 'kubernetes.io/service-account.name': 'default' } },
      type: 'kubernetes.io/service-account-token',
      stringData: { note: canary },
    };
    t.diagnostic(`planted by the ${await plant(teamA, `/api/v1/namespaces/${teamA}/secrets`, secret)}`);
    await whilePlanted(
      () => remove(`/api/v1/namespaces/${teamA}/secrets/access-token`),
      async () => {
        const [finding] = await assertReported([['token-secret', `Secret ${teamA}/access-token`]]);
        assert.equal(finding?.tenant, teamA);
        const { stdout } = await auditCluster();
        assert.doesNotMatch(stdout, new RegExp(canary));
      },
    );
    await assertQuiet();
  });

  it("reports an AppProject of team A that sources file:///** and team B's repository", async () => {
    const project = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: `${teamA}-tools`, labels: { [tenantLabel]: teamA, [teamLabel]: teamA } },
      spec: {
        sourceRepos: ['file:///**', teamRepoURL(teamB)],
        destinations: [{ server: platform.argocd.destinationServer, namespace: teamA }],
        clusterResourceWhitelist: [],
        namespaceResourceBlacklist: [{ group: '*', kind: '*' }],
      },
    };
    const projects = `/apis/argoproj.io/v1alpha1/namespaces/${argocd}/appprojects`;
    await asAdmin(projects, project);
    const object = `AppProject ${argocd}/${teamA}-tools`;
    await whilePlanted(
      () => remove(`${projects}/${teamA}-tools`),
      async () => {
        const findings = await assertReported([
          ['source-pattern', object],
          ['source-file-url', object],
          ['source-other-team', object],
          ['source-platform-repo', object],
          // Labelled as the tenant's, yet no Tenant controls it: a forgery Landlord did not make.
          ['ownership-not-owned', object],
        ]);
        const other = findingsOf(findings, 'source-other-team', object)[0];
        assert.match(other?.message ?? '', new RegExp(`team ${teamB}'s repository`));
      },
    );
    await assertQuiet();
  });

  it("reports issue 11's escalation: cluster-admin in the team's namespace, then its ownerReference stripped and Pod Security privileged", async (t) => {
    await asAdmin(roleBindings(teamA), roleBinding('ci-deployer', 'cluster-admin', [group(teamA)]));
    const namespace = `/api/v1/namespaces/${teamA}`;
    const before = await http.request<{ metadata: { ownerReferences: object[] } }>({ method: 'GET', path: namespace });
    const restore = [
      { op: 'add', path: '/metadata/ownerReferences', value: before.metadata.ownerReferences },
      { op: 'replace', path: '/metadata/labels/pod-security.kubernetes.io~1enforce', value: platform.podSecurityLevel },
    ];
    const removePlant = async () => {
      await kubectl(
        kubeconfig,
        'patch',
        'namespace',
        teamA,
        '--type=json',
        `-p=${JSON.stringify(restore)}`,
        ...breakGlass,
      );
      await remove(`${roleBindings(teamA)}/ci-deployer`);
    };
    await whilePlanted(removePlant, async () => {
      const strip = [
        { op: 'remove', path: '/metadata/ownerReferences' },
        { op: 'replace', path: '/metadata/labels/pod-security.kubernetes.io~1enforce', value: 'privileged' },
      ];
      // With cluster-admin in the namespace, the member may patch the Namespace object itself (unless admission
      // refuses them on a hardened platform: then the admin plants what the member did in the issue).
      const answer = await http.send({
        method: 'PATCH',
        path: namespace,
        body: strip,
        contentType: 'application/json-patch+json',
        headers: memberOf(teamA),
      });
      t.diagnostic(`the member's own patch: HTTP ${answer.status}`);
      if (answer.status !== 200)
        await kubectl(
          kubeconfig,
          'patch',
          'namespace',
          teamA,
          '--type=json',
          `-p=${JSON.stringify(strip)}`,
          ...breakGlass,
        );
      const findings = await assertReported([
        ['rbac-stronger-than-team', `RoleBinding ${teamA}/ci-deployer`],
        ['ownership-not-owned', `Namespace ${teamA}`],
        ['namespace-no-pod-security', `Namespace ${teamA}`],
      ]);
      assert.ok(
        findings.every((f) => f.severity === 'high' && f.tenant === teamA),
        JSON.stringify(findings, null, 2),
      );
    });
    await assertQuiet();
  });

  it("reports Argo CD's namespace while it has no default-deny ingress, and is quiet once it has one", async () => {
    type Policy = { metadata: { name: string }; spec: { podSelector?: object; policyTypes?: string[] } };
    const policies = (await http.request<{ items: Policy[] }>({ method: 'GET', path: networkPolicies(argocd) })).items;
    const testDeny = policies.find((p) => p.metadata.name.startsWith('audit-test-deny'));
    assert.ok(testDeny, "the test denied ingress in Argo CD's namespace");
    // What is left without the test's own deny is the platform's state: the finding must follow it.
    const platformDenies = policies.some(
      (p) =>
        p !== testDeny &&
        Object.keys(p.spec.podSelector ?? {}).length === 0 &&
        (p.spec.policyTypes ?? ['Ingress']).includes('Ingress'),
    );
    await whilePlanted(
      () => http.request({ method: 'POST', path: networkPolicies(argocd), body: denyIngress(testDeny.metadata.name) }),
      async () => {
        await remove(`${networkPolicies(argocd)}/${testDeny.metadata.name}`);
        if (platformDenies) return assertQuiet(); // the platform's own default deny (issue 11, point 4)
        const [finding] = await assertReported([['platform-namespace-no-default-deny', `Namespace ${argocd}`]]);
        assert.equal(finding?.severity, 'high');
      },
    );
    await assertQuiet();
  });

  it('reports a namespace the platform configuration lists, until it denies ingress by default', async () => {
    const name = uniqueName('audit-platform');
    await http.request({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name } } });
    const listed = { platformNamespaces: [...auditOptionsFrom(platform).defaultDenyNamespaces, name] };
    await whilePlanted(
      () => http.send({ method: 'DELETE', path: `/api/v1/namespaces/${name}` }),
      async () => {
        await assertReported([['platform-namespace-no-default-deny', `Namespace ${name}`]], listed);
        await assertQuiet(); // not listed: not the platform's
        await http.request({ method: 'POST', path: networkPolicies(name), body: denyIngress('default-deny-ingress') });
        await assertQuiet(listed);
      },
    );
  });

  it("reports a pod pinned by spec.nodeName onto team B's dedicated node, until it is gone", async (t) => {
    const ownerLabel = platform.nodePools.ownerLabel;
    type Node = { metadata: { name: string } };
    const spare = `${platform.nodePools.spare.label}=${platform.nodePools.spare.value}`;
    const { items } = await http.request<{ items: Node[] }>({
      method: 'GET',
      path: '/api/v1/nodes',
      query: { labelSelector: `${spare},!${ownerLabel}` },
    });
    const node = items[0]?.metadata.name;
    assert.ok(node, 'a free spare node');
    // The node made team B's by Landlord's ownership label alone (kubelet-proof: no tenant can set it).
    await kubectl(kubeconfig, 'label', 'node', node, `${ownerLabel}=${teamB}`, ...breakGlass);
    const intruder = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'intruder' },
      spec: { ...restrictedDeployment('intruder').spec.template.spec, nodeName: node },
    };
    const removePlant = async () => {
      await http.send({
        method: 'DELETE',
        path: `/api/v1/namespaces/${teamA}/pods/intruder`,
        query: { gracePeriodSeconds: '0' },
      });
      await kubectl(kubeconfig, 'label', 'node', node, `${ownerLabel}-`, ...breakGlass);
    };
    t.diagnostic(`planted by the ${await plant(teamA, `/api/v1/namespaces/${teamA}/pods`, intruder)}`);
    await whilePlanted(removePlant, async () => {
      const [finding] = await assertReported([['node-foreign-pods', `Node ${node}`]]);
      assert.equal(finding?.tenant, teamB);
      assert.equal(finding?.severity, 'high');
      assert.match(
        finding?.message ?? '',
        new RegExp(`runs 1 pod\\(s\\) of others: ${teamA}/intruder \\(tenant ${teamA}\\)`),
      );
    });
    await assertQuiet();
  });

  it("reports team B's namespace stripped of its placement annotation, and team A's placed on team B's nodes", async (t) => {
    const strip = [{ op: 'remove', path: `/metadata/annotations/${dedicatedNodesAnnotation.replace('/', '~1')}` }];
    // A member cannot change the Namespace object (RBAC, and admission on a hardened platform): the admin plants it.
    const answer = await http.send({
      method: 'PATCH',
      path: `/api/v1/namespaces/${teamB}`,
      body: strip,
      contentType: 'application/json-patch+json',
      headers: memberOf(teamB),
    });
    t.diagnostic(`the member's own patch: HTTP ${answer.status}`);
    assert.notEqual(answer.status, 200, 'a member stripped the placement annotation');
    await kubectl(kubeconfig, 'annotate', 'namespace', teamB, `${dedicatedNodesAnnotation}-`, ...breakGlass);
    await whilePlanted(
      () => placeOnPool(teamB),
      async () => {
        const [finding] = await assertReported([['namespace-no-placement', `Namespace ${teamB}`]]);
        assert.equal(finding?.tenant, teamB);
      },
    );
    await assertQuiet();
    const intoB = `${dedicatedNodesAnnotation}=${teamB}`;
    await kubectl(kubeconfig, 'annotate', 'namespace', teamA, intoB, ...breakGlass);
    await whilePlanted(
      () => kubectl(kubeconfig, 'annotate', 'namespace', teamA, `${dedicatedNodesAnnotation}-`, ...breakGlass),
      async () => {
        const [finding] = await assertReported([['namespace-placement-other-team', `Namespace ${teamA}`]]);
        assert.equal(finding?.severity, 'high');
        assert.match(finding?.message ?? '', new RegExp(`placed on team ${teamB}'s dedicated nodes`));
      },
    );
    await assertQuiet();
  });
});
