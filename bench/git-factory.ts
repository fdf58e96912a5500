// npm run bench [-- --merges 3]: the Git factory on a real local environment (Gitea, Argo CD, Dex over LDAP): the
// time from a Tenant's creation to Ready with its repository made, then from a reviewed pull request's merge to the
// merged change deployed in the team's namespace (its ConfigMap there), with the forge's webhook and without it (Argo CD's
// polling, every 60 s here, as `landlord operator` runs without --git-webhook-secret-file).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { defaultPlatformConfig } from '../src/api/platform-config.ts';
import type { Tenant } from '../src/api/tenant.ts';
import { wholeNumberFlag } from '../src/cli/flag-values.ts';
import { operatorAccount, operatorKubeconfigPath } from '../src/dev/admission.ts';
import { connect } from '../src/dev/cluster/connect.ts';
import { kwokWorkdir, portsPerCluster } from '../src/dev/cluster/local-cluster.ts';
import { freePortBlock } from '../src/dev/cluster/ports.ts';
import { environmentDown, environmentUp } from '../src/dev/environment.ts';
import { withLocalGitFactory } from '../src/dev/forge/local-factory.ts';
import { identitySecrets } from '../src/dev/identity/lifecycle.ts';
import { ensureTools } from '../src/dev/tools/build.ts';
import { expectStatus, giteaApi, giteaPath } from '../src/integrations/git/gitea/gitea-api.ts';
import { validTenant } from '../test/fixtures/tenants.ts';
import { git, gitClone } from '../test/support/git-http.ts';
import { startBenchOperator } from './operator.ts';
import { percentiles, until } from './support.ts';

const { values } = parseArgs({ options: { merges: { type: 'string', default: '3' } }, strict: false });
const merges = wholeNumberFlag('--merges', String(values.merges), { min: 1, max: 20 });
const log = (line: string) => process.stderr.write(`${line}\n`);
const row = (label: string, value: string) => `  ${label.padEnd(56)} ${value}`;

const cluster = {
  name: `landlord-bench-git-${process.pid}`,
  basePort: await freePortBlock(portsPerCluster),
  workdir: kwokWorkdir(),
};
await ensureTools(log);
const environment = await environmentUp(cluster, log, { users: [], platform: defaultPlatformConfig });
const platform = withLocalGitFactory(environment.platform, environment.gitea);
const work = mkdtempSync(join(tmpdir(), 'bench-git-'));
const { http } = connect(cluster);
const passwords = identitySecrets(cluster).users;
const as = (uid: string) => giteaApi(environment.gitea.url, { username: uid, password: passwords[uid] ?? '' });
// Each figure is printed as soon as it is measured: a later phase that fails must not lose the earlier ones.
process.stdout.write('Landlord Git factory benchmark\n');
const report = (line: string) => process.stdout.write(`${line}\n`);

/** Runs the operator (with or without the webhook), makes one tenant, then measures `merges` merges to Healthy. */
async function measure(team: string, webhook: boolean): Promise<void> {
  const platformFile = join(work, 'platform.yaml');
  writeFileSync(platformFile, stringify(platform));
  const operator = await startBenchOperator(operatorKubeconfigPath(cluster), {
    workers: 8,
    resyncSeconds: 600,
    leaseNamespace: operatorAccount.namespace,
    platformConfig: platformFile,
    extraArgs: [
      '--git-token-file',
      environment.gitea.tokenFile,
      ...(webhook ? ['--git-webhook-secret-file', environment.argocd.webhookSecretFile] : []),
    ],
  });
  try {
    const document = validTenant(team, team);
    delete document.spec.nodePool;
    // alice and arthur's group, which the forge mirrors as a team.
    document.spec.adGroup = 'devteam-a';
    const created = performance.now();
    await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: document });
    await until(async () => (await tenant(team)).status?.phase === 'Ready', 300_000, `tenant ${team} Ready`);
    if (webhook) report(row('Tenant created -> Ready, repository made', seconds(performance.now() - created)));
    const samples: number[] = [];
    for (let index = 0; index < merges; index++) {
      samples.push(await mergeToHealthy(team, index));
      log(`${team}: merge ${index} deployed in ${seconds(samples.at(-1) ?? 0)}`);
    }
    report(row(`merge -> Healthy, ${webhook ? 'webhook' : 'polling (60 s)'} p50/p95/p99`, percentiles(samples)));
  } finally {
    operator.child.kill('SIGTERM');
    await new Promise((resolve) => operator.child.once('exit', resolve));
  }
}

