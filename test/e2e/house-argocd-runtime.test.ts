// A house's own Argo CD, run for real by the house runner: the host Argo CD's processes on the house's loopback
// address, configured by what is in the house, acting as the house's own ServiceAccounts, stopped with it.
// Until the desired state (the host Argo CD installing Argo CD into each house) lands, this test installs upstream's
// manifests into the house itself, as that Application will: a kustomize build of the pinned module's
// manifests/cluster-install with a minimal overlay. That overlay is the test's, never product code.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { environmentPorts, kubeconfigPath } from '../../src/dev/cluster/local-cluster.ts';
import { houseUid } from '../../src/dev/houses/confinement.ts';
import { type RunnerStatus, runnerStatusFile } from '../../src/dev/houses/house-runner.ts';
import type { HouseState } from '../../src/dev/houses/house-supervisor.ts';
import { houseRunnerDir } from '../../src/dev/houses/runner-lifecycle.ts';
import { isRunning, processTree, programName, treeMemory } from '../../src/dev/houses/process-tree.ts';
import { commitFiles } from '../../src/git/commit-files.ts';
import { applyObject } from '../../src/kube/apply.ts';
import { Discovery } from '../../src/kube/discovery.ts';
import type { KubeHttp } from '../../src/kube/http.ts';
import { loadConnection } from '../../src/kube/kubeconfig.ts';
import type { KubernetesObject } from '../../src/kube/object.ts';
import { houseLoopbackAddress } from '../../src/tenancy/house-address.ts';
import { createTeamRepo } from '../support/argocd.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { createHouse, houseClient } from '../support/house.ts';
import { applyInHouse, upstreamArgoCd, whoAmI } from '../support/house-argocd-install.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const { cluster, http } = testCluster();
startOperator();
const team = uniqueName('hargo');
const address = houseLoopbackAddress(team);
const argocdURL = `http://${address}:8080`;
const work = mkdtempSync(join(tmpdir(), 'house-argocd-'));
const deployments = '/apis/apps/v1/namespaces/argocd/deployments';
/** A bare client of a repo-server (the attacker's tool: it holds no credential, none is asked). */
const repoServerCall = join(import.meta.dirname, '../support/repo-server-call.ts');

/** The runner's view of this house, and of its Argo CD. */
function runnerHouse(): HouseState | undefined {
  const status = JSON.parse(readFileSync(runnerStatusFile(houseRunnerDir(cluster)), 'utf8')) as RunnerStatus;
  return status.houses.find((house) => house.pod === `vcluster-${team}/${team}-0` && house.phase !== 'Stopped');
}

/** Every process of the house's Argo CD (each tethered wrapper and what runs under it). */
function argoCdProcessTree(): number[] {
  return (runnerHouse()?.argocd?.processes ?? []).flatMap((process) => (process.pid ? processTree(process.pid) : []));
}

async function get(path: string): Promise<{ status: number; body: string }> {
  try {
    const answer = await fetch(`${argocdURL}${path}`, { signal: AbortSignal.timeout(3000) });
    return { status: answer.status, body: await answer.text() };
  } catch {
    return { status: 0, body: '' };
  }
}

let house: KubeHttp;

/** An Application of the house's own Argo CD, synced automatically into the house's `default`. */
function createInsideApplication(name: string, source: Record<string, unknown>) {
  return house.request({
    method: 'POST',
    path: '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications',
    body: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name },
      spec: {
        project: 'default',
        source,
        destination: { server: 'https://kubernetes.default.svc', namespace: 'default' },
        syncPolicy: { automated: {} },
      },
    },
  });
}

