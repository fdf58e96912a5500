import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tenantSchema } from '../../src/api/crd.ts';
import type { StructuralSchema } from '../../src/api/structural-schema.ts';
import type { ErrorBody } from '../../src/portal/errors.ts';
import { type LooseDocument, validTenant } from '../fixtures/tenants.ts';
import { uniqueName } from '../support/cluster.ts';
import { EventStreamReader } from '../support/event-stream.ts';
import { startOperator, tenantExists, waitUntilGone } from '../support/operator.ts';
import { kubectl } from '../support/kubectl.ts';
import { PortalApiClient } from '../support/portal-api.ts';
import { startTestPortal } from '../support/portal.ts';
import { waitFor } from '../support/wait.ts';

startOperator();
const portal = await startTestPortal();
const teamA = uniqueName('pa');
const teamB = uniqueName('pb');

/** The pattern the CRD gives a field (spec.teamName): what a refusal carries for machines. */
const crdPattern = (field: string) =>
  field.split('.').reduce<StructuralSchema | undefined>((schema, name) => schema?.properties?.[name], tenantSchema)
    ?.pattern;

/** What the request form sends for a team: the article's example with the team's name and group. */
function request(team: string, group: string) {
  const { spec } = validTenant(team, team);
  return { spec: { ...spec, adGroup: group, ownerEmail: `lead-${team}@financecore.example` } };
}

