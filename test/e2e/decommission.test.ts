import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Tenant } from '../../src/api/tenant.ts';
import { Informer } from '../../src/kube/informer.ts';
import { heldKinds } from '../../src/tenancy/concern.ts';
import { tenantConcerns } from '../../src/tenancy/concerns.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { asBreakGlass } from '../support/break-glass.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { startOperator, waitForPhase, waitUntilGone } from '../support/operator.ts';

const { http } = testCluster();
startOperator();

describe('decommissioning a tenant', () => {
  it('deletes everything it owned, in order, and nothing it did not', async () => {
    const team = uniqueName('gone');
    await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: validTenant(team, team) });
    await waitForPhase(team, 'Ready');
    // A namespace forged by hand with the tenant's labels: Landlord does not own it and must leave it alone.
    // Only break-glass can still forge one (the admission policies refuse everyone else).
    const forged = `${team}-forged`;
    const labels = { 'landlord.dev/tenant': team, 'app.kubernetes.io/managed-by': 'landlord' };
    const body = { metadata: { name: forged, labels } };
    await http.request({ method: 'POST', path: '/api/v1/namespaces', body, headers: asBreakGlass });

    const waits: string[] = [];
    const watcher = new Informer<Tenant>(http, { path: '/apis/landlord.dev/v1alpha1/tenants' });
    watcher.on((event) => {
      const ready =
        event.object.metadata.name === team && event.object.status?.conditions?.find((c) => c.type === 'Ready');
      if (ready && ready.reason === 'Terminating' && waits.at(-1) !== ready.message) waits.push(ready.message);
    });
    await watcher.start();
    await http.request({ method: 'DELETE', path: `/apis/landlord.dev/v1alpha1/tenants/${team}` });
    await waitUntilGone(team);
    await watcher.stop();

    for (const path of [
      `/api/v1/namespaces/${team}`,
      `/apis/argoproj.io/v1alpha1/namespaces/argocd/appprojects/${team}`,
      `/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/application-initializer-${team}`,
      `/api/v1/namespaces/argocd/secrets/repo-${team}`,
    ]) {
      assert.equal((await http.send({ method: 'GET', path })).status, 404, `${path} is gone`);
    }
    const survivor = await http.send({ method: 'GET', path: `/api/v1/namespaces/${forged}` });
    assert.equal(survivor.status, 200, 'the forged namespace survives');
    assert.equal(JSON.parse(survivor.body).metadata.deletionTimestamp, undefined);

    // The pool's nodes are given back first (they report as nodes, not as a held kind), then kind after kind.
    const nodeWaits = waits.filter((message) => message.startsWith('waiting for node(s) '));
    const kindWaits = waits.filter((message) => !nodeWaits.includes(message));
    assert.deepEqual(waits.slice(0, nodeWaits.length), nodeWaits, `nodes given back first: ${waits.join(' | ')}`);
    const order = heldKinds(tenantConcerns).map((kind) => kind.kind);
    const seen = kindWaits.map((message) => order.findIndex((kind) => message.startsWith(`waiting for ${kind} `)));
    assert.ok(seen.length >= 2 && seen.every((index) => index >= 0), `teardown steps reported: ${waits.join(' | ')}`);
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => a - b),
      `teardown in order: ${waits.join(' | ')}`,
    );
    assert.equal(waits.at(-1)?.startsWith('waiting for Namespace'), true, 'namespaces go last');
    await http.request({ method: 'DELETE', path: `/api/v1/namespaces/${forged}`, headers: asBreakGlass });
  });
});
