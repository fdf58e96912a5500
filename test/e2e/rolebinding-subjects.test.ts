// Access ends when a person leaves the group (issue 12; red-team finding 1): a hostile member of team A, through
// kubectl impersonation, plants a RoleBinding in A's namespace for an identity the directory group does not govern,
// so that after their removal from the group (their landlord-people/<A>.<person> ServiceAccount deleted by the
// portal) they would keep A's rights through another identity: their ServiceAccount of another tenant, every
// person's, or everyone's. deploy/admission/tenant-rolebindings.yaml refuses it: in a tenant namespace a
// RoleBinding names only ServiceAccounts of that namespace and the tenant's directory group.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { kubectl } from '../support/kubectl.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';
import { policyTypeWarnings } from '../support/policy-type-check.ts';

const { http, kubeconfig } = testCluster();
startOperator();
const [teamA, teamB] = [uniqueName('rt-plant-a'), uniqueName('rt-plant-b')];
const scratch = mkdtempSync(join(tmpdir(), 'landlord-redteam-'));
const memberOfA = ['--as', 'mallory@financecore.example', '--as-group', teamA];
// Mallory's identity in tenant B, where she stays a member after A's group drops her.
const mallorysOtherIdentity = `system:serviceaccount:landlord-people:${teamB}.mallory`;
/** Argo CD syncs A's repository as A's deployer (ADR 12): it is the team, held to the same rule. */
const asDeployerOfA = ['--as', `system:serviceaccount:argocd:${teamA}-deployer`];

/** The policy's refusal: the rule, then what to do instead. */
const refusal = new RegExp(
  `landlord: in tenant namespace ${teamA}, a RoleBinding may name only ServiceAccounts of ${teamA} and the ` +
    `tenant's directory group ${teamA};[\\s\\S]*Bind your group or a ServiceAccount of this namespace`,
);
const groupOfA = { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: teamA };
const accountOfA = { kind: 'ServiceAccount', name: 'ci', namespace: teamA };

/** kubectl as the member of A in A's namespace. */
async function asMember(...args: string[]): Promise<{ ok: boolean; output: string }> {
  return asIdentity(memberOfA, ...args);
}
/** kubectl as `identity` in A's namespace; refusals come back as output, not thrown. */
async function asIdentity(identity: string[], ...args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout } = await kubectl(kubeconfig, ...identity, '-n', teamA, ...args);
    return { ok: true, output: stdout };
  } catch (error) {
    return { ok: false, output: (error as { stderr?: string }).stderr ?? String(error) };
  }
}
/** Whether `user` (with `groups`) may read Secrets in A's namespace, as the API server judges it. */
async function readsSecretsOfA(user: string, groups: string[]): Promise<boolean> {
  const as = ['--as', user, ...groups.flatMap((g) => ['--as-group', g])];
  const { stdout } = await kubectl(kubeconfig, ...as, 'auth', 'can-i', 'get', 'secrets', '-n', teamA).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  return stdout.trim() === 'yes';
}
/** A RoleBinding in A's namespace giving the team's role to one subject. */
function binding(name: string, ...subjects: Record<string, string>[]): string {
  const path = join(scratch, `${name}.json`);
  const object = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'landlord-team' },
    subjects,
  };
  writeFileSync(path, JSON.stringify(object));
  return path;
}
/** Asserts the member cannot plant the binding; if they can, says who now reads A's Secrets. */
async function assertPlantRefused(name: string, subject: Record<string, string>, reader: [string, string[]]) {
  const before = await readsSecretsOfA(...reader);
  assert.equal(before, false, `${reader[0]} reads A's Secrets before the plant: the test proves nothing`);
  const { ok, output } = await asMember('create', '-f', binding(name, subject));
  const after = ok && (await readsSecretsOfA(...reader));
  assert.equal(
    ok,
    false,
    `FINDING: member of ${teamA} planted RoleBinding ${name} to ${JSON.stringify(subject)} (${output.trim()}); ` +
      `${reader[0]} now reads ${teamA}'s Secrets: ${after}`,
  );
  assert.match(output, refusal, output);
}

