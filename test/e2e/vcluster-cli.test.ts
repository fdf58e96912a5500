import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { tenantResource } from '../../src/api/crd.ts';
import type { TenantStatus } from '../../src/api/tenant.ts';
import { connectHouse } from '../../src/cli/commands/vcluster-connect.ts';
import { listHouses } from '../../src/cli/commands/vcluster-houses.ts';
import { main } from '../../src/cli/main.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import { KubeHttp } from '../../src/kube/http.ts';
import { loadConnection } from '../../src/kube/kubeconfig.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { asBreakGlass } from '../support/break-glass.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { kubectl } from '../support/kubectl.ts';

const { http, kubeconfig } = testCluster();
const house = uniqueName('vh');
const provisioning = uniqueName('vp');
const unreadable = uniqueName('vu');
const namespaced = uniqueName('vn');
const houseURL = `https://${house}.houses.test:443`;
// A member of the house's own team, as kubectl --as/--as-group would act (the directory group is devteam-a).
const member = { 'Impersonate-User': 'alice@financecore.example', 'Impersonate-Group': 'devteam-a' };
const dir = mkdtempSync(join(tmpdir(), 'landlord-vcluster-cli-'));

/** Runs the CLI in this process, as `landlord ...args` would, capturing what it prints. */
async function landlord(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const streams = { out: (text: string) => (stdout += text), err: (text: string) => (stderr += text) };
  const status = await main(['node', 'landlord', ...args], streams);
  return { status, stdout, stderr };
}

/** The admin client acting as someone else: what kubectl --as does, on the real API server. */
function actingAs(headers: Record<string, string>): KubeHttp {
  const admin = loadConnection(kubeconfig);
  const client = new KubeHttp({ ...admin, authHeaders: async () => ({ ...(await admin.authHeaders()), ...headers }) });
  after(() => client.close());
  return client;
}

/** Plants a Tenant (no operator runs in this file: its status is what the test writes, as break-glass). */
async function plantTenant(team: string, isolation: 'namespace' | 'vcluster', status?: TenantStatus) {
  const document = validTenant(team, team);
  delete document.spec.nodePool;
  document.spec.adGroup = 'devteam-a';
  document.spec.isolation = isolation;
  if (isolation === 'vcluster') document.spec.kubernetesVersion = '1.36';
  await http.request({ method: 'POST', path: apiPath(tenantResource), body: document });
  if (status)
    await http.request({
      method: 'PATCH',
      path: apiPath(tenantResource, { name: team, subresource: 'status' }),
      body: { status },
      contentType: 'application/merge-patch+json',
      headers: asBreakGlass,
    });
}

/** A kubeconfig of the shape vCluster writes into vc-<team>: inline CA, a client certificate and its key. */
function houseAdminKubeconfig(server: string): string {
  const key = join(dir, 'admin.key');
  const cert = join(dir, 'admin.crt');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-subj',
      '/O=system:masters/CN=vcluster-admin',
      '-days',
      '1',
    ],
    { stdio: 'ignore' },
  );
  const base64 = (file: string) => readFileSync(file).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'my-vcluster', cluster: { server, 'certificate-authority-data': base64(cert) } }],
    users: [{ name: 'my-vcluster', user: { 'client-certificate-data': base64(cert), 'client-key-data': base64(key) } }],
    contexts: [{ name: 'my-vcluster', context: { cluster: 'my-vcluster', user: 'my-vcluster' } }],
    'current-context': 'my-vcluster',
  });
}

/** The house's host namespace and its admin Secret vc-<team>, as vCluster writes it (as break-glass). */
async function plantAdminSecret(team: string) {
  const namespace = `vcluster-${team}`;
  await http.request({
    method: 'POST',
    path: '/api/v1/namespaces',
    body: { metadata: { name: namespace } },
    headers: asBreakGlass,
  });
  const config = houseAdminKubeconfig(`https://${team}.houses.test:443`);
  const data = { config: Buffer.from(config).toString('base64') };
  await http.request({
    method: 'POST',
    path: `/api/v1/namespaces/${namespace}/secrets`,
    body: { metadata: { name: `vc-${team}` }, data },
    headers: asBreakGlass,
  });
}

