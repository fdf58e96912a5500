import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { teamLabel } from '../../src/tenancy/ownership.ts';
import { validTenant } from '../fixtures/tenants.ts';
import {
  createTeamRepo,
  pushManifests,
  restrictedDeployment,
  teamRepoURL,
  waitForApplication,
} from '../support/argocd.ts';
import { auditCluster, denyPlatformIngress } from '../support/audit.ts';
import { createHouse } from '../support/house.ts';
import { asBreakGlass } from '../support/break-glass.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';

const { http } = testCluster();
const argocdNamespace = testEnvironment().platform.argocd.namespace;
const trapFile = join(import.meta.dirname, '..', '..', 'examples', 'audit', 'wildcard-trap.yaml');
startOperator();
const teamA = uniqueName('audit-a');
const teamB = uniqueName('audit-b');
const trapName = `${teamA}-legacy`;
const trapPath = `/apis/argoproj.io/v1alpha1/namespaces/${argocdNamespace}/appprojects/${trapName}`;
const breachName = `${teamA}-breach`;
const houseTeam = uniqueName('audit-h');
let undenyPlatform = async () => {};

/** A tenant on the shared nodes: this file judges tenants, not pools (audit-attacks.test.ts plants those). */
function sharedTenant(team: string) {
  const tenant = validTenant(team, team);
  delete tenant.spec.nodePool;
  return tenant;
}
// The platform namespaces as a finished platform has them (default-deny ingress): this file judges tenants.
before(async () => {
  undenyPlatform = await denyPlatformIngress(uniqueName('audit-test-deny'));
});
after(async () => {
  await undenyPlatform();
  await http.send({
    method: 'DELETE',
    path: `/apis/argoproj.io/v1alpha1/namespaces/${argocdNamespace}/applications/${breachName}`,
  });
  await http.send({ method: 'DELETE', path: `/apis/apps/v1/namespaces/${teamB}/deployments/payments` });
  await http.send({ method: 'DELETE', path: trapPath });
  for (const team of [teamA, teamB, houseTeam])
    await http.send({ method: 'DELETE', path: `/apis/landlord.dev/v1alpha1/tenants/${team}` });
});

