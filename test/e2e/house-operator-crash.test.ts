import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { tenantResource } from '../../src/api/crd.ts';
import type { Tenant } from '../../src/api/tenant.ts';
import { type RunnerStatus, runnerStatusFile } from '../../src/dev/houses/house-runner.ts';
import { houseRunnerDir } from '../../src/dev/houses/runner-lifecycle.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import { deleteAllTenants } from '../support/cleanup.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { createHouse } from '../support/house.ts';
import { spawnOperator } from '../support/operator-process.ts';
import { waitFor } from '../support/wait.ts';

// The operator killed while three houses are half built: the next one finishes them from what it finds, writing no
// second Application, cluster Secret or vCluster of any house, and leaving nothing of a house that does not exist.
const { cluster, http } = testCluster();
const argocd = testEnvironment().platform.argocd.namespace;
const prefix = uniqueName('hcr');
const teams = [0, 1, 2].map((index) => `${prefix}-${index}`);
const work = mkdtempSync(join(tmpdir(), 'house-crash-'));
const platformFile = join(work, 'platform.yaml');
writeFileSync(platformFile, stringify(testEnvironment().platform));

type Named = { metadata: { name: string; labels?: Record<string, string> } };
const list = async (path: string, labelSelector?: string) =>
  (
    await http.request<{ items: Named[] }>({
      method: 'GET',
      path,
      query: labelSelector ? { labelSelector } : undefined,
    })
  ).items;
const applications = () => list(`/apis/argoproj.io/v1alpha1/namespaces/${argocd}/applications`);
const clusterSecrets = () => list(`/api/v1/namespaces/${argocd}/secrets`, 'argocd.argoproj.io/secret-type=cluster');
const houseTenants = async () =>
  (await http.request<{ items: Tenant[] }>({ method: 'GET', path: apiPath(tenantResource) })).items.filter(
    (tenant) => tenant.spec.isolation === 'vcluster',
  );
/** The houses the runner plays kubelet for, by pod (namespace/name), as many times as it runs each. */
const runnerHouses = () =>
  (JSON.parse(readFileSync(runnerStatusFile(houseRunnerDir(cluster)), 'utf8')) as RunnerStatus).houses.filter(
    (house) => house.phase !== 'Stopped',
  );

describe('an operator killed while three houses are provisioned', () => {
  after(() => rmSync(work, { recursive: true, force: true }));

  it('converges after a restart: every house Ready, each once, nothing of a house that does not exist', async (t) => {
    const first = await spawnOperator('house-crashing', ['--platform-config', platformFile]);
    await waitFor(async () => (await first.metric('landlord_leader')) === 1, 'the first replica to lead');
    await Promise.all(teams.map((team) => createHouse(team, '1.36')));
    // Cut once Argo CD has deployed the first house's StatefulSet: its vCluster starting, no house registered yet.
    const statefulSetOf = async (team: string) =>
      (await http.send({ method: 'GET', path: `/apis/apps/v1/namespaces/vcluster-${team}/statefulsets/${team}` }))
        .status === 200;
    await waitFor(
      async () => (await Promise.all(teams.map(statefulSetOf))).some(Boolean),
      'the first house StatefulSet',
      300_000,
      100,
    );
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const atCrash = await houseTenants();
    assert.ok(
      atCrash.filter((tenant) => teams.includes(tenant.metadata.name)).every((t) => t.status?.phase !== 'Ready'),
      `killed mid-provisioning (${atCrash.map((t) => `${t.metadata.name}: ${t.status?.phase}`).join(', ')})`,
    );

    t.diagnostic(
      `at the kill: ${atCrash.map((x) => `${x.metadata.name} ${x.status?.phase ?? 'no status'}`).join(', ')}`,
    );
    const second = await spawnOperator('house-restarted', ['--platform-config', platformFile]);
    await waitFor(
      async () => {
        const ready = (await houseTenants()).filter(
          (t) => teams.includes(t.metadata.name) && t.status?.phase === 'Ready',
        );
        return ready.length === teams.length;
      },
      'all three houses Ready after the restart',
      900_000,
      1000,
    );

    const live = new Set((await houseTenants()).map((tenant) => `vcluster-${tenant.spec.teamName}`));
    const apps = (await applications()).map((app) => app.metadata.name).filter((name) => name.startsWith('vcluster-'));
    const secrets = (await clusterSecrets()).map((secret) => secret.metadata.name);
    for (const team of teams) {
      assert.equal(apps.filter((name) => name === `vcluster-${team}`).length, 1, `one Application of ${team}`);
      assert.equal(secrets.filter((name) => name === `vcluster-${team}`).length, 1, `one cluster Secret of ${team}`);
      const tenantLabelled = (await clusterSecrets()).filter((secret) => secret.metadata.labels?.tenant === team);
      assert.equal(tenantLabelled.length, 1, `one cluster Secret labelled tenant=${team}`);
      const statefulSets = await list(`/apis/apps/v1/namespaces/vcluster-${team}/statefulsets`);
      assert.deepEqual(
        statefulSets.map((set) => set.metadata.name),
        [team],
        `one StatefulSet in vcluster-${team}`,
      );
      const running = runnerHouses().filter((house) => house.pod.startsWith(`vcluster-${team}/`));
      assert.equal(running.length, 1, `one vCluster running for ${team}`);
    }
    assert.deepEqual(
      apps.filter((name) => !live.has(name)),
      [],
      'no house Application of a house that does not exist',
    );
    assert.deepEqual(
      secrets.filter((name) => name.startsWith('vcluster-') && !live.has(name)),
      [],
      'no cluster Secret of a house that does not exist',
    );

    await deleteAllTenants(http, 600_000);
    assert.deepEqual(
      (await applications()).filter((app) => teams.some((team) => app.metadata.name === `vcluster-${team}`)),
      [],
    );
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
  });
});
