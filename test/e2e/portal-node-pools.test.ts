// The portal's view of dedicated node pools (issue 13, point 6): free spare nodes by instance type for the request
// form, and a tenant's own nodes on its page. No operator runs here: the nodes are claimed by hand and the tenant's
// status written as the operator's contract says (status.nodePool, NodePoolReady), so what the portal shows is
// decided by the test, on the real API server, with the portal as its ServiceAccount.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Node } from 'kubernetes-types/core/v1.js';
import { tenantResource } from '../../src/api/crd.ts';
import type { TenantStatus } from '../../src/api/tenant.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import { resources } from '../../src/kube/resources.ts';
import type { NodePoolsAnswer } from '../../src/portal/node-pools-answer.ts';
import { instanceTypes } from '../../src/tenancy/node-pool.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { subjectMay } from '../support/access-review.ts';
import { asBreakGlass } from '../support/break-glass.ts';
import { launchBrowser, screenshot, signedInPage } from '../support/browser.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { identitySecrets } from '../support/directory.ts';
import { PortalApiClient } from '../support/portal-api.ts';
import { portalServiceAccount, startTestPortal } from '../support/portal.ts';
import { waitFor } from '../support/wait.ts';

const { http } = testCluster();
const settings = testEnvironment().platform.nodePools;
const portal = await startTestPortal();
const browser = await launchBrowser();
const team = uniqueName('np');
const spareSelector = `${settings.spare.label}=${settings.spare.value}`;

/** Free spares of each type as the API server lists them: labelled and tainted spare, nobody's, schedulable, Ready. */
async function freeByType(): Promise<Record<string, number>> {
  const { items } = await http.request<{ items: Node[] }>({
    method: 'GET',
    path: apiPath(resources.node),
    query: { labelSelector: `${spareSelector},!${settings.ownerLabel}` },
  });
  const free = items.filter(
    (node) =>
      !node.spec?.unschedulable &&
      node.spec?.taints?.some((taint) => taint.key === settings.spare.label && taint.effect === 'NoSchedule') &&
      node.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True'),
  );
  return Object.fromEntries(
    instanceTypes.map((type) => [
      type,
      free.filter((node) => node.metadata?.labels?.[settings.instanceTypeLabel] === type).length,
    ]),
  );
}

/** What the portal answers, as a map of type to count. */
async function portalCounts(client: PortalApiClient): Promise<Record<string, number>> {
  const answer = (await (await client.get('/api/v1/node-pools')).json()) as NodePoolsAnswer;
  return Object.fromEntries(answer.instanceTypes.map((entry) => [entry.instanceType, entry.free]));
}

/** Free spare nodes of a type, by name (the test's own knowledge; the portal never says). */
async function freeSpares(type: string): Promise<Node[]> {
  const { items } = await http.request<{ items: Node[] }>({
    method: 'GET',
    path: apiPath(resources.node),
    query: { labelSelector: `${spareSelector},${settings.instanceTypeLabel}=${type},!${settings.ownerLabel}` },
  });
  return items.filter((node) => !node.spec?.unschedulable);
}

/** Changed nodes, each with the patch that puts it back; restored after the file whatever happened. */
const restores = new Map<string, object>();
after(async () => {
  // No operator, no finalizer: the Tenant goes at once (the nodes were claimed by hand, and are put back by hand).
  await http.send({ method: 'DELETE', path: apiPath(tenantResource, { name: team }) });
  for (const [name, patch] of restores) await patchNode(name, patch);
});

async function patchNode(name: string, body: object): Promise<void> {
  await http.request({
    method: 'PATCH',
    path: apiPath(resources.node, { name }),
    body,
    contentType: 'application/merge-patch+json',
    headers: asBreakGlass,
  });
}

/** Changes a node, keeping what puts it back: its labels and taints as they were, uncordoned. */
async function changeNode(node: Node, change: object): Promise<void> {
  const name = node.metadata?.name ?? '';
  const labels: Record<string, string | null> = { ...node.metadata?.labels, [settings.ownerLabel]: null };
  restores.set(name, { metadata: { labels }, spec: { taints: node.spec?.taints ?? [], unschedulable: null } });
  await patchNode(name, change);
}

async function restoreNode(name: string): Promise<void> {
  const patch = restores.get(name);
  if (patch) await patchNode(name, patch);
  restores.delete(name);
}

/** Claims a node for the tenant by hand, as the operator's one claim write does: labels and taint together. */
const claimedBy = (tenant: string) => ({
  metadata: { labels: { [settings.spare.label]: settings.spare.claimedValue, [settings.ownerLabel]: tenant } },
  spec: { taints: [{ key: settings.taintKey, value: tenant, effect: 'NoSchedule' }] },
});

