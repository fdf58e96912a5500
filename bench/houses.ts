// npm run bench [-- --houses 5]: houses (isolation: vcluster) on a real local environment (Argo CD, chart repository,
// house runner): from the Tenant's creation to a house registered in Argo CD whose API answers, houses created one
// after another (each once the previous one is Ready; the earlier ones keep running), and the resident memory of one
// house (its vCluster and control plane processes); then, for the first house, the time until its own Argo CD is
// ready (HouseArgoCDReady) and answers with single sign-on through the central Dex, and that Argo CD's memory.
// Without root the environment runs no houses: it says so.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { tenantResource } from '../src/api/crd.ts';
import { defaultPlatformConfig } from '../src/api/platform-config.ts';
import type { Tenant } from '../src/api/tenant.ts';
import { wholeNumberFlag } from '../src/cli/flag-values.ts';
import { operatorAccount, operatorKubeconfigPath } from '../src/dev/admission.ts';
import { connect } from '../src/dev/cluster/connect.ts';
import { kwokWorkdir, portsPerCluster } from '../src/dev/cluster/local-cluster.ts';
import { freePortBlock } from '../src/dev/cluster/ports.ts';
import { environmentDown, environmentUp } from '../src/dev/environment.ts';
import { treeMemory } from '../src/dev/houses/process-tree.ts';
import { houseRunnerStatus } from '../src/dev/houses/runner-lifecycle.ts';
import { dexApiFlags } from '../src/dev/identity/lifecycle.ts';
import { ensureTools } from '../src/dev/tools/build.ts';
import { apiPath } from '../src/kube/api-path.ts';
import { KubeHttp } from '../src/kube/http.ts';
import { loadConnection } from '../src/kube/kubeconfig.ts';
import { validTenant } from '../test/fixtures/tenants.ts';
import { startBenchOperator } from './operator.ts';
import { percentiles, until } from './support.ts';

const { values } = parseArgs({
  options: { houses: { type: 'string', default: '5' } },
  // bench/all.ts hands every benchmark the same arguments.
  strict: false,
});
// Each house holds about half a GiB and two of the machine's cores for its start: ten is plenty.
const houseCount = wholeNumberFlag('--houses', String(values.houses), { min: 1, max: 10 });
const log = (line: string) => process.stderr.write(`${line}\n`);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const row = (label: string, value: string) => `  ${label.padEnd(56)} ${value}`;

const cluster = {
  name: `landlord-bench-houses-${process.pid}`,
  basePort: await freePortBlock(portsPerCluster),
  workdir: kwokWorkdir(),
};
await ensureTools(log);
const environment = await environmentUp(cluster, log, { users: [], platform: defaultPlatformConfig });
const work = mkdtempSync(join(tmpdir(), 'bench-houses-'));
const { http } = connect(cluster);
try {
  if (!environment.houses.available) {
    process.stdout.write(`Landlord house benchmark: skipped, ${environment.houses.reason}\n`);
  } else {
    const platformFile = join(work, 'platform.yaml');
    writeFileSync(platformFile, stringify(environment.platform));
    const operator = await startBenchOperator(operatorKubeconfigPath(cluster), {
      workers: 8,
      resyncSeconds: 30,
      leaseNamespace: operatorAccount.namespace,
      platformConfig: platformFile,
      // The houses' Argo CD sign people in through the local Dex: the operator registers each house's client.
      extraArgs: dexApiFlags(environment.identity.api),
    });
    try {
      await run(environment.platform.houses.defaultKubernetesVersion);
    } finally {
      operator.child.kill('SIGTERM');
    }
  }
} finally {
  http.close();
  rmSync(work, { recursive: true, force: true });
  await environmentDown(cluster, log, environment.platform);
}

