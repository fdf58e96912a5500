// npm run bench [-- --pool-tenants 3 --pool-size 2]: dedicated node pools, from the request to NodePoolReady True,
// from a smaller size to the nodes given back (status.nodePool back to the size), and from deletion to every node
// back in the spare pool. Tenants spread over the instance types in turn; the cluster gets spare nodes enough.
import type { Node } from 'kubernetes-types/core/v1.js';
import { parseArgs } from 'node:util';
import { tenantResource } from '../src/api/crd.ts';
import { defaultNodePoolSettings as settings } from '../src/api/node-pool-settings.ts';
import type { Tenant } from '../src/api/tenant.ts';
import { wholeNumberFlag } from '../src/cli/flag-values.ts';
import { connect } from '../src/dev/cluster/connect.ts';
import { clusterDown, clusterUp } from '../src/dev/cluster/lifecycle.ts';
import { kubeconfigPath, kwokWorkdir, portsPerCluster } from '../src/dev/cluster/local-cluster.ts';
import { freePortBlock } from '../src/dev/cluster/ports.ts';
import { apiPath } from '../src/kube/api-path.ts';
import { Informer } from '../src/kube/informer.ts';
import { resources } from '../src/kube/resources.ts';
import { freeSpareCounts } from '../src/tenancy/free-spares.ts';
import { instanceTypes } from '../src/tenancy/node-pool.ts';
import { validTenant } from '../test/fixtures/tenants.ts';
import { startBenchOperator } from './operator.ts';
import { percentiles, until } from './support.ts';

const { values } = parseArgs({
  options: {
    'pool-tenants': { type: 'string', default: '3' },
    'pool-size': { type: 'string', default: '2' },
    workers: { type: 'string', default: '8' },
  },
  // bench/all.ts hands every benchmark the same arguments.
  strict: false,
});
const tenantCount = wholeNumberFlag('--pool-tenants', String(values['pool-tenants']), { min: 1, max: 100 });
// The CRD allows 1 to 10; the decrease needs 2 at least.
const size = wholeNumberFlag('--pool-size', String(values['pool-size']), { min: 2, max: 10 });
const workers = wholeNumberFlag('--workers', String(values.workers), { min: 1, max: 256 });
const log = (line: string) => process.stderr.write(`${line}\n`);

