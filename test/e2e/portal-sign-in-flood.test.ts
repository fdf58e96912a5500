// A flood of anonymous /auth/login requests from one address (red team, issue 12) cannot push out a member's
// pending sign-in: pending sign-ins live in the browser's encrypted cookie, not in the portal (ADR 17).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { identitySecrets } from '../support/directory.ts';
import { startTestPortal } from '../support/portal.ts';
import { CookieJar } from '../support/portal-login.ts';

const portal = await startTestPortal();
const portalURL = portal.url;
const isRedirect = (response: Response) => response.status >= 300 && response.status < 400;

/** Follows redirects with the jar until a page answers or the next stop is the portal's callback (not fetched). */
async function follow(jar: CookieJar, url: string, response: Response): Promise<{ url: string; response: Response }> {
  while (isRedirect(response)) {
    const next = new URL(response.headers.get('location') ?? '', url).href;
    if (next.startsWith(`${portalURL}/auth/callback`)) return { url: next, response };
    url = next;
    response = await jar.fetch(url);
  }
  return { url, response };
}

describe('flooding the pending sign-ins', () => {
  it("a member's sign-in begun before 1,001 anonymous /auth/login requests from one address still completes", async () => {
    const jar = new CookieJar();
    const start = `${portalURL}/auth/login`;
    // The member reaches Dex's login form: their pending sign-in (state, nonce, PKCE verifier) is in their cookie.
    const form = await follow(jar, start, await jar.fetch(start));
    assert.equal(form.response.status, 200, `no login form at ${form.url}`);
    const html = await form.response.text();
    const action = html.match(/<form[^>]*method="post"[^>]*action="([^"]+)"/i)?.[1] ?? '';
    assert.ok(action, 'no login form');

    // The attacker: no cookie, one address, 1,001 sign-ins begun in well under a minute.
    const answers: number[] = [];
    for (let sent = 0; sent < 1001; sent += 50) {
      const batch = Array.from({ length: Math.min(50, 1001 - sent) }, async () => {
        const response = await fetch(start, { redirect: 'manual' });
        await response.arrayBuffer();
        return response.status;
      });
      answers.push(...(await Promise.all(batch)));
    }
    const begun = answers.filter((status) => status === 302 || status === 303).length;

    // The member submits their password and comes back to the portal's callback.
    const formURL = new URL(action.replaceAll('&amp;', '&'), form.url).href;
    const password = identitySecrets().users.arthur ?? '';
    const posted = await jar.fetch(formURL, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login: 'arthur', password }),
    });
    const back = await follow(jar, formURL, posted);
    assert.ok(back.url.startsWith(`${portalURL}/auth/callback`), `did not come back to the callback: ${back.url}`);
    const callback = await jar.fetch(back.url);
    assert.ok(begun > 1000, `the flood began only ${begun} sign-ins: the test proves nothing`);
    assert.ok(
      isRedirect(callback),
      `FINDING: the attacker began ${begun} sign-ins (answers ${[...new Set(answers)].join(', ')}) and the member's ` +
        `sign-in failed at the callback: ${callback.status} ${(await callback.text()).slice(0, 300)}`,
    );
    const session = (await (await jar.fetch(`${portalURL}/api/v1/session`)).json()) as {
      user: { username?: string } | null;
    };
    assert.equal(session.user?.username, 'arthur', 'the member is signed in');
  });
});
