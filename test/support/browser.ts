import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { SystemProgram } from '../../src/dev/tools/system-packages.ts';
import { whichProgram } from '../../src/dev/tools/system-packages.ts';

/** Debian's Chromium: the browser the portal's tests drive. */
export const browserProgram: SystemProgram = {
  binary: 'chromium',
  debianPackage: 'chromium',
  neededFor: "the portal's browser tests",
};

/** Where the tests save screenshots, for people to look at (test-results/ is not committed). */
export const screenshotDir = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

/**
 * Launches headless Chromium (Playwright gives it a fresh temporary profile) without its background
 * connections (this machine's network is closed: they would only fail). Closed after the file's tests.
 */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: whichProgram(browserProgram.binary) ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  after(() => browser.close());
  return browser;
}

/** Collects a page's console errors and failed requests: the UI must have none. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

/** Saves a full-page screenshot under test-results/screenshots. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A laptop-sized window signed in as a directory user, through the portal's button and Dex's form. */
export async function signedInPage(
  browser: Browser,
  portalUrl: string,
  login: { uid: string; password: string },
): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems = watchConsole(page);
  await page.goto(portalUrl);
  await page.getByRole('link', { name: 'Sign in with your company account' }).click();
  await page.locator('input[name=login]').fill(login.uid);
  await page.locator('input[name=password]').fill(login.password);
  await page.locator('button[type=submit]').click();
  await page.getByRole('heading', { name: 'My tenants' }).waitFor();
  return { page, problems };
}