describe('node pools in the portal: free spare nodes for the form, a tenant its own nodes', () => {
  it('answers 401 to a caller who is not signed in', async () => {
    const answer = await fetch(`${portal.url}/api/v1/node-pools`);
    assert.equal(answer.status, 401);
    assert.doesNotMatch(await answer.text(), /spare-/);
  });

  it('tells a signed-in member how many spare nodes of each type are free, as counts and never as names', async () => {
    const dave = await PortalApiClient.signIn(portal.url, 'dave'); // in no group: signed in is enough for counts
    const answer = await dave.get('/api/v1/node-pools');
    assert.equal(answer.status, 200);
    const text = await answer.text();
    assert.doesNotMatch(text, /spare-|worker-|node-restriction|landlord\.dev/);
    const body = JSON.parse(text) as NodePoolsAnswer;
    assert.deepEqual(
      body.instanceTypes.map((entry) => Object.keys(entry).sort()),
      instanceTypes.map(() => ['free', 'instanceType']),
    );
    assert.deepEqual(await portalCounts(dave), await freeByType());
  });

  it('follows the cluster: a claimed or cordoned spare leaves the count, and a released one comes back', async () => {
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    const before = await freeByType();
    const [first, second] = await freeSpares('standard');
    assert.ok(first && second, 'two free standard spares');
    await changeNode(first, claimedBy(uniqueName('someone-else')));
    await changeNode(second, { spec: { unschedulable: true } });
    const fewer = { ...before, standard: (before.standard ?? 0) - 2 };
    await waitFor(async () => (await portalCounts(arthur)).standard === fewer.standard, 'two fewer free standard');
    assert.deepEqual(await portalCounts(arthur), fewer);
    await restoreNode(first.metadata?.name ?? '');
    await restoreNode(second.metadata?.name ?? '');
    await waitFor(async () => (await portalCounts(arthur)).standard === before.standard, 'the spares free again');
  });

  it("gives the portal's ServiceAccount nodes to read and nothing to change, nor pods to read", async () => {
    const portalAccount = {
      user: portalServiceAccount,
      groups: ['system:serviceaccounts', 'system:serviceaccounts:landlord-system'],
    };
    const may = (verb: string, resource: string) => subjectMay(http, portalAccount, { verb, resource });
    for (const verb of ['get', 'list', 'watch']) assert.equal(await may(verb, 'nodes'), true, `${verb} nodes`);
    for (const verb of ['patch', 'update', 'delete', 'create'])
      assert.equal(await may(verb, 'nodes'), false, `${verb} nodes`);
    assert.equal(await may('list', 'pods'), false, 'list pods');
  });

  it('is described in the OpenAPI document', async () => {
    const document = (await (await fetch(`${portal.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, { get?: { responses?: Record<string, unknown> } }>;
    };
    assert.ok(document.paths['/api/v1/node-pools']?.get?.responses?.['200'], JSON.stringify(document.paths));
  });

  it("shows a member their tenant's nodes and the shortage, and a member of another group none of it", async () => {
    const [held] = await freeSpares('memory-optimized');
    assert.ok(held, 'a free memory-optimized spare');
    const nodeName = held.metadata?.name ?? '';
    await createPoolTenant(nodeName);
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    const mine = (await (await arthur.get(`/api/v1/tenants/${team}`)).json()) as { status: TenantStatus };
    assert.deepEqual(
      mine.status.nodePool?.nodes?.map((node) => [node.name, node.instanceType, node.state]),
      [
        [nodeName, 'memory-optimized', 'Ready'],
        ['gone-node', 'memory-optimized', 'Lost'],
      ],
    );
    const condition = mine.status.conditions?.find((entry) => entry.type === 'NodePoolReady');
    assert.equal(condition?.message, shortage);
    const bob = await PortalApiClient.signIn(portal.url, 'bob');
    const theirs = await bob.get(`/api/v1/tenants/${team}`);
    assert.equal(theirs.status, 404);
    assert.doesNotMatch(await theirs.text(), new RegExp(nodeName));
    assert.doesNotMatch(await (await bob.get('/api/v1/node-pools')).text(), new RegExp(nodeName));
    assert.doesNotMatch(await (await bob.get('/api/v1/tenants')).text(), new RegExp(nodeName));
  });

  it('says on the request form how many nodes of each type are free, and warns when the pool asked waits', async () => {
    const { page, problems } = await signedIn('arthur');
    await page.getByRole('link', { name: 'Request a tenant' }).click();
    await page.getByLabel('Dedicated node pool').check();
    await page.getByLabel('Node type').selectOption('compute-optimized');
    const expected = await freeByType();
    const hint = page.getByText(/^Free now: /);
    await hint.waitFor();
    assert.equal(
      await hint.innerText(),
      `Free now: ${instanceTypes.map((type) => `${expected[type]} ${type}`).join(', ')}.`,
    );
    const free = expected['compute-optimized'] ?? 0;
    await page.getByLabel(/Node pool size/).fill(String(free + 1));
    const warning = page.getByRole('status').filter({ hasText: 'nodes asked' });
    await warning.waitFor();
    assert.equal(
      await warning.innerText(),
      `${free + 1} compute-optimized nodes asked, ${free} free now: the tenant is created, and its pool waits until 1 more is free.`,
    );
    await screenshot(page, 'request-form-node-shortage');
    await page.getByLabel(/Node pool size/).fill(String(Math.max(1, free)));
    await warning.waitFor({ state: 'detached' });
    assert.deepEqual(problems, []);
  });

  it("shows the tenant's page its nodes, each with type, state and message, and why the pool is not ready", async () => {
    const { page, problems } = await signedIn('arthur');
    await page.goto(`${portal.url}/tenants/${team}`);
    const section = page.getByRole('region', { name: 'Dedicated nodes' });
    await section.waitFor();
    const rows = section.getByRole('row');
    await waitFor(async () => (await rows.count()) === 3, 'a header row and two node rows');
    const cells = async (index: number) =>
      (await rows.nth(index).getByRole('cell').allInnerTexts()).filter((_, column) => column !== 3);
    assert.deepEqual(await cells(1), [heldName, 'memory-optimized', 'Ready', '']);
    assert.deepEqual(await cells(2), [
      'gone-node',
      'memory-optimized',
      'Lost',
      'NotReady for 12 minutes; replaced when a memory-optimized spare is free',
    ]);
    await section.getByText(shortage).waitFor();
    assert.match(await section.innerText(), /1 of 3 memory-optimized nodes ready/);
    await screenshot(page, 'tenant-node-pool');
    assert.deepEqual(problems, []);
  });
  it('keeps showing the nodes being given back once the pool is removed from the spec', async () => {
    const { page, problems } = await signedIn('arthur');
    await page.goto(`${portal.url}/tenants/${team}`);
    const section = page.getByRole('region', { name: 'Dedicated nodes' });
    await section.getByText('NotReady for 12 minutes', { exact: false }).waitFor();
    await http.request({
      method: 'PATCH',
      path: apiPath(tenantResource, { name: team }),
      body: { spec: { nodePool: null } },
      contentType: 'application/merge-patch+json',
    });
    const draining = 'draining: 2 pods left, PodDisruptionBudget web allows no eviction';
    await writeStatus({
      conditions: [],
      nodePool: {
        size: 0,
        ready: 0,
        summary: 'releasing 1',
        nodes: [{ name: heldName, instanceType: 'memory-optimized', state: 'Draining', message: draining }],
      },
    });
    await section.getByText(draining).waitFor();
    assert.match(await section.innerText(), /No pool asked: 1 node\(s\) going back to the spare pool\./);
    assert.equal(await section.getByRole('row').count(), 2);
    assert.deepEqual(problems, []);
  });
});

/** What NodePoolReady says while the pool waits (the operator's words; the portal shows them as they are). */
const shortage = 'wants 3 memory-optimized nodes, holds 1; 0 memory-optimized spare nodes are free';
/** The spare node the tenant holds, once createPoolTenant has claimed it. */
let heldName = '';

/** A devteam-a tenant with a pool of 3 memory-optimized nodes, holding one (claimed by hand), one lost, short of one. */
async function createPoolTenant(nodeName: string): Promise<void> {
  heldName = nodeName;
  const tenant = validTenant(team, team);
  tenant.spec.adGroup = 'devteam-a';
  tenant.spec.nodePool = { size: 3, instanceType: 'memory-optimized' };
  await http.request({ method: 'POST', path: apiPath(tenantResource), body: tenant });
  const held = (await freeSpares('memory-optimized')).find((node) => node.metadata?.name === nodeName);
  assert.ok(held, `${nodeName} still free`);
  await changeNode(held, claimedBy(team));
  const now = new Date().toISOString();
  const status: TenantStatus = {
    phase: 'Provisioning',
    conditions: [
      { type: 'NodePoolReady', status: 'False', reason: 'NotEnoughNodes', message: shortage, lastTransitionTime: now },
    ],
    nodePool: {
      instanceType: 'memory-optimized',
      size: 3,
      ready: 1,
      free: 0,
      summary: '1/3 memory-optimized',
      nodes: [
        { name: nodeName, instanceType: 'memory-optimized', state: 'Ready', since: now },
        {
          name: 'gone-node',
          instanceType: 'memory-optimized',
          state: 'Lost',
          since: now,
          message: 'NotReady for 12 minutes; replaced when a memory-optimized spare is free',
        },
      ],
    },
  };
  await writeStatus(status);
}

/** Writes the tenant's status as the operator does (the status subresource); as break-glass, should the platform fence it. */
async function writeStatus(status: TenantStatus): Promise<void> {
  await http.request({
    method: 'PATCH',
    path: apiPath(tenantResource, { name: team, subresource: 'status' }),
    body: { status },
    contentType: 'application/merge-patch+json',
    headers: asBreakGlass,
  });
}

/** A browser window signed in as the directory user. */
function signedIn(uid: string) {
  return signedInPage(browser, portal.url, { uid, password: identitySecrets().users[uid] ?? '' });
}