describe('landlord audit on a live cluster', () => {
  it('reports nothing and exits 0 on a cluster provisioned only by Landlord', async () => {
    for (const team of [teamA, teamB]) {
      await http.request({
        method: 'POST',
        path: '/apis/landlord.dev/v1alpha1/tenants',
        body: sharedTenant(team),
      });
      await waitForPhase(team, 'Ready');
    }
    const { code, findings } = await auditCluster();
    assert.deepEqual(findings, []);
    assert.equal(code, 0);
  });

  it("reports the article's wildcard trap: devteam-a can deploy into devteam-b, exit 1", async () => {
    const trap = parse(readFileSync(trapFile, 'utf8'));
    trap.metadata = { name: trapName, namespace: argocdNamespace, labels: { [teamLabel]: teamA } };
    await http.request({
      method: 'POST',
      path: `/apis/argoproj.io/v1alpha1/namespaces/${argocdNamespace}/appprojects`,
      body: trap,
    });
    const { code, findings } = await auditCluster();
    assert.equal(code, 1);
    const intoB = findings.find((f) => f.rule === 'project-destination-other-tenant');
    assert.ok(intoB, JSON.stringify(findings, null, 2));
    assert.equal(intoB.object, `AppProject ${argocdNamespace}/${trapName}`);
    assert.equal(intoB.tenant, teamA);
    assert.match(intoB.message, new RegExp(`can deploy into ${teamB}'s namespace`));
    assert.ok(
      findings.every((f) => f.object === `AppProject ${argocdNamespace}/${trapName}`),
      'nothing else is reported',
    );
  });

  it('is right about the trap: real Argo CD lets an Application of that project deploy into devteam-b', async () => {
    await createTeamRepo(teamA);
    await pushManifests(teamA, { 'payments.yaml': [restrictedDeployment('payments')] }, 'Add payments');
    // Argo CD syncs as the project's destination ServiceAccount (sync impersonation): the legacy project's one
    // deployer, given `edit` wherever the project deploys, as whoever wrote such a project would have.
    const legacyDeployer = `${trapName}-deployer`;
    await http.request({
      method: 'PATCH',
      path: trapPath,
      body: {
        spec: {
          sourceRepos: [teamRepoURL(teamA)],
          destinationServiceAccounts: [
            { server: '*', namespace: '*', defaultServiceAccount: `${argocdNamespace}:${legacyDeployer}` },
          ],
        },
      },
      contentType: 'application/merge-patch+json',
    });
    // An administrator's legacy setup: a binding naming Argo CD's ServiceAccount in a tenant namespace, which the
    // tenant binding rule refuses to anyone but break-glass.
    await http.request({
      method: 'POST',
      path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${teamB}/rolebindings`,
      headers: asBreakGlass,
      body: {
        metadata: { name: legacyDeployer },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
        subjects: [{ kind: 'ServiceAccount', name: legacyDeployer, namespace: argocdNamespace }],
      },
    });
    await http.request({
      method: 'POST',
      path: `/apis/argoproj.io/v1alpha1/namespaces/${argocdNamespace}/applications`,
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: breachName, namespace: argocdNamespace },
        spec: {
          project: trapName,
          source: { repoURL: teamRepoURL(teamA), path: 'applicationset', targetRevision: 'main' },
          destination: { server: testEnvironment().platform.argocd.destinationServer, namespace: teamB },
          syncPolicy: { automated: { prune: true } },
        },
      },
    });
    await waitForApplication(
      argocdNamespace,
      breachName,
      (app) => app.status?.sync?.status === 'Synced',
      'the breach synced',
    );
    const inB = await http.send({ method: 'GET', path: `/apis/apps/v1/namespaces/${teamB}/deployments/payments` });
    assert.equal(inB.status, 200, "team A's Deployment landed in team B's namespace, as the audit said it could");
  });
});

describe('landlord audit on a live house', () => {
  it('reports of a real house (its vCluster deployed by Argo CD) only the egress the platform left open', async () => {
    await createHouse(houseTeam, '1.36');
    await waitForPhase(houseTeam, 'Ready', 600_000);
    const { findings } = await auditCluster();
    const ofHouse = findings.filter((f) => f.tenant === houseTeam || f.object.includes(`vcluster-${houseTeam}`));
    // The test platform names no host API server addresses (houses.hostAPIServerCIDRs) and no addresses for the
    // house's Argo CD (houses.argocd.egressCIDRs): those, and nothing else.
    assert.deepEqual(
      ofHouse.filter((f) => f.tenant === houseTeam).map((f) => [f.rule, f.severity, f.object]),
      [
        ['house-argocd-egress-any-address', 'medium', `Namespace vcluster-${houseTeam}`],
        ['house-host-api-any-address', 'medium', `Namespace vcluster-${houseTeam}`],
      ],
      JSON.stringify(ofHouse, null, 2),
    );
  });

  it("reports the house's team given admin on its host namespace (vc-<team>, the admin certificate, readable)", async () => {
    const tenant = await http.request<{ spec: { adGroup: string } }>({
      method: 'GET',
      path: `/apis/landlord.dev/v1alpha1/tenants/${houseTeam}`,
    });
    const bindings = `/apis/rbac.authorization.k8s.io/v1/namespaces/vcluster-${houseTeam}/rolebindings`;
    await http.request({
      method: 'POST',
      path: bindings,
      headers: asBreakGlass,
      body: {
        metadata: { name: 'team-admin' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: tenant.spec.adGroup }],
      },
    });
    try {
      const { code, findings } = await auditCluster();
      assert.equal(code, 1);
      const planted = findings.filter((f) => f.object === `RoleBinding vcluster-${houseTeam}/team-admin`);
      assert.deepEqual(
        planted.map((f) => [f.rule, f.severity, f.tenant]),
        // The live admin role writes NetworkPolicies too: more than the chart needs, as well as a person's.
        [
          ['rbac-house-beyond-chart', 'high', houseTeam],
          ['rbac-house-person', 'high', houseTeam],
        ],
        JSON.stringify(findings, null, 2),
      );
      assert.match(planted[1]?.message ?? '', new RegExp(`vc-${houseTeam}`));
    } finally {
      await http.send({ method: 'DELETE', path: `${bindings}/team-admin`, headers: asBreakGlass });
    }
  });
});