async function tenant(name: string): Promise<Tenant> {
  return http.request<Tenant>({ method: 'GET', path: `/apis/landlord.dev/v1alpha1/tenants/${name}` });
}

/** alice proposes a ConfigMap on a branch, carol (a platform admin) approves, alice merges; until it is deployed. */
async function mergeToHealthy(team: string, index: number): Promise<number> {
  const repo = giteaPath('repos', environment.gitea.organization, `${team}-gitops`);
  const branch = `change-${index}`;
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `bench-${index}` },
    data: { index: `${index}` },
  };
  // Through Git, as a person works: Gitea's contents API does not know a generated repository's main until a push.
  const login = { username: 'alice', password: passwords.alice ?? '' };
  const clone = await gitClone(
    work,
    `${environment.gitea.url}/${environment.gitea.organization}/${team}-gitops.git`,
    login,
  );
  if (!clone.ok) throw new Error(`clone failed: ${clone.stderr}`);
  await git(clone.dir, ['checkout', '--quiet', '-b', branch]);
  writeFileSync(join(clone.dir, 'applicationset', `bench-${index}.yaml`), stringify(configMap));
  await git(clone.dir, ['add', '--all']);
  await git(clone.dir, ['commit', '--quiet', '-m', `bench ${index}`]);
  const pushed = await git(clone.dir, ['push', 'origin', `HEAD:refs/heads/${branch}`], login);
  if (!pushed.ok) throw new Error(`push failed: ${pushed.stderr}`);
  const pull = await expectStatus<{ number: number }>(as('alice'), 'POST', `${repo}/pulls`, [201], {
    head: branch,
    base: 'main',
    title: `bench ${index}`,
  });
  const pullPath = `${repo}/pulls/${pull.body.number}`;
  await until(
    async () => (await as('alice').request<{ mergeable: boolean }>('GET', pullPath)).body.mergeable,
    60_000,
    'the pull request checked',
  );
  await expectStatus(as('carol'), 'POST', `${pullPath}/reviews`, [200], { event: 'APPROVED' });
  const merged = performance.now();
  await expectStatus(as('alice'), 'POST', `${pullPath}/merge`, [200], { Do: 'merge' });
  const path = `/api/v1/namespaces/${team}/configmaps/bench-${index}`;
  // Polling: Argo CD's next comparison (60 s here) finds the merge once its repo-server's cached refs expire (3 min).
  let waited = `ConfigMap ${path}`;
  await until(
    async () => {
      if ((await http.send({ method: 'GET', path })).status === 200) return true;
      waited = `ConfigMap ${path}; ${await initializerState(team)}`;
      return false;
    },
    900_000,
    () => waited,
  );
  return performance.now() - merged;
}

/** What the team's initializer last saw and did, to explain a deploy that never came. */
async function initializerState(team: string): Promise<string> {
  const answer = await http.send({
    method: 'GET',
    path: `/apis/argoproj.io/v1alpha1/namespaces/${platform.argocd.namespace}/applications/application-initializer-${team}`,
  });
  if (answer.status !== 200) return `its initializer answered ${answer.status}`;
  const { status } = JSON.parse(answer.body) as {
    status?: {
      sync?: { status?: string; revision?: string };
      reconciledAt?: string;
      operationState?: { phase?: string; message?: string };
      conditions?: { type: string; message: string }[];
    };
  };
  const { sync = {}, operationState = {}, conditions = [] } = status ?? {};
  const problems = conditions.map((c) => `${c.type}: ${c.message}`).join('; ');
  return `initializer sync ${sync.status} at ${sync.revision}, reconciled ${status?.reconciledAt}, operation ${operationState.phase} (${operationState.message}) ${problems}`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

try {
  await measure('bench-hook', true);
  await measure('bench-poll', false);
} finally {
  http.close();
  rmSync(work, { recursive: true, force: true });
  await environmentDown(cluster, log, environment.platform);
}
