import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { tenantResource } from '../../src/api/crd.ts';
import type { TenantStatus } from '../../src/api/tenant.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import type { ErrorBody } from '../../src/portal/errors.ts';
import type { HousesAnswer } from '../../src/portal/houses-answer.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { asBreakGlass } from '../support/break-glass.ts';
import { launchBrowser, screenshot, signedInPage } from '../support/browser.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { identitySecrets } from '../support/directory.ts';
import { tenantExists } from '../support/operator.ts';
import { PortalApiClient } from '../support/portal-api.ts';
import { startTestPortal } from '../support/portal.ts';
import { waitFor } from '../support/wait.ts';

// No operator in this file: the house's status is what a test writes (as break-glass), as the operator will.
const { http } = testCluster();
// Houses offered whatever the environment can run: what is tested is the portal's offer. The portal reads
// platform.houses on each request, so a test can switch houses off on this same object.
const platform = structuredClone(testEnvironment().platform);
const offered = { ...platform.houses, enabled: true, kubernetesVersions: { '1.35': 'v1.35.4', '1.36': 'v1.36.3' } };
platform.houses = offered;
const portal = await startTestPortal({ platform });
const browser = await launchBrowser();
const apiHouse = uniqueName('ph');
const formHouse = uniqueName('pf');
const created = [apiHouse, formHouse];

after(async () => {
  for (const name of created) await http.send({ method: 'DELETE', path: apiPath(tenantResource, { name }) });
});

/** A house request from a devteam-a member, as the form sends it. */
function houseRequest(team: string, kubernetesVersion: string, extra: Record<string, unknown> = {}) {
  const { spec } = validTenant(team, team);
  delete spec.nodePool;
  return { spec: { ...spec, adGroup: 'devteam-a', isolation: 'vcluster', kubernetesVersion, ...extra } };
}

/** Writes the house's status as the operator does, as break-glass. */
async function writeStatus(name: string, status: TenantStatus): Promise<void> {
  await http.request({
    method: 'PATCH',
    path: apiPath(tenantResource, { name, subresource: 'status' }),
    body: { status },
    contentType: 'application/merge-patch+json',
    headers: asBreakGlass,
  });
}

describe('houses through the portal API', () => {
  it('tells signed-in people which Kubernetes versions houses run, and nobody else', async () => {
    assert.equal((await fetch(`${portal.url}/api/v1/houses`)).status, 401);
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    const answer = await arthur.get('/api/v1/houses');
    assert.equal(answer.status, 200);
    assert.deepEqual((await answer.json()) as HousesAnswer, {
      enabled: true,
      kubernetesVersions: [
        { minor: '1.35', release: 'v1.35.4' },
        { minor: '1.36', release: 'v1.36.3' },
      ],
      defaultKubernetesVersion: offered.defaultKubernetesVersion,
    });
    const spec = (await (await arthur.get('/api/v1/openapi.json')).json()) as { paths: Record<string, unknown> };
    assert.ok('/api/v1/houses' in spec.paths, 'described in the OpenAPI document');
  });

  it('refuses a version not served and namespaces of a house, naming the field, and creates nothing', async () => {
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    const unserved = await arthur.send('POST', '/api/v1/tenants', houseRequest(apiHouse, '1.30'));
    assert.equal(unserved.status, 422);
    const { error } = (await unserved.json()) as ErrorBody;
    assert.equal(error.fields?.[0]?.path, 'spec.kubernetesVersion');
    assert.match(error.message, /"1\.30" is not served; use one of 1\.35, 1\.36/);
    const rooms = await arthur.send(
      'POST',
      '/api/v1/tenants',
      houseRequest(apiHouse, '1.35', { additionalNamespaces: ['dev'] }),
    );
    assert.equal(rooms.status, 422);
    assert.match(JSON.stringify(await rooms.json()), /additionalNamespaces is only allowed with isolation: namespace/);
    assert.equal(await tenantExists(apiHouse), false);
  });

  it('refuses every house while houses are switched off', async () => {
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    platform.houses = { ...offered, enabled: false };
    try {
      assert.equal(((await (await arthur.get('/api/v1/houses')).json()) as HousesAnswer).enabled, false);
      const refused = await arthur.send('POST', '/api/v1/tenants', houseRequest(apiHouse, '1.36'));
      assert.equal(refused.status, 422);
      assert.match(((await refused.json()) as ErrorBody).error.message, /"vcluster" is not offered on this platform/);
    } finally {
      platform.houses = offered;
    }
    assert.equal(await tenantExists(apiHouse), false);
  });

  it('creates a house, shows its version and URL to its team only, and hands out no kubeconfig before the operator gives the portal access to it', async () => {
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    const answer = await arthur.send('POST', '/api/v1/tenants', houseRequest(apiHouse, '1.35'));
    assert.equal(answer.status, 202, await answer.clone().text());
    await writeStatus(apiHouse, {
      phase: 'Ready',
      kubernetesVersion: 'v1.35.4',
      vclusterURL: `https://vcluster-${apiHouse}.test`,
    });
    type Summary = { kubernetesVersion?: string; status: { kubernetesVersion?: string; urls: { vcluster?: string } } };
    let summary: Summary | undefined;
    await waitFor(async () => {
      summary = (await (await arthur.get(`/api/v1/tenants/${apiHouse}`)).json()) as Summary;
      return summary.status?.kubernetesVersion === 'v1.35.4';
    }, "the house's status in the portal");
    assert.equal(summary?.kubernetesVersion, '1.35');
    assert.equal(summary?.status.urls.vcluster, `https://vcluster-${apiHouse}.test`);
    // No operator here, so no minting credential for the house: nothing is issued, the reason is given (the keys
    // themselves: portal-house-access.test.ts).
    const kubeconfig = await arthur.send('POST', `/api/v1/tenants/${apiHouse}/kubeconfig`);
    assert.equal(kubeconfig.status, 409);
    assert.match(((await kubeconfig.json()) as ErrorBody).error.message, /house has no access for people yet/);
    // Another team does not see it at all.
    const bob = await PortalApiClient.signIn(portal.url, 'bob');
    assert.equal((await bob.get(`/api/v1/tenants/${apiHouse}`)).status, 404);
  });
});

