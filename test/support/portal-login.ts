import { identitySecrets } from './directory.ts';

/** A minimal browser: a cookie jar per origin and manual redirects, enough for the sign-in dance. */
export class CookieJar {
  private readonly cookies = new Map<string, Map<string, string>>();

  header(url: string): string {
    return [...(this.cookies.get(new URL(url).origin) ?? new Map()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  store(url: string, response: Response): void {
    const origin = new URL(url).origin;
    const jar = this.cookies.get(origin) ?? new Map<string, string>();
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const index = pair.indexOf('=');
      jar.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
    }
    this.cookies.set(origin, jar);
  }

  /** Fetches with the jar's cookies, storing new ones; never follows redirects itself. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.header(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.store(url, response);
    return response;
  }
}

const isRedirect = (response: Response) => response.status >= 300 && response.status < 400;

/** Submits Dex's login form found in the page. */
async function submitLoginForm(jar: CookieJar, url: string, response: Response, uid: string, password: string) {
  const html = await response.text();
  if (response.status === 401) throw new Error(`Dex refused ${uid}'s password`);
  const action = html.match(/<form[^>]*method="post"[^>]*action="([^"]+)"/i)?.[1];
  if (response.status !== 200 || !action)
    throw new Error(`sign-in stopped at ${url}: ${response.status} ${html.slice(0, 300)}`);
  const formURL = new URL(action.replaceAll('&amp;', '&'), url).href;
  const body = new URLSearchParams({ login: uid, password });
  const posted = await jar.fetch(formURL, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  return { url: formURL, response: posted };
}

/**
 * Signs a directory user in to the portal the way a browser does: portal → Dex → Dex's LDAP login form →
 * Dex → portal callback. Returns the jar holding the portal's session cookie.
 */
export async function signInToPortal(portalURL: string, uid: string, password = identitySecrets().users[uid] ?? '') {
  return (await signInLanding(portalURL, uid, '/auth/login', password)).jar;
}

/**
 * Signs in starting at the given login path (with a returnTo, say) and reports where the portal's callback sent
 * the browser after sign-in, without going there.
 */
export async function signInLanding(
  portalURL: string,
  uid: string,
  loginPath: string,
  password = identitySecrets().users[uid] ?? '',
): Promise<{ jar: CookieJar; landing: URL }> {
  const jar = new CookieJar();
  let url = `${portalURL}${loginPath}`;
  let response = await jar.fetch(url);
  for (let hops = 0; hops < 10; hops++) {
    if (!isRedirect(response)) {
      ({ url, response } = await submitLoginForm(jar, url, response, uid, password));
      continue;
    }
    const from = url;
    url = new URL(response.headers.get('location') ?? '', url).href;
    // The portal's callback answered: signed in, and this is where it sends the browser.
    if (from.startsWith(`${portalURL}/auth/callback`)) return { jar, landing: new URL(url) };
    response = await jar.fetch(url);
  }
  throw new Error(`sign-in of ${uid} did not finish within 10 steps (last: ${url})`);
}
