import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memberClient } from '../support/argocd-api.ts';
import { testEnvironment, uniqueName } from '../support/cluster.ts';
import { startFactoryOperator } from '../support/git-factory.ts';
import { provisionTeam } from '../support/teams.ts';

const argocdNamespace = testEnvironment().platform.argocd.namespace;
startFactoryOperator();
const teamA = uniqueName('access-a');
const teamB = uniqueName('access-b');
const initializer = (team: string) => `application-initializer-${team}`;

describe("a team's group in Argo CD", () => {
  it('is set up: two tenants', async () => {
    await provisionTeam(teamA, 'devteam-a');
    await provisionTeam(teamB, 'devteam-b');
  });

  it("sees its own applications and not the other team's", async () => {
    const alice = await memberClient('alice', []);
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
    const alice = await memberClient('alice', []);
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