/** Houses one after another, timed from creation to registered and answering; then one house's memory. */
async function run(minor: string): Promise<void> {
  const names = Array.from({ length: houseCount }, (_, index) => `house-${index}`);
  const samples: number[] = [];
  const created = new Map<string, number>();
  for (const name of names) {
    log(`[bench] house ${name} requested`);
    const began = performance.now();
    created.set(name, began);
    await http.request({ method: 'POST', path: apiPath(tenantResource), body: houseTenant(name, minor) });
    await until(() => registeredAndAnswering(name), 10 * 60_000, `${name} registered and answering`);
    samples.push(performance.now() - began);
    log(`[bench] house ${name} registered and answering after ${seconds(samples.at(-1) ?? 0)}`);
  }
  const first = names[0] as string;
  const argocdReadyMs = (await argoCdSignInReady(first)) - (created.get(first) ?? 0);
  const answering = await answersVersion(first);
  const state = houseRunnerStatus(cluster)?.houses.find((house) => house.pod === `vcluster-${names[0]}/${names[0]}-0`);
  const memory = state?.pid ? treeMemory(state.pid) : { bytes: 0, processes: [] };
  const argocd = (state?.argocd?.processes ?? []).map((each) => ({
    name: each.name,
    bytes: each.pid ? treeMemory(each.pid).bytes : 0,
  }));
  const argocdBytes = argocd.reduce((sum, each) => sum + each.bytes, 0);
  const parts = memory.processes
    .filter((each) => each.bytes > 0)
    .map((each) => `${each.program} ${mib(each.bytes)}`)
    .join(', ');
  process.stdout.write(
    [
      `Landlord house benchmark: ${houseCount} houses created one after another (each kept running), vCluster ${answering}, ${navigator.hardwareConcurrency} cores`,
      row('Tenant created -> registered, answering house, p50/p95/p99', percentiles(samples)),
      row('slowest / fastest house', `${seconds(Math.max(...samples))} / ${seconds(Math.min(...samples))}`),
      row('resident memory of one house (its process tree)', `${mib(memory.bytes)} (${parts})`),
      row('first house: Tenant created -> its Argo CD ready, SSO answering', seconds(argocdReadyMs)),
      row(
        "resident memory of that house's Argo CD",
        `${mib(argocdBytes)} (${argocd.map((each) => `${each.name} ${mib(each.bytes)}`).join(', ')})`,
      ),
      row('one house with its Argo CD', mib(memory.bytes + argocdBytes)),
      '',
    ].join('\n'),
  );
  for (const name of names) await http.request({ method: 'DELETE', path: apiPath(tenantResource, { name }) });
  await until(
    async () =>
      (await http.request<{ items: Tenant[] }>({ method: 'GET', path: apiPath(tenantResource) })).items.length === 0,
    10 * 60_000,
    'every house decommissioned',
  );
}

/** A house tenant at the given minor version, without a node pool (the house is what is measured). */
function houseTenant(name: string, minor: string) {
  const document = validTenant(name, name);
  document.spec.isolation = 'vcluster';
  document.spec.kubernetesVersion = minor;
  delete document.spec.nodePool;
  return document;
}

/** The operator's word that the house is registered in Argo CD and its API answered: both conditions True, Ready. */
async function registeredAndAnswering(name: string): Promise<boolean> {
  const tenant = await http.request<Tenant>({ method: 'GET', path: apiPath(tenantResource, { name }) });
  const isTrue = (type: string) => tenant.status?.conditions?.some((c) => c.type === type && c.status === 'True');
  return tenant.status?.phase === 'Ready' && isTrue('HouseRegistered') === true && isTrue('HouseAPIReady') === true;
}

/** The house's own /version, asked with the admin kubeconfig vCluster wrote: the bench's check that it answers. */
async function answersVersion(name: string): Promise<string> {
  const secret = await http.request<{ data: Record<string, string> }>({
    method: 'GET',
    path: `/api/v1/namespaces/vcluster-${name}/secrets/vc-${name}`,
  });
  const file = join(work, `${name}.kubeconfig`);
  writeFileSync(file, Buffer.from(secret.data.config ?? '', 'base64'), { mode: 0o600 });
  const house = new KubeHttp(loadConnection(file));
  try {
    return (await house.request<{ gitVersion: string }>({ method: 'GET', path: '/version', timeoutMs: 5000 }))
      .gitVersion;
  } finally {
    house.close();
  }
}

/**
 * When the house's own Argo CD is usable: HouseArgoCDReady True, and its API server answering with its single
 * sign-on through the central Dex configured (what a person's first sign-in needs). Returns that moment.
 */
async function argoCdSignInReady(name: string): Promise<number> {
  let url = '';
  await until(
    async () => {
      const tenant = await http.request<Tenant>({ method: 'GET', path: apiPath(tenantResource, { name }) });
      const ready = tenant.status?.conditions?.some((c) => c.type === 'HouseArgoCDReady' && c.status === 'True');
      url = tenant.status?.argocdURL ?? '';
      return Boolean(ready);
    },
    10 * 60_000,
    `${name}'s Argo CD ready`,
  );
  await until(
    async () => {
      try {
        const settings = (await (await fetch(`${url}/api/v1/settings`)).json()) as { oidcConfig?: { issuer?: string } };
        return settings.oidcConfig?.issuer === environment.platform.sso.issuer;
      } catch {
        return false;
      }
    },
    5 * 60_000,
    `${name}'s Argo CD answering with SSO at ${url}`,
  );
  return performance.now();
}