const ready: TenantStatus = { phase: 'Ready', kubernetesVersion: 'v1.36.3', vclusterURL: houseURL };

/** A user's kubeconfig: another cluster, current. */
function userKubeconfig(file: string) {
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'prod', cluster: { server: 'https://prod.example:6443' } }],
      users: [{ name: 'me', user: { token: 'mine' } }],
      contexts: [{ name: 'prod', context: { cluster: 'prod', user: 'me' } }],
      'current-context': 'prod',
    }),
    { mode: 0o644 },
  );
}

before(async () => {
  await plantTenant(house, 'vcluster', ready);
  await plantAdminSecret(house);
  await plantTenant(unreadable, 'vcluster', { phase: 'Ready', vclusterURL: `https://${unreadable}.houses.test` });
  await plantTenant(provisioning, 'vcluster', {
    phase: 'Provisioning',
    conditions: [
      {
        type: 'Ready',
        status: 'False',
        reason: 'Deploying',
        message: 'the virtual API server does not answer yet',
        lastTransitionTime: new Date().toISOString(),
      },
    ],
  });
  await plantTenant(namespaced, 'namespace');
});

after(async () => {
  for (const team of [house, provisioning, unreadable, namespaced])
    await http.send({ method: 'DELETE', path: apiPath(tenantResource, { name: team }) });
  await http.send({ method: 'DELETE', path: `/api/v1/namespaces/vcluster-${house}`, headers: asBreakGlass });
});

describe('landlord vcluster list', () => {
  it('shows every house with its phase, Kubernetes version and URL, and no namespace tenant', async () => {
    const json = await landlord('vcluster', 'list', '--kubeconfig', kubeconfig, '--output', 'json');
    assert.equal(json.status, 0, json.stderr);
    const { houses: rows } = JSON.parse(json.stdout) as { houses: { team: string; phase: string }[] };
    assert.deepEqual(
      rows.find((row) => row.team === house),
      {
        tenant: house,
        team: house,
        phase: 'Ready',
        kubernetesVersion: 'v1.36.3',
        url: houseURL,
      },
    );
    assert.equal(rows.find((row) => row.team === provisioning)?.phase, 'Provisioning');
    assert.ok(!rows.some((row) => row.team === namespaced));
    const table = await landlord('vcluster', 'list', '--kubeconfig', kubeconfig);
    assert.match(table.stdout, new RegExp(`^${house}\\s+Ready\\s+v1\\.36\\.3\\s+${houseURL}$`, 'm'));
  });
});

