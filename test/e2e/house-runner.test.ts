import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { execFileSync } from 'node:child_process';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { socketDir } from '../../src/dev/houses/bridge-sockets.ts';
import { houseRunnerDir } from '../../src/dev/houses/runner-lifecycle.ts';
import { type RunnerStatus, runnerStatusFile } from '../../src/dev/houses/house-runner.ts';
import type { HouseState } from '../../src/dev/houses/house-supervisor.ts';
import { isRunning, processTree, treeMemory } from '../../src/dev/houses/process-tree.ts';
import { KubeHttp } from '../../src/kube/http.ts';
import { loadConnection } from '../../src/kube/kubeconfig.ts';
import { houseLoopbackAddress } from '../../src/tenancy/house-address.ts';
import { asBreakGlass } from '../support/break-glass.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import {
  applyHouseChart,
  bindDataVolume,
  houseValues,
  renderHouseChart,
  renderedKinds,
} from '../support/house-chart.ts';
import { waitFor } from '../support/wait.ts';

// KWOK runs no containers: the house runner plays kubelet for vCluster pods. A chart rendered as Argo CD would
// render it runs for real here, on its own loopback address, restarted with its data, gone with its pod.
const { cluster, http, kubeconfig } = testCluster();
const environment = testEnvironment();
const team = uniqueName('house');
const namespace = `vcluster-${team}`;
const loopback = houseLoopbackAddress(team);
const release = environment.platform.houses.kubernetesVersions['1.36'] as string;
const dataDir = mkdtempSync(join(tmpdir(), 'house-data-'));
const work = mkdtempSync(join(tmpdir(), 'house-runner-'));
let volumeName: string | undefined;
let house: KubeHttp | undefined;

const runnerStatus = (): RunnerStatus =>
  JSON.parse(readFileSync(runnerStatusFile(houseRunnerDir(cluster)), 'utf8')) as RunnerStatus;
const houseOf = (pod: string): HouseState | undefined => runnerStatus().houses.find((each) => each.pod === pod);
/** The bridge forwarders running for a house's socket folder, found by their command line. */
function forwarderPids(dir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return args.some((arg) => arg.endsWith('netns-forwarder-main.ts')) && args.includes(dir) && isRunning(pid);
      } catch {
        return false;
      }
    });
}
const hostPod = (name: string) =>
  http.request<Pod>({ method: 'GET', path: `/api/v1/namespaces/${namespace}/pods/${name}` });

/** The house's admin kubeconfig (the `vc-<release>` Secret vCluster wrote), as a client of its API. */
async function houseClient(): Promise<KubeHttp> {
  const secret = await http.request<{ data: Record<string, string> }>({
    method: 'GET',
    path: `/api/v1/namespaces/${namespace}/secrets/vc-${team}`,
  });
  const file = join(work, 'house.kubeconfig');
  writeFileSync(file, Buffer.from(secret.data.config as string, 'base64'), { mode: 0o600 });
  return new KubeHttp(loadConnection(file));
}

/** The virtual API server's version, or undefined while it does not answer. */
async function houseVersion(client: KubeHttp): Promise<string | undefined> {
  try {
    return (await client.request<{ gitVersion: string }>({ method: 'GET', path: '/version', timeoutMs: 3000 }))
      .gitVersion;
  } catch {
    return undefined;
  }
}

before(async () => {
  assert.equal(environment.houses.available, true, `houses must run in this environment: ${environment.houses.reason}`);
  const values = houseValues(environment.platform, `https://${loopback}`, release);
  const manifest = await renderHouseChart(team, namespace, values);
  assert.ok(renderedKinds(manifest).includes('StatefulSet'), 'the chart renders the control plane StatefulSet');
  await applyHouseChart(http, kubeconfig, namespace, manifest);
  await waitFor(
    async () =>
      (
        await http.send({
          method: 'GET',
          path: `/api/v1/namespaces/${namespace}/persistentvolumeclaims/data-${team}-0`,
        })
      ).status === 200,
    'the StatefulSet to claim its data volume',
  );
  volumeName = await bindDataVolume(http, namespace, team, dataDir);
});