const names = Array.from({ length: tenantCount }, (_, index) => `pool-${index}`);
const typeOf = (index: number) => instanceTypes[index % instanceTypes.length] ?? 'standard';
// Spare nodes take the instance types in turn: this many give every type the pools asking for it.
const perType = Math.ceil(tenantCount / instanceTypes.length) * size;
const cluster = {
  name: `landlord-bench-pools-${process.pid}`,
  basePort: await freePortBlock(portsPerCluster),
  workdir: kwokWorkdir(),
};
await clusterUp(cluster, log, { shared: 3, spare: perType * instanceTypes.length });
const { http } = connect(cluster);
const operator = await startBenchOperator(kubeconfigPath(cluster), { workers, resyncSeconds: 10 });
const tenants = new Informer<Tenant>(http, { path: apiPath(tenantResource) });
const nodes = new Informer<Node>(http, { path: apiPath(resources.node) });
try {
  /** When each tenant was first seen in the awaited state, by a label of the state. */
  const seen = new Map<string, number>();
  let awaited: { label: string; holds: (tenant: Tenant) => boolean } | undefined;
  const look = (tenant: Tenant) => {
    const key = `${awaited?.label}/${tenant.metadata.name}`;
    if (awaited?.holds(tenant) && !seen.has(key)) seen.set(key, performance.now());
  };
  tenants.on((event) => event.type !== 'delete' && look(event.object));
  await Promise.all([tenants.start(), nodes.start()]);
  const allFree = () => freeSpareCounts(nodes.list(), settings).reduce((sum, entry) => sum + entry.free, 0);
  const spares = allFree();

  /** Starts a phase: the awaited state, then the change to each tenant; the time each took, and all of them. */
  async function phase(label: string, holds: (tenant: Tenant) => boolean, change: (name: string) => Promise<void>) {
    awaited = { label, holds };
    const startedAt = new Map<string, number>();
    const began = performance.now();
    await Promise.all(
      names.map(async (name) => {
        startedAt.set(name, performance.now());
        await change(name);
      }),
    );
    for (const tenant of tenants.list()) look(tenant);
    const missing = () => names.filter((name) => !seen.has(`${label}/${name}`));
    await until(
      () => missing().length === 0,
      5 * 60_000,
      () => `${label}: ${missing().join(', ')}`,
    );
    const doneAt = names.map((name) => seen.get(`${label}/${name}`) ?? 0);
    return {
      each: names.map((name, index) => (doneAt[index] ?? 0) - (startedAt.get(name) ?? 0)),
      all: Math.max(...doneAt) - began,
    };
  }

  log(`[bench] ${tenantCount} pools of ${size} nodes requested at once`);
  const ready = await phase(
    'ready',
    (tenant) => poolReady(tenant) && (tenant.status?.nodePool?.ready ?? 0) === size,
    async (name) => {
      const tenant = validTenant(name, name);
      tenant.spec.nodePool = { size, instanceType: typeOf(names.indexOf(name)) };
      await http.request({ method: 'POST', path: apiPath(tenantResource), body: tenant });
    },
  );

  log(`[bench] each pool from ${size} nodes to 1`);
  const released = await phase(
    'released',
    (tenant) => {
      const pool = tenant.status?.nodePool;
      return poolReady(tenant) && pool?.size === 1 && pool.nodes?.length === 1 && pool.ready === 1;
    },
    async (name) => {
      await http.request({
        method: 'PATCH',
        path: apiPath(tenantResource, { name }),
        body: { spec: { nodePool: { size: 1 } } },
        contentType: 'application/merge-patch+json',
      });
    },
  );
  const freeAfterRelease = allFree();

  log('[bench] every tenant deleted: its last node back in the spare pool');
  const deleteStarted = performance.now();
  for (const name of names) await http.request({ method: 'DELETE', path: apiPath(tenantResource, { name }) });
  // The pool is the first thing teardown lets go of; the Argo CD objects after it wait for an Argo CD this cluster lacks.
  await until(() => allFree() === spares, 5 * 60_000, 'every spare node free again');
  const allBack = performance.now() - deleteStarted;

  const row = (label: string, value: string) => `  ${label.padEnd(52)} ${value}`;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  process.stdout.write(
    [
      `Landlord node pool benchmark: ${tenantCount} pools of ${size} nodes (${spares} spare nodes), ${navigator.hardwareConcurrency} cores`,
      row('request -> NodePoolReady True, p50/p95/p99', percentiles(ready.each)),
      row('request -> every pool Ready', seconds(ready.all)),
      row(`size ${size} -> 1: nodes released, p50/p95/p99`, percentiles(released.each)),
      row(`size ${size} -> 1: every pool at its size`, seconds(released.all)),
      row('spare nodes free after the decrease', `${freeAfterRelease} of ${spares} (expected ${spares - tenantCount})`),
      row('deletion -> every node back in the spare pool', seconds(allBack)),
      '',
    ].join('\n'),
  );
} finally {
  await Promise.all([tenants.stop(), nodes.stop()]);
  operator.child.kill('SIGTERM');
  http.close();
  await clusterDown(cluster, log);
}

/** The operator's word that the pool is what the spec asks: its NodePoolReady condition, True, for this generation. */
function poolReady(tenant: Tenant): boolean {
  const condition = tenant.status?.conditions?.find((entry) => entry.type === 'NodePoolReady');
  return condition?.status === 'True' && tenant.status?.observedGeneration === tenant.metadata.generation;
}
