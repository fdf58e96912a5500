import { after } from 'node:test';
import { validTenant } from '../fixtures/tenants.ts';
import { createTeamRepo } from './argocd.ts';
import { testCluster } from './cluster.ts';
import { createFactoryTenant } from './git-factory.ts';
import { waitForPhase } from './operator.ts';

const provisioned: string[] = [];
// Registered when a test file imports this module (top level): runs once, after the file's tests.
after(async () => {
  const { http } = testCluster();
  for (const team of provisioned.splice(0))
    await http.send({ method: 'DELETE', path: `/apis/landlord.dev/v1alpha1/tenants/${team}` });
});

/**
 * A team as the GitOps tests need it, its repository made by the Git factory on the forge (the file's operator
 * runs with the factory on: startFactoryOperator): its Tenant (teamName = team, adGroup = a directory group the
 * forge mirrors, no node pool), Ready; the Tenant is deleted after the file's tests. Returns the group.
 */
export async function provisionTeam(team: string, group = 'devteam-a'): Promise<string> {
  await createFactoryTenant(team, team, group);
  provisioned.push(team);
  // The factory makes the repository, its protection, its reader and its webhook first: slower than a folder.
  await waitForPhase(team, 'Ready', 180_000);
  return group;
}

/**
 * A team whose repository is a bare folder, for an operator without the Git factory: its Tenant (teamName and
 * adGroup = team, no node pool), Ready; the Tenant is deleted after the file's tests.
 */
export async function provisionFolderTeam(team: string): Promise<void> {
  const { http } = testCluster();
  await createTeamRepo(team);
  // On shared nodes: GitOps tests need no dedicated pool, and the spare nodes are few (7 of a type at most).
  const document = validTenant(team, team);
  delete document.spec.nodePool;
  await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: document });
  provisioned.push(team);
  await waitForPhase(team, 'Ready');
}
