import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { validTenant } from '../fixtures/tenants.ts';
import { launchBrowser, screenshot, signedInPage } from '../support/browser.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { identitySecrets } from '../support/directory.ts';
import { startOperator, waitForPhase, tenantExists, waitUntilGone } from '../support/operator.ts';
import { kubectl } from '../support/kubectl.ts';
import { startTestPortal } from '../support/portal.ts';

const { http } = testCluster();
startOperator();
const portal = await startTestPortal();
const browser = await launchBrowser();
const neighbour = uniqueName('bwb');
const team = uniqueName('bwa');

/** The page's global object, typed for what the tests read (this program has no DOM types). */
type PageGlobal = { document: { activeElement?: { textContent?: string | null } }; landlordNoReload?: boolean };

/** A browser window signed in as the directory user. */
function signedIn(uid: string) {
  return signedInPage(browser, portal.url, { uid, password: identitySecrets().users[uid] ?? '' });
}

/** Presses Tab until the focused element has this text, like a keyboard user looking for it. */
async function tabTo(page: Page, text: string): Promise<void> {
  for (let presses = 0; presses < 30; presses++) {
    await page.keyboard.press('Tab');
    if (
      (await page.evaluate(() => (globalThis as unknown as PageGlobal).document.activeElement?.textContent?.trim())) ===
      text
    )
      return;
  }
  throw new Error(`Tab never reached "${text}"`);
}

/** How far below the top of a box its text starts: more than a line means an empty line above it. */
async function textTop(box: Locator): Promise<number> {
  return box.evaluate((element: DomBox) => {
    const range = element.ownerDocument.createRange();
    range.selectNodeContents(element);
    return (range.getClientRects()[0]?.top ?? Infinity) - element.getBoundingClientRect().top;
  });
}

/** The little of a DOM element textTop reads (this program has no DOM types). */
type DomBox = {
  getBoundingClientRect(): { top: number };
  ownerDocument: {
    createRange(): { selectNodeContents(node: unknown): void; getClientRects(): ArrayLike<{ top: number }> };
  };
};

describe('the portal in a browser (Chromium), signed in through Dex and the directory', () => {
  it("shows a devteam-a member their tenants at a glance, and nothing of devteam-b's", async () => {
    const theirs = validTenant(neighbour, neighbour);
    theirs.spec.adGroup = 'devteam-b';
    await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: theirs });
    await waitForPhase(neighbour, 'Ready');
    const { page, problems } = await signedIn('bob');
    await page.getByRole('link', { name: neighbour }).waitFor();
    await screenshot(page, 'tenant-list');
    const arthur = await signedIn('arthur');
    await arthur.page.getByText('Live').waitFor();
    assert.equal(await arthur.page.getByRole('link', { name: neighbour }).count(), 0);
    assert.deepEqual([...problems, ...arthur.problems], []);
  });

  it('refuses a bad team name, email and node pool inline, naming each field, and creates nothing', async () => {
    const { page, problems } = await signedIn('arthur');
    await tabTo(page, 'Request a tenant');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Request a tenant' }).waitFor();
    await page.getByLabel('Team name').fill('Bad_Team');
    await page.getByLabel('Owner email').fill('not-an-email');
    await page.getByLabel('Cost centre').fill('CC-1');
    await page.getByLabel('Dedicated node pool').check();
    await page.getByLabel(/Node pool size/).fill('11');
    await page.getByLabel(/Node pool size/).blur();
    for (const [label, value, allowed] of [
      ['Team name', '"Bad_Team"', 'must be a DNS label: lowercase letters, digits and dashes'],
      ['Owner email', '"not-an-email"', 'must be an email address'],
      [/Node pool size/, '11', 'must be a whole number from 1 to 10'],
    ] as const) {
      const problem = page.locator('.field.invalid', { has: page.getByLabel(label) }).locator('.problem');
      await problem.waitFor();
      const text = await problem.innerText();
      assert.ok(text.includes(value) && text.includes(allowed), text);
      assert.doesNotMatch(text, /\^|\[a-z/, 'a regular expression shown to a person');
    }
    await page.getByRole('button', { name: 'Request tenant' }).click();
    const banner = page
      .getByRole('alert')
      .filter({ hasText: 'The request was refused: 3 fields below need a change.' });
    await banner.waitFor();
    assert.ok((await textTop(banner)) < 16, 'the banner starts with an empty line');
    await screenshot(page, 'request-form-errors');
    assert.equal(await tenantExists('bad-team'), false);
    assert.deepEqual(problems, []);
  });

  it('requests a tenant, watches it become Ready without reloading, and downloads a working kubeconfig', async () => {
    const { page, problems } = await signedIn('arthur');
    await page.getByRole('link', { name: 'Request a tenant' }).click();
    await page.getByLabel('Team name').fill(team);
    await page.getByLabel('Cost centre').fill('CC-12345');
    await page.getByLabel('CPU (cores requested)').fill('2');
    // Gone if the page reloads: the phase must change in place.
    await page.evaluate(() => Object.assign(globalThis as unknown as PageGlobal, { landlordNoReload: true }));
    await page.getByRole('button', { name: 'Request tenant' }).click();
    await page.getByRole('heading', { name: team }).waitFor();
    await page.locator('.title-row .phase', { hasText: 'Ready' }).waitFor({ timeout: 30_000 });
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobal).landlordNoReload), true);
    await page.getByText(/CPU requested/).waitFor();
    await screenshot(page, 'tenant-ready');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download kubeconfig' }).click();
    const file = join(tmpdir(), `${team}-browser-kubeconfig.yaml`);
    await (await download).saveAs(file);
    const own = await kubectl(file, 'get', 'pods', '-n', team);
    assert.match(own.stderr + own.stdout, /No resources found/);
    await assert.rejects(kubectl(file, 'get', 'pods', '-n', neighbour), /forbidden/i);
    assert.deepEqual(problems, []);
  });

  it('offers decommission to the owner only, not to another member of the team', async () => {
    const alice = await signedIn('alice');
    await alice.page.getByRole('link', { name: team }).click();
    await alice.page.getByRole('heading', { name: 'Quota usage' }).waitFor();
    assert.equal(await alice.page.getByRole('button', { name: `Decommission ${team}` }).count(), 0);
    assert.deepEqual(alice.problems, []);
  });

  it('decommissions after the name is typed to confirm', async () => {
    const { page, problems } = await signedIn('arthur');
    await page.getByRole('link', { name: team }).click();
    const button = page.getByRole('button', { name: `Decommission ${team}` });
    assert.equal(await button.isDisabled(), true);
    await page.getByLabel(`Type ${team} to confirm`).fill(team);
    await button.click();
    await waitUntilGone(team);
    await page.getByRole('link', { name: 'My tenants', exact: true }).click();
    assert.equal(await page.getByRole('link', { name: team }).count(), 0);
    assert.deepEqual(problems, []);
  });
});