after(async () => {
  house?.close();
  await http.send({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}`, headers: asBreakGlass });
  if (volumeName) await http.send({ method: 'DELETE', path: `/api/v1/persistentvolumes/${volumeName}` });
  rmSync(work, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

it('runs the scheduled vCluster pod: its API answers on the house loopback address with the requested version', async (t) => {
  const podName = `${team}-0`;
  await waitFor(async () => Boolean((await hostPod(podName)).spec?.nodeName), 'the house pod to be scheduled', 60_000);
  const scheduled = Date.now();
  await waitFor(
    async () =>
      (await http.send({ method: 'GET', path: `/api/v1/namespaces/${namespace}/secrets/vc-${team}` })).status === 200,
    `vCluster to write its kubeconfig Secret vc-${team}`,
    240_000,
    1000,
  );
  house = await houseClient();
  assert.equal(house.server.host, loopback, 'the exported kubeconfig names the house loopback address');
  await waitFor(
    async () => (await houseVersion(house as KubeHttp)) === release,
    `/version to answer ${release}`,
    240_000,
    500,
  );
  t.diagnostic(
    `pod scheduled -> /version answering on https://${loopback}: ${((Date.now() - scheduled) / 1000).toFixed(1)} s`,
  );
  const state = houseOf(`${namespace}/${podName}`);
  assert.equal(state?.phase, 'Running');
  assert.equal(state?.address, `${loopback}:443`);
  const memory = treeMemory(state?.pid as number);
  t.diagnostic(
    `one house's resident memory: ${(memory.bytes / 2 ** 20).toFixed(0)} MiB (${memory.processes
      .filter((each) => each.bytes > 0)
      .map((each) => `${each.program} ${(each.bytes / 2 ** 20).toFixed(0)}`)
      .join(', ')})`,
  );
  for (const program of ['vcluster', 'kube-apiserver']) {
    assert.ok(
      memory.processes.some((each) => each.program.startsWith(program)),
      `${program} runs in the house's process tree`,
    );
  }
});

it('syncs a pod created inside the house into its host namespace, where KWOK runs it', async () => {
  const client = house as KubeHttp;
  await client.request({
    method: 'POST',
    path: '/api/v1/namespaces/default/pods',
    body: {
      metadata: { name: 'probe' },
      spec: {
        securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'app',
            image: 'registry.financecore.local/app:1',
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          },
        ],
      },
    },
  });
  // A team member inside the house runs the vCluster image too: synced to the host namespace, never run here.
  await client.request({
    method: 'POST',
    path: '/api/v1/namespaces/default/pods',
    body: {
      metadata: { name: 'impostor' },
      spec: {
        securityContext: { runAsNonRoot: true, runAsUser: 10_001, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'syncer',
            image: environment.platform.houses.images.vcluster,
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          },
        ],
      },
    },
  });
  const synced = `probe-x-default-x-${team}`;
  await waitFor(
    async () =>
      (await http.send({ method: 'GET', path: `/api/v1/namespaces/${namespace}/pods/${synced}` })).status === 200,
    `the house's pod to appear in ${namespace} as ${synced}`,
    60_000,
  );
  await waitFor(
    async () =>
      (await client.request<Pod>({ method: 'GET', path: '/api/v1/namespaces/default/pods/probe' })).status?.phase ===
      'Running',
    'KWOK to run the synced pod and the house to see it Running',
    60_000,
  );
  const impostor = `${namespace}/impostor-x-default-x-${team}`;
  await waitFor(() => houseOf(impostor)?.phase === 'Refused', 'the runner to refuse the synced impostor', 60_000);
  assert.match(houseOf(impostor)?.message ?? '', /is not controlled by a StatefulSet of its namespace/);
  assert.equal(houseOf(impostor)?.pid, undefined, 'nothing of it runs');
  await client.request({ method: 'DELETE', path: '/api/v1/namespaces/default/pods/impostor' });
});

it('restarts a killed vCluster with its data kept, and leaves none of its processes behind', async () => {
  const client = house as KubeHttp;
  await client.request({
    method: 'POST',
    path: '/api/v1/namespaces/default/configmaps',
    body: { metadata: { name: 'survivor' }, data: { kept: 'yes' } },
  });
  const podName = `${namespace}/${team}-0`;
  const before = houseOf(podName) as HouseState;
  const tree = processTree(before.pid as number);
  const vcluster = treeMemory(before.pid as number).processes.find((each) => each.program === 'vcluster');
  assert.ok(vcluster, 'the vcluster process runs');
  process.kill(vcluster.pid, 'SIGKILL');
  await waitFor(() => tree.every((pid) => !isRunning(pid)), 'every process of the killed house to be gone', 30_000);
  await waitFor(() => (houseOf(podName)?.restarts ?? 0) > before.restarts, 'the runner to restart the house', 60_000);
  await waitFor(async () => (await houseVersion(client)) === release, 'the restarted house to answer', 240_000, 500);
  const kept = await client.request<{ data: Record<string, string> }>({
    method: 'GET',
    path: '/api/v1/namespaces/default/configmaps/survivor',
  });
  assert.deepEqual(kept.data, { kept: 'yes' });
});

