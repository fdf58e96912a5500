// npm run bench [-- --tenants 1000 --steady-seconds 60]: provisioning speed, writes and memory of the operator.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Tenant } from '../src/api/tenant.ts';
import { connect } from '../src/dev/cluster/connect.ts';
import { clusterDown, clusterUp } from '../src/dev/cluster/lifecycle.ts';
import { kubeconfigPath, kwokWorkdir, portsPerCluster } from '../src/dev/cluster/local-cluster.ts';
import { freePortBlock } from '../src/dev/cluster/ports.ts';
import { Informer } from '../src/kube/informer.ts';
import { wholeNumberFlag } from '../src/cli/flag-values.ts';
import { validTenant } from '../test/fixtures/tenants.ts';
import { startBenchOperator } from './operator.ts';
import { inBatches, percentiles, until } from './support.ts';

const { values } = parseArgs({
  options: {
    tenants: { type: 'string', default: '200' },
    sequential: { type: 'string', default: '30' },
    'steady-seconds': { type: 'string', default: '60' },
    workers: { type: 'string', default: '8' },
    // Extra Node flags for the operator, to try settings (NODE_OPTIONS).
    'node-flags': { type: 'string', default: '' },
  },
  // bench/all.ts hands every benchmark the same arguments.
  strict: false,
});
const total = wholeNumberFlag('--tenants', String(values.tenants), { min: 1, max: 100_000 });
const sequential = wholeNumberFlag('--sequential', String(values.sequential), { min: 0, max: 10_000 });
const steadySeconds = wholeNumberFlag('--steady-seconds', String(values['steady-seconds']), {
  min: 1,
  max: 3600,
  unit: 'seconds',
});
const workers = wholeNumberFlag('--workers', String(values.workers), { min: 1, max: 256 });
const log = (line: string) => process.stderr.write(`${line}\n`);
const nodeFlags = String(values['node-flags'] ?? '')
  .split(' ')
  .filter(Boolean);

const cluster = {
  name: `landlord-bench-${process.pid}`,
  basePort: await freePortBlock(portsPerCluster),
  workdir: kwokWorkdir(),
};
await clusterUp(cluster, log, { shared: 3, spare: 0 });
const { http } = connect(cluster);
const operator = await startBenchOperator(kubeconfigPath(cluster), { workers, resyncSeconds: 10, nodeFlags });
try {
  const readyAt = new Map<string, number>();
  const tenants = new Informer<Tenant>(http, { path: '/apis/landlord.dev/v1alpha1/tenants' });
  tenants.on((event) => {
    if (event.object.status?.phase === 'Ready' && !readyAt.has(event.object.metadata.name))
      readyAt.set(event.object.metadata.name, performance.now());
  });
  await tenants.start();

  log(`[bench] ${sequential} tenants one at a time`);
  const single: number[] = [];
  for (let index = 0; index < sequential; index++) {
    const name = `one-${index}`;
    const started = performance.now();
    await createTenant(name);
    await until(() => readyAt.has(name), 60_000);
    single.push((readyAt.get(name) ?? 0) - started);
  }

  log(`[bench] ${total} tenants at once`);
  const writesBefore = await operator.metric('landlord_api_writes_total');
  const createdAt = new Map<string, number>();
  const names = Array.from({ length: total }, (_, index) => `many-${index}`);
  const burstStart = performance.now();
  await inBatches(names, 32, async (name) => {
    createdAt.set(name, performance.now());
    await createTenant(name);
  });
  await until(() => names.every((name) => readyAt.has(name)), 15 * 60_000);
  const burstEnd = Math.max(...names.map((name) => readyAt.get(name) ?? 0));
  const burst = names.map((name) => (readyAt.get(name) ?? 0) - (createdAt.get(name) ?? 0));
  const writesPerTenant = ((await operator.metric('landlord_api_writes_total')) - writesBefore) / total;

  log(`[bench] ${steadySeconds}s of steady state (every tenant resynced every 10s)`);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const steadyBefore = await operator.metric('landlord_api_writes_total');
  const reconcilesBefore = await operator.metric('landlord_reconcile_total');
  await new Promise((resolve) => setTimeout(resolve, steadySeconds * 1000));
  const steadyWrites = (await operator.metric('landlord_api_writes_total')) - steadyBefore;
  const steadyReconciles = (await operator.metric('landlord_reconcile_total')) - reconcilesBefore;
  const memory = peakMemory(operator.child);
  const mib = async (name: string) => Math.round((await operator.metric(name)) / 1048576);
  const heapMiB = `${await mib('nodejs_heap_size_used_bytes')} MiB used of ${await mib('nodejs_heap_size_total_bytes')} MiB, external ${await mib('nodejs_external_memory_bytes')} MiB`;
  await tenants.stop();

  const row = (label: string, value: string) => `  ${label.padEnd(44)} ${value}`;
  process.stdout.write(
    [
      `Landlord benchmark: ${total + sequential} tenants, operator with ${values.workers} workers, ${navigatorCores()} cores`,
      row('one at a time: time to Ready p50/p95/p99', percentiles(single)),
      row(`${total} at once: time to Ready p50/p95/p99`, percentiles(burst)),
      row(`${total} at once: all Ready after`, `${((burstEnd - burstStart) / 1000).toFixed(1)} s`),
      row('API writes per tenant (provisioning)', writesPerTenant.toFixed(1)),
      row(`writes during ${steadySeconds}s of steady state`, `${steadyWrites} (${steadyReconciles} reconciles)`),
      row('operator memory: peak / now (resident)', `${memory.peakMiB} MiB / ${memory.nowMiB} MiB`),
      row('operator JavaScript heap', heapMiB),
      '',
    ].join('\n'),
  );
} finally {
  operator.child.kill('SIGTERM');
  http.close();
  await clusterDown(cluster, log);
}

async function createTenant(name: string): Promise<void> {
  const document = validTenant(name, name);
  delete document.spec.nodePool;
  await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: document });
}

function peakMemory(child: ChildProcess): { peakMiB: number; nowMiB: number } {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kib = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+)`, 'm'))?.[1] ?? 0);
  return { peakMiB: Math.round(kib('VmHWM') / 1024), nowMiB: Math.round(kib('VmRSS') / 1024) };
}

function navigatorCores(): number {
  return navigator.hardwareConcurrency;
}