describe('a house’s own Argo CD, run by the house runner', () => {
  let objects: KubernetesObject[];

  after(async () => {
    house?.close();
    await http.send({ method: 'DELETE', path: `/apis/landlord.dev/v1alpha1/tenants/${team}` });
    rmSync(work, { recursive: true, force: true });
  });

  it('starts once the house holds Deployment argocd/argocd-server and answers on the house’s address', async (t) => {
    await createHouse(team, '1.36');
    await waitForPhase(team, 'Ready', 600_000);
    house = await houseClient(team);
    objects = upstreamArgoCd(work, argocdURL);
    assert.equal(runnerHouse()?.argocd?.phase, 'Absent', 'nothing runs before the house holds an Argo CD');
    const appearedAt = await applyInHouse(house, objects);
    await waitFor(async () => (await get('/api/version')).status === 200, 'the house’s Argo CD to answer', 180_000);
    const answeredMs = Date.now() - appearedAt;
    assert.match((await get('/api/version')).body, /"Version":"v3\.5\.7/);
    assert.equal((await get('/healthz')).status, 200);
    const state = runnerHouse()?.argocd;
    assert.equal(state?.phase, 'Running');
    assert.deepEqual(
      state?.processes.map((process) => process.name),
      ['redis', 'argocd-repo-server', 'argocd-application-controller', 'argocd-server'],
    );
    // The cache's password Secret, made as upstream's init container makes it (absent from the manifests).
    const redis = await house.request<{ data: Record<string, string> }>({
      method: 'GET',
      path: '/api/v1/namespaces/argocd/secrets/argocd-redis',
    });
    assert.ok(redis.data.auth);
    const memory = (state?.processes ?? []).map((process) => ({ name: process.name, ...treeMemory(process.pid ?? 0) }));
    const total = memory.reduce((sum, each) => sum + each.bytes, 0);
    t.diagnostic(
      `Deployment to answering: ${(answeredMs / 1000).toFixed(1)}s; RSS ${(total / 2 ** 20).toFixed(0)} MiB (${memory
        .map((each) => `${each.name} ${(each.bytes / 2 ** 20).toFixed(0)}`)
        .join(', ')})`,
    );
  });

  it('syncs an Application created inside the house, acting as the house’s own ServiceAccounts', async () => {
    const repo = await createTeamRepo(team);
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hello' }, data: { from: 'house' } };
    await commitFiles(repo, [{ path: 'inside/configmap.yaml', content: stringify(configMap) }], 'a ConfigMap', {
      name: team,
      email: `${team}@financecore.example`,
    });
    await createInsideApplication('hello', { repoURL: repo, path: 'inside', targetRevision: 'main' });
    type Application = { status?: { sync?: { status?: string }; operationState?: { phase?: string } } };
    await waitFor(
      async () => {
        const app = await house.request<Application>({
          method: 'GET',
          path: '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/hello',
        });
        return app.status?.sync?.status === 'Synced' && app.status.operationState?.phase === 'Succeeded';
      },
      'the house’s controller to sync the Application',
      180_000,
    );
    const made = await house.request<{
      data: Record<string, string>;
      metadata: { managedFields: { manager: string }[] };
    }>({
      method: 'GET',
      path: '/api/v1/namespaces/default/configmaps/hello',
    });
    assert.equal(made.data.from, 'house');
    // The controller's only credential: its kubeconfig names the token the runner requested for its account.
    const controller = runnerHouse()?.argocd?.processes.find((p) => p.name === 'argocd-application-controller');
    const program = processTree(controller?.pid ?? 0).find((pid) => programName(pid) === 'argocd');
    assert.ok(program, 'the controller runs');
    const environ = readFileSync(`/proc/${program}/environ`, 'utf8').split('\0');
    const kubeconfig = environ.find((entry) => entry.startsWith('KUBECONFIG='))?.slice('KUBECONFIG='.length) ?? '';
    assert.match(kubeconfig, /identity\/argocd-application-controller\.kubeconfig$/);
    assert.equal(await whoAmI(kubeconfig), 'system:serviceaccount:argocd:argocd-application-controller');
    // The team's Argo CD runs as the house's own user, never root, and sees none of root's secrets (the host
    // cluster's admin kubeconfig) through its own mount namespace: the binaries, its folder and the repositories only.
    const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${program}/status`, 'utf8'))?.[1];
    assert.equal(Number(uid), houseUid(address));
    assert.ok(!existsSync(`/proc/${program}/root${kubeconfigPath(cluster)}`), 'the host’s admin kubeconfig is visible');
    assert.ok(existsSync(`/proc/${program}/root${kubeconfig}`));
  });

  it('runs the team’s own code (its argocd-cm names the kustomize binary) as the house’s user, seeing none of root’s', async () => {
    // The team is cluster-admin in its house: it makes its repo-server run a script of its repository instead of
    // kustomize, the script reporting who it runs as and whether it sees the host cluster's admin kubeconfig.
    const repo = await createTeamRepo(team);
    const script = [
      'cat <<EOF',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: probe}',
      'data:',
      '  uid: "$(id -u)"',
      `  admin: "$(test -e ${kubeconfigPath(cluster)} && echo visible || echo hidden)"`,
      'EOF',
    ].join('\n');
    await commitFiles(
      repo,
      [
        { path: 'build', content: script },
        { path: 'probe/kustomization.yaml', content: 'resources: []\n' },
      ],
      'the team’s own "kustomize"',
      { name: team, email: `${team}@financecore.example` },
    );
    await house.request({
      method: 'PATCH',
      path: '/api/v1/namespaces/argocd/configmaps/argocd-cm',
      contentType: 'application/merge-patch+json',
      body: { data: { 'kustomize.path.v0.0.1-team': '/bin/sh' } },
    });
    await createInsideApplication('probe', {
      repoURL: repo,
      path: 'probe',
      targetRevision: 'main',
      kustomize: { version: 'v0.0.1-team' },
    });
    let probe: { data?: Record<string, string> } = {};
    await waitFor(
      async () => {
        const found = await house.send({ method: 'GET', path: '/api/v1/namespaces/default/configmaps/probe' });
        if (found.status === 200) probe = JSON.parse(found.body) as typeof probe;
        return found.status === 200;
      },
      'the team’s script to have run',
      180_000,
    );
    assert.equal(Number(probe.data?.uid), houseUid(address), 'the team’s code ran as another user than the house’s');
    assert.equal(probe.data?.admin, 'hidden', 'the team’s code sees the host cluster’s admin kubeconfig');
  });

  it('keeps the team’s code off this machine’s loopback: the host Argo CD’s repo-server runs nothing for it', async (t) => {
    // The team's code runs where its repo-server runs (previous test): as the house's user, in the network namespace
    // of its Argo CD. From there it asks a repo-server to render its repository with /bin/sh as "kustomize": its own
    // house's repo-server does (as the house's user; the check can fail), the host Argo CD's (root) must not answer.
    const repo = await createTeamRepo(team);
    const script =
      'cat <<EOF\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: probe}\ndata: {uid: "$(id -u)"}\nEOF\n';
    await commitFiles(repo, [{ path: 'build', content: script }], 'a script', {
      name: team,
      email: `${team}@financecore.example`,
    });
    const repoServer = runnerHouse()?.argocd?.processes.find((p) => p.name === 'argocd-repo-server');
    const program = processTree(repoServer?.pid ?? 0).find((pid) => programName(pid) === 'argocd');
    assert.ok(program, 'the house’s repo-server runs');
    const asTeamCode = (command: string[]) => {
      const uid = String(houseUid(address));
      const user = ['setpriv', '--reuid', uid, '--regid', uid, '--clear-groups', '--no-new-privs'];
      try {
        const out = execFileSync('nsenter', [`--target=${program}`, '--net', '--', ...user, ...command], {
          encoding: 'utf8',
          timeout: 60_000,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        return { ok: true, out };
      } catch (error) {
        return { ok: false, out: String((error as { stderr?: string }).stderr ?? error) };
      }
    };
    const render = (target: string) => {
      const answer = asTeamCode([process.execPath, repoServerCall, target, repo, '.', '/bin/sh']);
      const manifests = answer.ok ? (JSON.parse(answer.out) as string[]) : [];
      const uid = manifests.map((m) => (JSON.parse(m) as { data?: { uid?: string } }).data?.uid).find(Boolean);
      return { uid, answer: answer.out.slice(0, 300) };
    };
    const own = render(`${address}:8081`);
    assert.equal(Number(own.uid), houseUid(address), `its own repo-server: ${own.answer}`);
    const ports = environmentPorts(cluster);
    const host = render(`127.0.0.1:${ports.argocdRepoServer}`);
    t.diagnostic(`the host repo-server, from the team’s code: ${host.answer}`);
    assert.equal(host.uid, undefined, `the host Argo CD’s repo-server ran the team’s script as uid ${host.uid}`);
    // Nothing else of this machine either; only the house's API server, the identity provider and the forge are bridged in.
    const connects = (port: number, where = '127.0.0.1') =>
      asTeamCode(['bash', '-c', `exec 3<>/dev/tcp/${where}/${port}`]).ok;
    const apiServer = Number(new URL(loadConnection(kubeconfigPath(cluster)).server).port);
    for (const [name, port] of Object.entries({
      'the host API server': apiServer,
      'the host Argo CD’s API server': ports.argocdServer,
      'Dex’s gRPC API (OIDC clients)': ports.dexApi,
    }))
      assert.equal(connects(port), false, `${name} (127.0.0.1:${port}) answers the team’s code`);
    assert.equal(connects(ports.dex), true, 'the identity provider (its issuer) is bridged in');
    assert.equal(
      connects(ports.gitea),
      true,
      'the Git forge (the team’s repository, behind its reader’s token) is bridged in',
    );
  });

  it('replaces its processes when a workload’s pod template changes, as a rollout would', async () => {
    const before = argoCdProcessTree();
    const repoServerEnv = () => {
      const pid = runnerHouse()?.argocd?.processes.find((p) => p.name === 'argocd-repo-server')?.pid ?? 0;
      const program = processTree(pid).find((each) => programName(each) === 'argocd');
      if (!program) return [];
      try {
        return readFileSync(`/proc/${program}/environ`, 'utf8').split('\0');
      } catch (error) {
        // Ended between the listing and the read: replaced, or being replaced; the next look finds its successor.
        if ((error as NodeJS.ErrnoException).code === 'ESRCH' || (error as NodeJS.ErrnoException).code === 'ENOENT')
          return [];
        throw error;
      }
    };
    assert.ok(!repoServerEnv().includes('ARGOCD_LANDLORD_ROLLOUT=rolled'));
    await house.request({
      method: 'PATCH',
      path: `${deployments}/argocd-repo-server`,
      contentType: 'application/strategic-merge-patch+json',
      body: {
        spec: {
          template: {
            spec: {
              containers: [{ name: 'argocd-repo-server', env: [{ name: 'ARGOCD_LANDLORD_ROLLOUT', value: 'rolled' }] }],
            },
          },
        },
      },
    });
    await waitFor(
      () => repoServerEnv().includes('ARGOCD_LANDLORD_ROLLOUT=rolled'),
      'the repo-server to run with the new template’s environment',
      120_000,
    );
    assert.ok(
      before.every((pid) => !isRunning(pid)),
      'the old processes are gone',
    );
    await waitFor(
      async () => (await get('/api/version')).status === 200,
      'the house’s Argo CD to answer again',
      120_000,
    );
  });

  it('stops when Deployment argocd-server leaves the house, and takes no setting that would run code here', async () => {
    const before = argoCdProcessTree();
    assert.ok(before.length >= 4);
    await house.request({ method: 'DELETE', path: `${deployments}/argocd-server` });
    await waitFor(() => before.every((pid) => !isRunning(pid)), 'every process of the house’s Argo CD to end', 60_000);
    assert.equal((await get('/api/version')).status, 0);
    await waitFor(() => runnerHouse()?.argocd?.phase === 'Absent', 'the runner to report it absent', 30_000);

    // The team (cluster-admin in its house) puts its own environment on the Deployment: none of it reaches here.
    const server = objects.find(
      (o) => o.kind === 'Deployment' && o.metadata?.name === 'argocd-server',
    ) as KubernetesObject & {
      spec: { template: { spec: { containers: { env?: { name: string; value?: string }[] }[] } } };
    };
    const hostile = structuredClone(server);
    const container = hostile.spec.template.spec.containers[0];
    assert.ok(container);
    container.env = [
      ...(container.env ?? []),
      { name: 'LD_PRELOAD', value: join(work, 'evil.so') },
      { name: 'ARGOCD_SERVER_STATICASSETS', value: '/' },
    ];
    await applyObject(house, new Discovery(house), hostile);
    await waitFor(
      async () => (await get('/api/version')).status === 200,
      'the house’s Argo CD to answer again',
      180_000,
    );
    const serverPid = runnerHouse()?.argocd?.processes.find((p) => p.name === 'argocd-server')?.pid ?? 0;
    const program = processTree(serverPid).find((pid) => programName(pid) === 'argocd') ?? 0;
    const environ = readFileSync(`/proc/${program}/environ`, 'utf8');
    assert.ok(!environ.includes('LD_PRELOAD'), 'a house chose a library loaded into a process of this machine');
    assert.ok(!environ.includes('ARGOCD_SERVER_STATICASSETS'), 'a house chose a folder of this machine to serve');
    assert.ok(!(await get('/etc/passwd')).body.includes('root:'), 'the house’s Argo CD served a file of this machine');
  });

  it('is gone with the house', async () => {
    const running = argoCdProcessTree();
    assert.ok(running.length >= 4);
    await http.request({ method: 'DELETE', path: `/apis/landlord.dev/v1alpha1/tenants/${team}` });
    await waitFor(() => running.every((pid) => !isRunning(pid)), 'the house’s Argo CD to end with the house', 300_000);
    assert.equal((await get('/api/version')).status, 0);
  });
});