it('starts the bridge forwarder again when it dies alone: the house answers on its address again', async () => {
  const client = house as KubeHttp;
  const state = houseOf(`${namespace}/${team}-0`) as HouseState;
  const forwarders = () => forwarderPids(socketDir(state.uid));
  const [first] = forwarders();
  assert.ok(first, 'the house’s forwarder runs');
  process.kill(first, 'SIGKILL');
  await waitFor(() => !isRunning(first), 'the killed forwarder to be gone', 10_000);
  await waitFor(() => forwarders().length === 1, 'the runner to start the forwarder again', 60_000);
  await waitFor(async () => (await houseVersion(client)) === release, 'the house to answer through it', 60_000, 500);
});

it("refuses a second house the address of a running one: the first keeps answering, the second's pod says why", async () => {
  // Two team names hashing to one loopback address: the second house must not take the first one's traffic.
  const other = uniqueName('squat');
  const otherNamespace = `vcluster-${other}`;
  const otherData = mkdtempSync(join(tmpdir(), 'house-data-'));
  let otherVolume: string | undefined;
  try {
    const manifest = await renderHouseChart(
      other,
      otherNamespace,
      houseValues(environment.platform, `https://${loopback}`, release),
    );
    await applyHouseChart(http, kubeconfig, otherNamespace, manifest);
    await waitFor(
      async () =>
        (
          await http.send({
            method: 'GET',
            path: `/api/v1/namespaces/${otherNamespace}/persistentvolumeclaims/data-${other}-0`,
          })
        ).status === 200,
      'the second StatefulSet to claim its data volume',
    );
    otherVolume = await bindDataVolume(http, otherNamespace, other, otherData);
    const podName = `${otherNamespace}/${other}-0`;
    await waitFor(
      () => /already served for/.test(houseOf(podName)?.message ?? ''),
      'the runner to refuse the second house the address',
      120_000,
    );
    assert.equal(houseOf(podName)?.address, undefined, 'the second house is not bridged');
    assert.match(
      houseOf(podName)?.message ?? '',
      new RegExp(`${loopback}:443 .*already served for ${namespace}/${team}-0`),
    );
    // The runner says it in the pod's state first, then records the event.
    await waitFor(async () => {
      const events = await http.request<{ items: { reason: string }[] }>({
        method: 'GET',
        path: `/apis/events.k8s.io/v1/namespaces/${otherNamespace}/events`,
      });
      return events.items.some((event) => event.reason === 'HouseAddressInUse');
    }, 'a Warning event HouseAddressInUse on its pod');
    assert.equal(await houseVersion(house as KubeHttp), release, 'the first house still answers there');
  } finally {
    await http.send({ method: 'DELETE', path: `/api/v1/namespaces/${otherNamespace}`, headers: asBreakGlass });
    if (otherVolume) await http.send({ method: 'DELETE', path: `/api/v1/persistentvolumes/${otherVolume}` });
    rmSync(otherData, { recursive: true, force: true });
  }
});

it('stops the house when its pod goes: replaced (new UID) or deleted, no process left, its namespace removed', async () => {
  const podName = `${namespace}/${team}-0`;
  const first = houseOf(podName) as HouseState;
  const firstTree = processTree(first.pid as number);
  assert.ok(firstTree.length > 3, 'the house runs several processes');
  // The StatefulSet replaces the deleted pod: a new UID, so a new house (same volume) and the old one stopped.
  await http.request({
    method: 'DELETE',
    path: `/api/v1/namespaces/${namespace}/pods/${team}-0`,
    headers: asBreakGlass,
  });
  await waitFor(
    () => (houseOf(podName)?.uid ?? first.uid) !== first.uid,
    'the replacement pod to get its house',
    90_000,
  );
  assert.deepEqual(firstTree.filter(isRunning), [], 'no process of the replaced house survives it');
  assert.ok(!networkNamespaces().includes(first.networkNamespace), `${first.networkNamespace} is removed`);
  await waitFor(() => houseOf(podName)?.pid !== undefined, 'the replacement house to start', 60_000);
  const second = houseOf(podName) as HouseState;
  const secondTree = processTree(second.pid as number);
  // The namespace goes (the house's decommission): its pod goes, and the house with it.
  await http.request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}`, headers: asBreakGlass });
  await waitFor(() => houseOf(podName) === undefined, 'the runner to stop the house', 90_000);
  assert.deepEqual(secondTree.filter(isRunning), [], 'no process of the house survives its pod');
  assert.ok(!networkNamespaces().includes(second.networkNamespace), `${second.networkNamespace} is removed`);
  assert.equal(await houseVersion(house as KubeHttp), undefined, 'nothing answers on the house address any more');
});

const networkNamespaces = () => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });

it('runs a house at each other Kubernetes version the platform serves, answering with that version', async (t) => {
  for (const [minor, patch] of Object.entries(environment.platform.houses.kubernetesVersions)) {
    if (patch === release) continue;
    const other = uniqueName(`v${minor.replace('.', '-')}`);
    const otherNamespace = `vcluster-${other}`;
    const otherData = mkdtempSync(join(tmpdir(), 'house-data-'));
    let otherVolume: string | undefined;
    try {
      const address = houseLoopbackAddress(other);
      const manifest = await renderHouseChart(
        other,
        otherNamespace,
        houseValues(environment.platform, `https://${address}`, patch),
      );
      await applyHouseChart(http, kubeconfig, otherNamespace, manifest);
      await waitFor(
        async () =>
          (
            await http.send({
              method: 'GET',
              path: `/api/v1/namespaces/${otherNamespace}/persistentvolumeclaims/data-${other}-0`,
            })
          ).status === 200,
        `the ${minor} StatefulSet to claim its data volume`,
      );
      otherVolume = await bindDataVolume(http, otherNamespace, other, otherData);
      await waitFor(
        async () =>
          (await http.send({ method: 'GET', path: `/api/v1/namespaces/${otherNamespace}/secrets/vc-${other}` }))
            .status === 200,
        `the ${minor} house to write its kubeconfig Secret`,
        240_000,
        1000,
      );
      const secret = await http.request<{ data: Record<string, string> }>({
        method: 'GET',
        path: `/api/v1/namespaces/${otherNamespace}/secrets/vc-${other}`,
      });
      const file = join(work, `${other}.kubeconfig`);
      writeFileSync(file, Buffer.from(secret.data.config as string, 'base64'), { mode: 0o600 });
      const client = new KubeHttp(loadConnection(file));
      try {
        await waitFor(async () => (await houseVersion(client)) === patch, `/version to answer ${patch}`, 240_000, 500);
      } finally {
        client.close();
      }
      t.diagnostic(`house ${other} answers ${patch} on https://${address}`);
    } finally {
      await http.send({ method: 'DELETE', path: `/api/v1/namespaces/${otherNamespace}`, headers: asBreakGlass });
      if (otherVolume) await http.send({ method: 'DELETE', path: `/api/v1/persistentvolumes/${otherVolume}` });
      rmSync(otherData, { recursive: true, force: true });
    }
  }
});

