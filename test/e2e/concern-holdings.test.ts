import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tenantResource } from '../../src/api/crd.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import type { KubernetesObject } from '../../src/kube/object.ts';
import { resources } from '../../src/kube/resources.ts';
import { tenantConcerns } from '../../src/tenancy/concerns.ts';
import { claimNodeConcern, NotebookShelf, notebookConcern } from '../fixtures/throwaway-holdings.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { startOperator, waitForPhase, waitUntilGone } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const node = 'spare-19';
const shelf = new NotebookShelf();
startOperator({
  concerns: [...tenantConcerns, claimNodeConcern(node), notebookConcern],
  integrations: new Map([['notebooks', shelf]]),
});
const { http } = testCluster();
const nodePath = apiPath(resources.node, { name: node });
const labelsOf = async () => (await http.request<KubernetesObject>({ method: 'GET', path: nodePath })).metadata?.labels;
const create = (name: string) =>
  http.request({ method: 'POST', path: apiPath(tenantResource), body: validTenant(name, name) });
const team = uniqueName('holds');

describe('claimed and external things', () => {
  it('claims an existing node by patching it, with no ownerReference, and keeps an external thing', async () => {
    await create(team);
    const tenant = await waitForPhase(team, 'Ready');
    const node = await http.request<KubernetesObject>({ method: 'GET', path: nodePath });
    assert.equal(node.metadata?.labels?.['landlord.dev/tenant'], team);
    assert.equal(node.metadata?.ownerReferences, undefined, 'the garbage collector must never act on a claimed node');
    const claimed = tenant.status?.conditions?.find((c) => c.type === 'ClaimedNodeReady');
    assert.equal(claimed?.reason, 'Claimed');
    assert.deepEqual(shelf.kept.get(`notebook-${team}`)?.spec, { owner: 'team-lead@financecore.com' });
    const kept = tenant.status?.conditions?.find((c) => c.type === 'NotebookReady');
    assert.equal(kept?.message, `notebook-${team} kept`);
  });

  it('puts a claim back when someone edits it', async () => {
    await http.request({
      method: 'PATCH',
      path: nodePath,
      body: { metadata: { labels: { 'landlord.dev/claim-test': 'no' } } },
      contentType: 'application/merge-patch+json',
    });
    await waitFor(async () => (await labelsOf())?.['landlord.dev/claim-test'] === 'yes', 'the claim restored', 15_000);
  });

  it('refuses a node another tenant holds, naming the holder', async () => {
    const rival = uniqueName('rival');
    await create(rival);
    const refused = await waitForPhase(rival, 'Failed');
    const condition = refused.status?.conditions?.find((c) => c.type === 'ClaimedNodeReady');
    assert.equal(condition?.status, 'False');
    assert.match(condition?.message ?? '', new RegExp(`Node ${node} is claimed by Tenant ${team}`));
    await http.request({ method: 'DELETE', path: apiPath(tenantResource, { name: rival }) });
    await waitUntilGone(rival);
    assert.equal((await labelsOf())?.['landlord.dev/tenant'], team, "the rival's teardown leaves the claim alone");
  });

  it('releases the node (it stays, with only others’ fields) and retires the external thing at teardown', async () => {
    await http.request({ method: 'DELETE', path: apiPath(tenantResource, { name: team }) });
    await waitUntilGone(team);
    const labels = await labelsOf();
    assert.equal(labels?.['landlord.dev/tenant'], undefined);
    assert.equal(labels?.['landlord.dev/claim-test'], undefined);
    assert.equal(labels?.['landlord.dev/node-pool'], 'spare', 'labels Landlord did not set are kept');
    assert.ok(shelf.retired.has(`notebook-${team}`));
    assert.ok(shelf.kept.has(`notebook-${team}`), 'retired, never deleted');
  });
});
