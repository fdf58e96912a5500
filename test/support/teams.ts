import { after } from 'node:test';
import { validTenant } from '../fixtures/tenants.ts';
import { createTeamRepo } from './argocd.ts';
import { testCluster } from './cluster.ts';
import { waitForPhase } from './operator.ts';

const provisioned: string[] = [];
// Registered when a test file imports this module (top level): runs once, after the file's tests.
after(async () => {
  const { http } = testCluster();
  for (const team of provisioned.splice(0))
    await http.send({ method: 'DELETE', path: `/apis/landlord.dev/v1alpha1/tenants/${team}` });
});

/**
 * A team as the GitOps tests need it: its repository, its Tenant (teamName and adGroup = team, no node pool),
 * Ready; the Tenant is deleted after the file's tests.
 */
export async function provisionTeam(team: string): Promise<void> {
  const { http } = testCluster();
  await createTeamRepo(team);
  // On shared nodes: GitOps tests need no dedicated pool, and the spare nodes are few (7 of a type at most).
  const document = validTenant(team, team);
  delete document.spec.nodePool;
  await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: document });
  provisioned.push(team);
  await waitForPhase(team, 'Ready');
}