describe('houses in the browser (Chromium)', () => {
  it('requests a house through the form, and its page shows the Kubernetes version and API URL', async () => {
    const { page, problems } = await signedInPage(browser, portal.url, {
      uid: 'arthur',
      password: identitySecrets().users.arthur ?? '',
    });
    await page.getByRole('link', { name: 'Request a tenant' }).click();
    await page.getByLabel('Team name').fill(formHouse);
    await page.getByLabel('Cost centre').fill('CC-12345');
    assert.equal(await page.getByLabel('Kubernetes version').count(), 0, 'no version for a namespace tenant');
    await page.getByLabel('Isolation').selectOption('vcluster');
    const version = page.getByLabel('Kubernetes version');
    assert.deepEqual(await version.locator('option').allTextContents(), ['1.35', '1.36']);
    await version.selectOption('1.35');
    await page.getByText('Runs v1.35.4.').waitFor();
    await screenshot(page, 'request-form-house');
    await page.getByRole('button', { name: 'Request tenant' }).click();
    await page.getByRole('heading', { name: formHouse }).waitFor();
    await page.getByTestId('house-version').getByText('1.35 (requested; not running yet)').waitFor();
    await writeStatus(formHouse, {
      phase: 'Ready',
      kubernetesVersion: 'v1.35.4',
      vclusterURL: `https://vcluster-${formHouse}.test`,
    });
    // Live: the page follows the status without a reload.
    await page.getByTestId('house-version').getByText('v1.35.4', { exact: true }).waitFor();
    await page.getByTestId('house-url').getByText(`https://vcluster-${formHouse}.test`).waitFor();
    await page.getByTestId('house-argocd').waitFor();
    await page.getByRole('button', { name: 'Download kubeconfig' }).waitFor();
    await page.getByText(`landlord vcluster connect ${formHouse} --portal`).waitFor();
    await screenshot(page, 'tenant-house');
    const tenant = await http.request<{ spec: { isolation: string; kubernetesVersion: string } }>({
      method: 'GET',
      path: apiPath(tenantResource, { name: formHouse }),
    });
    assert.deepEqual([tenant.spec.isolation, tenant.spec.kubernetesVersion], ['vcluster', '1.35']);
    assert.deepEqual(problems, []);
  });

  it('does not offer a house while houses are switched off', async () => {
    platform.houses = { ...offered, enabled: false };
    try {
      const { page, problems } = await signedInPage(browser, portal.url, {
        uid: 'arthur',
        password: identitySecrets().users.arthur ?? '',
      });
      await page.getByRole('link', { name: 'Request a tenant' }).click();
      const isolation = page.getByLabel('Isolation');
      await isolation.waitFor();
      assert.deepEqual(await isolation.locator('option').allTextContents(), ['namespace']);
      assert.deepEqual(problems, []);
    } finally {
      platform.houses = offered;
    }
  });
});