it('runs no pod outside a house namespace, nor a bare pod, nor one with its own command or as root', async () => {
  // Locally a house shares this machine's file system: whoever can create a pod must not run code on it.
  const outside = uniqueName('tenant');
  const hostile = uniqueName('vcluster-hostile');
  const marker = join(work, 'pwned');
  const image = environment.platform.houses.images.vcluster;
  const podOf = (name: string, runAsUser: number, command?: string[]) => ({
    metadata: { name },
    spec: { securityContext: { runAsUser }, containers: [{ name: 'syncer', image, ...(command ? { command } : {}) }] },
  });
  await http.request({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: outside } } });
  await http.request({
    method: 'POST',
    path: '/api/v1/namespaces',
    headers: asBreakGlass,
    body: { metadata: { name: hostile, labels: { 'landlord.dev/vcluster': 'true' } } },
  });
  try {
    // A team's own namespace: the vCluster image is from an allowed registry, but this is no house.
    await http.request({ method: 'POST', path: `/api/v1/namespaces/${outside}/pods`, body: podOf('house', 10_001) });
    const pods = {
      shell: podOf('shell', 10_001, ['sh', '-c', `touch ${marker}`]),
      root: podOf('root', 0),
      bare: podOf('bare', 10_001),
    };
    for (const body of Object.values(pods))
      await http.request({ method: 'POST', path: `/api/v1/namespaces/${hostile}/pods`, body, headers: asBreakGlass });
    for (const name of Object.keys(pods))
      await waitFor(() => houseOf(`${hostile}/${name}`)?.phase === 'Refused', `the runner to refuse ${name}`, 60_000);
    assert.match(houseOf(`${hostile}/shell`)?.message ?? '', /command \["sh","-c",.*\] is refused/);
    assert.match(houseOf(`${hostile}/root`)?.message ?? '', /runAsUser 0 is refused/);
    assert.match(houseOf(`${hostile}/bare`)?.message ?? '', /is not controlled by a StatefulSet of its namespace/);
    assert.equal(houseOf(`${outside}/house`), undefined, 'a pod outside house namespaces is not even looked at');
    const events = await http.request<{ items: { reason: string; regarding: { name: string } }[] }>({
      method: 'GET',
      path: `/apis/events.k8s.io/v1/namespaces/${hostile}/events`,
    });
    assert.deepEqual(
      events.items
        .filter((event) => event.reason === 'HouseFailed')
        .map((event) => event.regarding.name)
        .sort(),
      ['bare', 'root', 'shell'],
    );
    assert.throws(() => readFileSync(marker), /ENOENT/, 'the command never ran');
  } finally {
    await http.send({ method: 'DELETE', path: `/api/v1/namespaces/${hostile}`, headers: asBreakGlass });
    await http.send({ method: 'DELETE', path: `/api/v1/namespaces/${outside}` });
  }
});