before(async () => {
  for (const team of [teamA, teamB]) {
    const tenant = validTenant(team, team);
    delete tenant.spec.nodePool;
    await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: tenant });
  }
  for (const team of [teamA, teamB]) await waitForPhase(team, 'Ready');
});
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('a member cannot bind identities the directory group does not govern in the tenant namespace', () => {
  it("refuses binding the team's role to the member's own identity in another tenant (landlord-people)", async () => {
    await assertPlantRefused(
      'keep-me',
      { kind: 'ServiceAccount', name: `${teamB}.mallory`, namespace: 'landlord-people' },
      [mallorysOtherIdentity, ['system:serviceaccounts', 'system:serviceaccounts:landlord-people']],
    );
  });

  it("refuses binding the team's role to every person of every tenant (group system:serviceaccounts:landlord-people)", async () => {
    await assertPlantRefused(
      'everyone-in-people',
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:serviceaccounts:landlord-people' },
      [
        `system:serviceaccount:landlord-people:${teamB}.bob`,
        ['system:serviceaccounts', 'system:serviceaccounts:landlord-people', 'system:authenticated'],
      ],
    );
  });

  it("refuses binding the team's role to a ServiceAccount of another tenant's namespace", async () => {
    await assertPlantRefused('other-tenant-sa', { kind: 'ServiceAccount', name: 'default', namespace: teamB }, [
      `system:serviceaccount:${teamB}:default`,
      ['system:serviceaccounts', `system:serviceaccounts:${teamB}`, 'system:authenticated'],
    ]);
  });

  it("refuses binding the team's role to system:authenticated (everyone with any credential)", async () => {
    await assertPlantRefused(
      'everyone',
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:authenticated' },
      ['someone@elsewhere.example', ['system:authenticated']],
    );
  });

  it("refuses binding the team's role to a user name outside the directory group", async () => {
    await assertPlantRefused(
      'a-user',
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'mallory@financecore.example' },
      ['mallory@financecore.example', ['system:authenticated']],
    );
  });
});

describe('what a tenant RoleBinding may name, whoever writes it', () => {
  it("type-checks: the API server's checker warns of nothing", async () => {
    assert.deepEqual(await policyTypeWarnings(http, 'landlord-tenant-rolebindings'), []);
  });

  it("annotates each tenant namespace with the tenant's directory group, the one Group it may bind", async () => {
    const namespace = await http.request<{ metadata: { annotations?: Record<string, string> } }>({
      method: 'GET',
      path: `/api/v1/namespaces/${teamA}`,
    });
    assert.equal(namespace.metadata.annotations?.['landlord.dev/ad-group'], teamA);
  });

  it('lets a member bind their group and a ServiceAccount of the namespace, and names the subject refused', async () => {
    const allowed = await asMember('create', '-f', binding('group-and-ci', groupOfA, accountOfA));
    assert.equal(allowed.ok, true, allowed.output);
    const mixed = await asMember(
      'create',
      '-f',
      binding('group-and-user', groupOfA, { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'eve' }),
    );
    assert.equal(mixed.ok, false, mixed.output);
    assert.match(mixed.output, refusal);
    assert.match(mixed.output, /group-and-user names User eve: refused for mallory@financecore\.example/);
  });

  it("refuses changing an allowed binding's subjects to another namespace's ServiceAccount", async () => {
    const created = await asMember('create', '-f', binding('ci-only', accountOfA));
    assert.equal(created.ok, true, created.output);
    const patch = JSON.stringify([
      { op: 'add', path: '/subjects/-', value: { kind: 'ServiceAccount', name: 'default', namespace: teamB } },
    ]);
    const changed = await asMember('patch', 'rolebinding', 'ci-only', '--type=json', `-p=${patch}`);
    assert.equal(changed.ok, false, `FINDING: subjects changed: ${changed.output}`);
    assert.match(changed.output, refusal);
    assert.match(changed.output, new RegExp(`ci-only names ServiceAccount ${teamB}/default`));
    const labelled = await asMember('label', 'rolebinding', 'ci-only', 'purpose=ci');
    assert.equal(labelled.ok, true, `an update that leaves subjects alone is not judged: ${labelled.output}`);
  });

  it("holds Argo CD syncing as the team's deployer to the same rule", async () => {
    const user = { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'mallory@financecore.example' };
    const { ok, output } = await asIdentity(asDeployerOfA, 'create', '-f', binding('synced-user', user));
    assert.equal(ok, false, `FINDING: the deployer planted a User binding: ${output}`);
    assert.match(output, refusal);
    const allowed = await asIdentity(asDeployerOfA, 'create', '-f', binding('synced-ci', accountOfA));
    assert.equal(allowed.ok, true, allowed.output);
  });
});

describe("a member cannot squat a teammate's identity in landlord-people", () => {
  it('refuses creating ServiceAccount landlord-people/<tenant>.<teammate> and minting a token for it', async () => {
    const as = [...memberOfA, '-n', 'landlord-people'];
    const created = await kubectl(kubeconfig, ...as, 'create', 'serviceaccount', `${teamA}.bob`).then(
      ({ stdout }) => ({ ok: true, output: stdout }),
      (error: { stderr?: string }) => ({ ok: false, output: error.stderr ?? '' }),
    );
    assert.equal(created.ok, false, `FINDING: ${created.output}`);
    assert.match(created.output, /forbidden/, created.output);
    const minted = await kubectl(kubeconfig, ...as, 'create', 'token', `${teamB}.mallory`, '--duration', '8760h').then(
      ({ stdout }) => ({ ok: true, output: stdout }),
      (error: { stderr?: string }) => ({ ok: false, output: error.stderr ?? '' }),
    );
    assert.equal(minted.ok, false, `FINDING: a token was minted: ${minted.output.slice(0, 20)}...`);
    assert.match(minted.output, /forbidden/, minted.output);
  });
});