describe('requesting and using a tenant through the portal API (direct mode, as its ServiceAccount)', () => {
  it('takes a request from a devteam-a member, mails the owner, and streams the tenant until Ready', async () => {
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    const stream = new EventStreamReader();
    await stream.open(arthur.jar, `${portal.url}/api/v1/events`);
    assert.equal(stream.status, 200);
    try {
      const answer = await arthur.send('POST', '/api/v1/tenants', request(teamA, 'devteam-a'));
      assert.equal(answer.status, 202, await answer.clone().text());
      assert.deepEqual(await answer.json(), { name: teamA, mode: 'direct' });
      assert.ok(await tenantExists(teamA));
      const ready = await stream.next(
        (event) =>
          event.event === 'tenant' &&
          (event.data as { name: string; status: { phase: string } }).status.phase === 'Ready' &&
          (event.data as { name: string }).name === teamA,
        `${teamA} Ready`,
      );
      const quota = (ready.data as { status: { quota: { resource: string; hard: number }[] } }).status.quota;
      assert.ok(
        quota.some((entry) => entry.resource === 'requests.cpu' && entry.hard === 40),
        JSON.stringify(quota),
      );
    } finally {
      await stream.close();
    }
    const owner = `lead-${teamA}@financecore.example`;
    await waitFor(async () => portal.mail.to(owner).length >= 2, 'the accepted and ready mails');
    assert.deepEqual(
      portal.mail.to(owner).map((mail) => mail.subject),
      [`[Landlord] Tenant ${teamA} requested`, `[Landlord] Tenant ${teamA} is ready`],
    );
    assert.match(portal.mail.to(owner)[0]?.text ?? '', /Arthur .*requested the tenant/);
    const line = portal.audit.find((entry) => entry.action === 'request' && entry.tenant === teamA);
    assert.equal(line?.user, 'arthur');
    assert.equal(line?.result, 'ok');
    assert.match(line?.at ?? '', /^\d{4}-\d\d-\d\dT/);
  });

  it("downloads a kubeconfig that lists pods in the team's namespace and nothing of devteam-b's", async () => {
    const bob = await PortalApiClient.signIn(portal.url, 'bob');
    assert.equal((await bob.send('POST', '/api/v1/tenants', request(teamB, 'devteam-b'))).status, 202);
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    assert.equal(
      (await arthur.send('POST', `/api/v1/tenants/${teamA}/kubeconfig`, undefined, { csrf: false })).status,
      403,
    );
    const download = await arthur.send('POST', `/api/v1/tenants/${teamA}/kubeconfig`);
    assert.equal(download.status, 200, await download.clone().text());
    assert.match(download.headers.get('content-disposition') ?? '', /attachment; filename="[^"]+-kubeconfig.yaml"/);
    const file = join(tmpdir(), `${teamA}-kubeconfig.yaml`);
    const text = await download.text();
    writeFileSync(file, text, { mode: 0o600 });
    const own = await kubectl(file, 'get', 'pods', '-n', teamA);
    assert.match(own.stderr + own.stdout, /No resources found/);
    await waitFor(async () => tenantExists(teamB), 'the other tenant');
    await assert.rejects(kubectl(file, 'get', 'pods', '-n', teamB), /Forbidden|forbidden/);
    await assert.rejects(kubectl(file, 'get', 'namespaces'), /forbidden/);
    const token = /token: (\S+)/.exec(text)?.[1] ?? '';
    assert.ok(token.length > 100);
    const everything = JSON.stringify(portal.audit) + portal.logs.join('\n');
    assert.ok(!everything.includes(token), 'the token is in no audit line and no log');
    assert.equal((await bob.send('POST', `/api/v1/tenants/${teamA}/kubeconfig`)).status, 404);
  });

  it("hides devteam-a's tenant from devteam-b, in the list, by URL and in the live stream", async () => {
    const bob = await PortalApiClient.signIn(portal.url, 'bob');
    const list = (await (await bob.get('/api/v1/tenants')).json()) as { items: { name: string }[] };
    assert.ok(!list.items.some((item) => item.name === teamA));
    const direct = await bob.get(`/api/v1/tenants/${teamA}`);
    assert.equal(direct.status, 404);
    assert.doesNotMatch(await direct.text(), /devteam-a|financecore/);
    const stream = new EventStreamReader();
    await stream.open(bob.jar, `${portal.url}/api/v1/events`);
    const snapshot = await stream.next((event) => event.event === 'snapshot', 'snapshot');
    await stream.close();
    assert.doesNotMatch(JSON.stringify(snapshot.data), new RegExp(teamA));
  });

  it("refuses requests from people in no requester group, and for another team's group", async () => {
    const dave = await PortalApiClient.signIn(portal.url, 'dave');
    const team = uniqueName('pd');
    const refused = await dave.send('POST', '/api/v1/tenants', request(team, 'devteam-a'));
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /only members of devteam-a, devteam-b may request tenants/);
    const bob = await PortalApiClient.signIn(portal.url, 'bob');
    const theirs = await bob.send('POST', '/api/v1/tenants', request(team, 'devteam-a'));
    assert.equal(theirs.status, 403);
    const body = (await theirs.json()) as { error: { fields: { path: string }[] } };
    assert.deepEqual(
      body.error.fields.map((field) => field.path),
      ['spec.adGroup'],
    );
    assert.equal(await tenantExists(team), false);
    assert.ok(
      portal.audit.some(
        (line) =>
          line.user === 'dave' && line.action === 'request' && line.result === 'refused' && line.tenant === team,
      ),
    );
  });

  it('refuses a bad team name, a bad email and a node pool of 11, naming the field, creating nothing', async () => {
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    const team = uniqueName('pbad');
    const cases: [string, (spec: LooseDocument) => void, string, string][] = [
      ['spec.teamName', (spec) => (spec.teamName = 'Bad_Team'), '"Bad_Team"', 'must be a DNS label: lowercase letters'],
      ['spec.ownerEmail', (spec) => (spec.ownerEmail = 'not-an-email'), '"not-an-email"', 'must be an email address'],
      ['spec.nodePool.size', (spec) => (spec.nodePool.size = 11), '11', 'must be a whole number from 1 to 10'],
    ];
    for (const [field, spoil, value, allowed] of cases) {
      const body = request(team, 'devteam-a');
      spoil(body.spec);
      const answer = await arthur.send('POST', '/api/v1/tenants', body);
      assert.equal(answer.status, 422, field);
      const { error } = (await answer.json()) as ErrorBody;
      assert.deepEqual(
        error.fields?.map((entry) => entry.path),
        [field],
      );
      const [problem] = error.fields ?? [];
      assert.ok(problem?.message.startsWith(`${field}: Invalid value: ${value}: ${allowed}`), problem?.message);
      // The regular expression is for machines: beside the message, never in it.
      const pattern = field === 'spec.nodePool.size' ? undefined : crdPattern(field);
      assert.equal(problem?.pattern, pattern);
      assert.ok(!pattern || !problem?.message.includes(pattern), problem?.message);
      // The form's inline check: the same verdict, as an answer rather than an error.
      const dryRun = await arthur.send('POST', '/api/v1/tenants?dryRun=true', body);
      assert.equal(dryRun.status, 200);
      const verdict = (await dryRun.json()) as { valid: boolean; fields: { path: string }[] };
      assert.equal(verdict.valid, false);
      assert.deepEqual(
        verdict.fields.map((entry) => entry.path),
        [field],
      );
    }
    assert.equal(await tenantExists(team), false);
    assert.equal(await tenantExists('bad-team'), false);
  });

  it('refuses calls without a session or without the CSRF token', async () => {
    const anonymous = new PortalApiClient(portal.url, new (await import('../support/portal-login.ts')).CookieJar());
    assert.equal((await anonymous.get('/api/v1/tenants')).status, 401);
    assert.equal((await anonymous.get('/api/v1/events')).status, 401);
    assert.equal((await anonymous.send('POST', '/api/v1/tenants', request(uniqueName('px'), 'devteam-a'))).status, 403);
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    const team = uniqueName('pcsrf');
    const noToken = await arthur.send('POST', '/api/v1/tenants', request(team, 'devteam-a'), { csrf: false });
    assert.equal(noToken.status, 403);
    assert.equal(await tenantExists(team), false);
  });

  it('serves its OpenAPI description, with the request body from the CRD schema', async () => {
    const answer = await fetch(`${portal.url}/api/v1/openapi.json`);
    assert.equal(answer.status, 200);
    const document = JSON.stringify(await answer.json());
    for (const path of [
      '/api/v1/tenants',
      '/api/v1/tenants/{name}',
      '/api/v1/tenants/{name}/kubeconfig',
      '/api/v1/events',
    ])
      assert.ok(document.includes(`"${path}"`), path);
    assert.match(document, /"teamName":\{[^}]*"pattern":"\^\[a-z\]/);
  });

  it('decommissions only with the confirmation, for the owner and admins; other members 403, others 404', async () => {
    const bob = await PortalApiClient.signIn(portal.url, 'bob');
    assert.equal((await bob.send('DELETE', `/api/v1/tenants/${teamA}`, { confirm: teamA })).status, 404);
    // arthur requested it for lead-<team>@: a member, not its owner.
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    assert.equal((await arthur.send('DELETE', `/api/v1/tenants/${teamA}`, { confirm: teamA })).status, 403);
    const carol = await PortalApiClient.signIn(portal.url, 'carol');
    const unconfirmed = await carol.send('DELETE', `/api/v1/tenants/${teamA}`, { confirm: 'yes' });
    assert.equal(unconfirmed.status, 422);
    assert.match(await unconfirmed.text(), /"path":"confirm"/);
    assert.ok(await tenantExists(teamA));
    assert.equal((await carol.send('DELETE', `/api/v1/tenants/${teamA}`, { confirm: teamA })).status, 202);
    await waitUntilGone(teamA);
    assert.ok(
      portal.audit.some((line) => line.action === 'decommission' && line.tenant === teamA && line.result === 'ok'),
    );
  });
});
