import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Tenant } from '../../src/api/tenant.ts';
import { asBreakGlass } from '../support/break-glass.ts';
import { createHouse } from '../support/house.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { startOperator } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

// Far above what the test waits: a house that goes within the test went without the bound's finalizer stripping.
const teardownSeconds = 3600;
const { http } = testCluster();
startOperator({ platform: (platform) => ({ ...platform, houses: { ...platform.houses, teardownSeconds } }) });
const tenants = '/apis/landlord.dev/v1alpha1/tenants';
const argocd = testEnvironment().platform.argocd.namespace;
const applications = `/apis/argoproj.io/v1alpha1/namespaces/${argocd}/applications`;
const early = uniqueName('he');
const registered = uniqueName('hr');
const kept = uniqueName('hk');
after(() =>
  Promise.all([early, registered, kept].map((team) => http.send({ method: 'DELETE', path: `${tenants}/${team}` }))),
);

const exists = async (path: string) => (await http.send({ method: 'GET', path })).status === 200;
const conditionOf = (tenant: Tenant, type: string) => tenant.status?.conditions?.find((c) => c.type === type);

/** Deletes the tenant and waits until it is gone; returns how long that took and what Ready said meanwhile. */
async function deleteAndTime(team: string, timeoutMs: number) {
  const started = Date.now();
  await http.request({ method: 'DELETE', path: `${tenants}/${team}` });
  const messages = new Set<string>();
  await waitFor(
    async () => {
      const answer = await http.send({ method: 'GET', path: `${tenants}/${team}` });
      if (answer.status === 404) return true;
      const message = conditionOf(JSON.parse(answer.body) as Tenant, 'Ready')?.message;
      if (message) messages.add(message);
      return false;
    },
    `house ${team} to be gone (houses.teardownSeconds ${teardownSeconds})`,
    timeoutMs,
  );
  return { seconds: (Date.now() - started) / 1000, messages: [...messages] };
}

/** Nothing Landlord made for the house is left on the host. */
async function assertNothingLeft(team: string) {
  const paths = [
    `/api/v1/namespaces/vcluster-${team}`,
    `${applications}/vcluster-${team}`,
    `${applications}/argocd-${team}`,
    `/api/v1/namespaces/${argocd}/secrets/vcluster-${team}`,
    `/apis/argoproj.io/v1alpha1/namespaces/${argocd}/appprojects/vcluster-${team}`,
  ];
  // The namespace may still be finishing (its objects going) once the Tenant is gone: gone or going is enough.
  await waitFor(async () => !(await exists(paths[0] ?? '')), `namespace vcluster-${team} to be gone`, 60_000);
  for (const path of paths) assert.equal((await http.send({ method: 'GET', path })).status, 404, path);
}

describe('a house deleted before the host Argo CD reached it', () => {
  it('goes at once: its Argo CD’s Application was never made for a house that never answered', async () => {
    await createHouse(early, '1.36');
    await waitFor(() => exists(`${applications}/vcluster-${early}`), 'the house’s vCluster Application', 60_000);
    // The host Argo CD could not reach the house yet: the Application that would wait on it is not there.
    assert.equal(await exists(`${applications}/argocd-${early}`), false, 'argocd-<team> before the house answered');
    const { seconds, messages } = await deleteAndTime(early, 180_000);
    assert.ok(!messages.some((m) => m.includes('gave up waiting')), messages.join('\n'));
    assert.ok(seconds < 180, `${seconds} s`);
    await assertNothingLeft(early);
  });

  it('goes promptly when deleted as soon as its Argo CD’s Application exists (the house answers by then); the team cannot open the gate early', async () => {
    await createHouse(registered, '1.36');
    // The gate trusts the status only Landlord writes: the team cannot forge "the house answers" there, nor make the
    // Application itself.
    const asMember = { 'Impersonate-User': `alice@${registered}.example`, 'Impersonate-Group': registered };
    const forged = await http.send({
      method: 'PATCH',
      path: `${tenants}/${registered}/status`,
      body: { status: { conditions: [{ type: 'HouseAPIReady', status: 'True', reason: 'Answering', message: '' }] } },
      contentType: 'application/merge-patch+json',
      headers: asMember,
    });
    assert.equal(forged.status, 403, forged.body);
    const planted = await http.send({
      method: 'POST',
      path: applications,
      body: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: `argocd-${registered}` } },
      headers: asMember,
    });
    assert.equal(planted.status, 403, planted.body);
    await waitFor(() => exists(`${applications}/argocd-${registered}`), 'argocd-<team>', 300_000);
    const tenant = await http.request<Tenant>({ method: 'GET', path: `${tenants}/${registered}` });
    assert.equal(conditionOf(tenant, 'HouseAPIReady')?.status, 'True', 'argocd-<team> only once the house answers');
    assert.equal(conditionOf(tenant, 'HouseRegistered')?.status, 'True');
    const { seconds, messages } = await deleteAndTime(registered, 240_000);
    process.stderr.write(`house ${registered} gone ${seconds} s after its deletion\n`);
    assert.ok(!messages.some((m) => m.includes('gave up waiting')), messages.join('\n'));
    await assertNothingLeft(registered);
  });
});

describe('a house that stops answering once its Argo CD’s Application exists', () => {
  it('keeps that Application: the gate holds back what was never made, never prunes what was', async () => {
    await createHouse(kept, '1.36');
    const path = `${applications}/argocd-${kept}`;
    await waitFor(() => exists(path), 'argocd-<team>', 300_000);
    const before = await http.request<{ metadata: { uid: string } }>({ method: 'GET', path });
    // The house stops answering through its credentials: a CA that did not sign its serving certificate.
    const secretPath = `/api/v1/namespaces/vcluster-${kept}/secrets/vc-${kept}`;
    const secret = await http.request<{ data: Record<string, string> }>({ method: 'GET', path: secretPath });
    const swap = (ca: string | undefined) =>
      http.request({
        method: 'PATCH',
        path: secretPath,
        headers: asBreakGlass,
        body: { data: { 'certificate-authority': ca } },
        contentType: 'application/merge-patch+json',
      });
    await swap(secret.data['client-certificate']);
    const apiReady = async () =>
      conditionOf(await http.request<Tenant>({ method: 'GET', path: `${tenants}/${kept}` }), 'HouseAPIReady')?.status;
    await waitFor(async () => (await apiReady()) === 'False', 'HouseAPIReady False', 60_000);
    // The passes after this one read "not answering" from the status: the Application stays through them.
    await swap(secret.data['certificate-authority']);
    await waitFor(async () => (await apiReady()) === 'True', 'HouseAPIReady True again', 120_000);
    const after = await http.request<{ metadata: { uid: string; deletionTimestamp?: string } }>({
      method: 'GET',
      path,
    });
    assert.equal(after.metadata.uid, before.metadata.uid, 'argocd-<team> was deleted and made again');
    assert.equal(after.metadata.deletionTimestamp, undefined);
  });
});
