import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { validTenant } from '../fixtures/tenants.ts';
import { createTeamRepo } from '../support/argocd.ts';
import { memberClient } from '../support/argocd-api.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';

const { http } = testCluster();
const argocdNamespace = testEnvironment().platform.argocd.namespace;
startOperator();
const teamA = uniqueName('access-a');
const teamB = uniqueName('access-b');
after(async () => {
  for (const team of [teamA, teamB])
    await http.send({ method: 'DELETE', path: `/apis/landlord.dev/v1alpha1/tenants/${team}` });
});
const initializer = (team: string) => `application-initializer-${team}`;

describe("a team's group in Argo CD", () => {
  it('is set up: two tenants', async () => {
    for (const team of [teamA, teamB]) {
      await createTeamRepo(team);
      await http.request({
        method: 'POST',
        path: '/apis/landlord.dev/v1alpha1/tenants',
        body: validTenant(team, team),
      });
      await waitForPhase(team, 'Ready');
    }
  });

  it("sees its own applications and not the other team's", async () => {
    const alice = await memberClient('alice', [teamA]);
    const listed = await alice.call<{ items: { metadata: { name: string }; spec: { project: string } }[] | null }>(
      'GET',
      '/api/v1/applications',
    );
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    const names = (listed.body.items ?? []).map((app) => app.metadata.name);
    assert.deepEqual(names, [initializer(teamA)]);

    const other = await alice.call('GET', `/api/v1/applications/${initializer(teamB)}?appNamespace=${argocdNamespace}`);
    assert.equal(other.status, 403, 'no data about team B, not even whether it exists');
    assert.doesNotMatch(JSON.stringify(other.body), new RegExp(teamB.replace(/-/g, '\\-') + '-gitops'));
  });

  it("syncs its own application and cannot sync the other team's", async () => {
    const alice = await memberClient('alice', [teamA]);
    const own = await alice.call(
      'POST',
      `/api/v1/applications/${initializer(teamA)}/sync?appNamespace=${argocdNamespace}`,
      {},
    );
    assert.equal(own.status, 200, JSON.stringify(own.body));
    const theirs = await alice.call(
      'POST',
      `/api/v1/applications/${initializer(teamB)}/sync?appNamespace=${argocdNamespace}`,
      {},
    );
    assert.equal(theirs.status, 403, JSON.stringify(theirs.body));
  });

  it('is only what the directory says: a user in no group sees nothing', async () => {
    const nobody = await memberClient('dave', []);
    const listed = await nobody.call<{ items: unknown[] | null }>('GET', '/api/v1/applications');
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.items ?? [], []);
  });
});