describe('landlord vcluster connect', () => {
  it('writes a vcluster-<team> context (0600) into the given kubeconfig, the current context untouched', async () => {
    const file = join(dir, 'config');
    userKubeconfig(file);
    const result = await landlord('vcluster', 'connect', house, '--kubeconfig', kubeconfig, '--kubeconfig-out', file);
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stdout,
      new RegExp(`Context vcluster-${house} \\(https://${house}\\.houses\\.test:443\\) written`),
    );
    assert.equal(statSync(file).mode & 0o777, 0o600);
    // kubectl itself reads the file: the current context is still prod, and the house's context is complete.
    assert.equal((await kubectl(file, 'config', 'current-context')).stdout.trim(), 'prod');
    const contexts = (await kubectl(file, 'config', 'get-contexts', '-o', 'name')).stdout.split('\n');
    assert.deepEqual(contexts.filter(Boolean).sort(), ['prod', `vcluster-${house}`].sort());
    const server = await kubectl(
      file,
      'config',
      'view',
      '--minify',
      '--context',
      `vcluster-${house}`,
      '-o',
      'jsonpath={.clusters[0].cluster.server}',
    );
    assert.equal(server.stdout, `https://${house}.houses.test:443`);
    const user = await kubectl(
      file,
      'config',
      'view',
      '--raw',
      '--minify',
      '--context',
      `vcluster-${house}`,
      '-o',
      'jsonpath={.users[0].name}',
    );
    assert.equal(user.stdout, `vcluster-${house}`);
  });

  it('connects again without duplicating the entries (the connect core the house tests call)', async () => {
    const file = join(dir, 'again');
    const admin = new KubeHttp(loadConnection(kubeconfig));
    after(() => admin.close());
    const first = await connectHouse(admin, house, file);
    await connectHouse(admin, house, file);
    assert.equal(first.context, `vcluster-${house}`);
    const contexts = (await kubectl(file, 'config', 'get-contexts', '-o', 'name')).stdout.split('\n').filter(Boolean);
    assert.deepEqual(contexts, [`vcluster-${house}`]);
  });

  it('refuses a member of the team, who may not read the admin certificate, saying how members will get in', async () => {
    // The attack first, as kubectl: the member reads the house's admin Secret directly.
    const direct = await kubectl(
      kubeconfig,
      '--as',
      member['Impersonate-User'],
      '--as-group',
      member['Impersonate-Group'],
      '-n',
      `vcluster-${house}`,
      'get',
      'secret',
      `vc-${house}`,
    ).catch((error: { stderr: string }) => error);
    assert.match((direct as { stderr: string }).stderr, /Forbidden/);
    const file = join(dir, 'member');
    userKubeconfig(file);
    const before = readFileSync(file, 'utf8');
    await assert.rejects(connectHouse(actingAs(member), house, file), (error: Error) => {
      assert.match(
        error.message,
        new RegExp(
          `you may not read ${house}'s house credentials \\(Secret vc-${house} in vcluster-${house}: Forbidden\\)`,
        ),
      );
      assert.match(
        error.message,
        new RegExp(
          `Team members reach their house with their own short-lived token from the portal: \`landlord vcluster connect ${house} --portal`,
        ),
      );
      return true;
    });
    assert.equal(readFileSync(file, 'utf8'), before, "the member's kubeconfig is left as it was");
    await assert.rejects(
      listHouses(actingAs(member)),
      /you may not list Tenants .*team members see their tenants in the portal/,
    );
  });

  it('names a namespace tenant, a house not Ready, a missing tenant and missing credentials', async () => {
    const out = join(dir, 'errors');
    const connect = (team: string) =>
      landlord('vcluster', 'connect', team, '--kubeconfig', kubeconfig, '--kubeconfig-out', out);
    const ns = await connect(namespaced);
    assert.equal(ns.status, 1);
    assert.match(
      ns.stderr,
      new RegExp(`${namespaced} is a namespace tenant, not a house: use \`kubectl -n ${namespaced}\``),
    );
    const waiting = await connect(provisioning);
    assert.equal(waiting.status, 1);
    assert.match(
      waiting.stderr,
      new RegExp(`${provisioning}'s house is Provisioning: the virtual API server does not answer yet`),
    );
    const missing = await connect('no-such-team');
    assert.match(missing.stderr, /no tenant has the team no-such-team/);
    const noSecret = await connect(unreadable);
    assert.match(
      noSecret.stderr,
      new RegExp(`no house credentials yet \\(Secret vc-${unreadable} in vcluster-${unreadable} not found\\)`),
    );
    assert.throws(() => statSync(out), /ENOENT/, 'nothing written for a refusal');
  });
});

describe('landlord vcluster connect-all', () => {
  it('writes every Ready house it can read, skips those not Ready and reports those it could not', async () => {
    const file = join(dir, 'all');
    userKubeconfig(file);
    const result = await landlord('vcluster', 'connect-all', '--kubeconfig', kubeconfig, '--kubeconfig-out', file);
    assert.equal(result.status, 1, 'one Ready house had no credentials');
    assert.match(result.stdout, new RegExp(`Context vcluster-${house} `));
    assert.match(result.stdout, new RegExp(`Skipped ${provisioning}: Provisioning: not Ready`));
    assert.match(result.stderr, new RegExp(`Could not connect ${unreadable}: .*not found`));
    assert.equal((await kubectl(file, 'config', 'current-context')).stdout.trim(), 'prod');
    const contexts = (await kubectl(file, 'config', 'get-contexts', '-o', 'name')).stdout;
    assert.match(contexts, new RegExp(`^vcluster-${house}$`, 'm'));
    assert.doesNotMatch(contexts, new RegExp(unreadable));
  });
});
