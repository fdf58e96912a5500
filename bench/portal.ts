// npm run bench [-- --portal-tenants 500 --users 20 --seconds 20]: the portal API's latency for listing
// tenants, many users at once, on a real environment (API server, Dex over LDAP, the operator's tenants).
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Tenant } from '../src/api/tenant.ts';
import { environmentPorts, kubeconfigPath, kwokWorkdir, portsPerCluster } from '../src/dev/cluster/local-cluster.ts';
import { freePortBlock } from '../src/dev/cluster/ports.ts';
import { argoCdDown } from '../src/dev/argocd/lifecycle.ts';
import { environmentDown, environmentUp } from '../src/dev/environment.ts';
import { operatorKubeconfigPath } from '../src/dev/admission.ts';
import { identitySecrets } from '../src/dev/identity/lifecycle.ts';
import { KubeHttp } from '../src/kube/http.ts';
import { loadConnection } from '../src/kube/kubeconfig.ts';
import { TenantOperator } from '../src/operator/controller.ts';
import { validTenant } from '../test/fixtures/tenants.ts';
import { type CookieJar, signInToPortal } from '../test/support/portal-login.ts';
import { wholeNumberFlag } from '../src/cli/flag-values.ts';
import { inBatches, percentiles, until } from './support.ts';

const { values } = parseArgs({
  options: {
    'portal-tenants': { type: 'string', default: '500' },
    users: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '20' },
  },
  strict: false,
});
const total = wholeNumberFlag('--portal-tenants', String(values['portal-tenants']), { min: 1, max: 100_000 });
// The portal keeps at most 5 sessions per person, and the directory has four people who may list tenants.
const people = ['carol', 'arthur', 'alice', 'bob'];
const users = wholeNumberFlag('--users', String(values.users), { min: 1, max: 5 * people.length });
const seconds = wholeNumberFlag('--seconds', String(values.seconds), { min: 1, max: 3600, unit: 'seconds' });
const log = (line: string) => process.stderr.write(`${line}\n`);

const cluster = {
  name: `landlord-bench-portal-${process.pid}`,
  basePort: await freePortBlock(portsPerCluster),
  workdir: kwokWorkdir(),
};
const environment = await environmentUp(cluster, log, { users: [] });
const connection = loadConnection(kubeconfigPath(cluster));
const http = new KubeHttp(connection);
const stop = new AbortController();
const operator = new TenantOperator({
  // As its ServiceAccount: the admission policies refuse its writes to anyone else, the admin included.
  kubeConfig: loadConnection(operatorKubeconfigPath(cluster)),
  // Two groups share every tenant here: a budget that holds them all, as the listing (not budgets) is measured.
  platform: { ...environment.platform, groupBudget: roomyBudget(total) },
  identity: 'bench',
  log: () => {},
});
const operatorRun = operator.run(stop.signal);
const ports = environmentPorts(cluster);
const portalURL = `http://127.0.0.1:${ports.portal}`;
const portal = startPortal();
try {
  log(`[bench] ${total} tenants, half devteam-a's and half devteam-b's, provisioned by the operator`);
  const names = Array.from({ length: total }, (_, index) => `portal-${index}`);
  await inBatches(names, 32, async (name) => {
    const document = validTenant(name, name);
    delete document.spec.nodePool;
    document.spec.adGroup = Number(name.split('-')[1]) % 2 ? 'devteam-b' : 'devteam-a';
    await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: document });
  });
  await until(async () => (await readyTenants()) === total, 15 * 60_000);
  // In production the operator and Argo CD run elsewhere; here they would share the portal's two cores.
  stop.abort();
  await operatorRun;
  await argoCdDown(cluster, environment.platform.argocd.namespace);

  await until(
    () =>
      fetch(`${portalURL}/api/v1/openapi.json`).then(
        (answer) => answer.ok,
        () => false,
      ),
    60_000,
  );
  log(`[bench] ${users} sessions of four people signing in through Dex (carol, a platform admin, sees all ${total})`);
  const jars: CookieJar[] = [];
  const passwords = identitySecrets(cluster).users;
  for (let index = 0; index < users; index++) {
    const uid = people[index % people.length] ?? 'carol';
    jars.push(await signInToPortal(portalURL, uid, passwords[uid]));
  }

  const list = async (jar: (typeof jars)[number]) => {
    const started = performance.now();
    const response = await jar.fetch(`${portalURL}/api/v1/tenants`);
    const body = await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`GET /api/v1/tenants answered ${response.status}`);
    return { ms: performance.now() - started, bytes: body.byteLength };
  };
  await Promise.all(
    jars.map(async (jar) => {
      for (let i = 0; i < 5; i++) await list(jar);
    }),
  );

  log(`[bench] ${users} users listing tenants as fast as they can for ${seconds}s`);
  const samples: number[] = [];
  let bytes = 0;
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    jars.map(async (jar) => {
      while (performance.now() < deadline) {
        const result = await list(jar);
        samples.push(result.ms);
        bytes = Math.max(bytes, result.bytes);
      }
    }),
  );
  const row = (label: string, value: string) => `  ${label.padEnd(44)} ${value}`;
  process.stdout.write(
    [
      `Landlord portal benchmark: ${total} tenants, ${users} concurrent users, ${navigator.hardwareConcurrency} cores`,
      row('GET /api/v1/tenants p50/p95/p99', percentiles(samples, 1)),
      row('requests served', `${samples.length} in ${seconds} s (${Math.round(samples.length / seconds)}/s)`),
      row('largest answer (an admin: every tenant)', `${Math.round(bytes / 1024)} KiB`),
      '',
    ].join('\n'),
  );
} finally {
  portal.kill('SIGTERM');
  stop.abort();
  await operatorRun;
  operator.close();
  http.close();
  await environmentDown(cluster, log);
}

/** The portal as in production: its own process, through bin/landlord, secrets in its environment. */
function startPortal(): ChildProcess {
  const args = [
    'portal',
    '--kubeconfig',
    kubeconfigPath(cluster),
    '--listen',
    `127.0.0.1:${ports.portal}`,
    '--public-url',
    portalURL,
    '--issuer',
    environment.identity.issuer,
    '--requester-groups',
    'devteam-a,devteam-b',
    // Far above what people do: the benchmark measures serving, not the limiter.
    '--rate-limit-per-minute',
    '1000000',
  ];
  const env = {
    ...process.env,
    LANDLORD_OIDC_CLIENT_SECRET: identitySecrets(cluster).clientSecrets.portal,
    LANDLORD_SESSION_SECRET: 'a-bench-session-secret-of-at-least-32-characters',
  };
  const landlord = join(import.meta.dirname, '..', 'bin', 'landlord');
  return spawn(landlord, args, { stdio: ['ignore', 'ignore', 'inherit'], env });
}

async function readyTenants(): Promise<number> {
  const list = await http.request<{ items: Tenant[] }>({ method: 'GET', path: '/apis/landlord.dev/v1alpha1/tenants' });
  return list.items.filter((tenant) => tenant.status?.phase === 'Ready').length;
}

/** A group budget that holds `tenants` tenants of the fixture's size (40 cpu, 80Gi, 1Ti) in one group. */
function roomyBudget(tenants: number) {
  return {
    cpu: String(40 * tenants),
    memory: `${80 * tenants}Gi`,
    storage: `${tenants}Ti`,
    nodePoolNodes: 10 * tenants,
  };
}
