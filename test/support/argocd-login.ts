import { identitySecrets } from './directory.ts';
import { CookieJar } from './portal-login.ts';

const isRedirect = (response: Response) => response.status >= 300 && response.status < 400;

/**
 * Signs a directory user in to Argo CD the way a browser does: Argo CD's /auth/login → Dex → Dex's LDAP login
 * form → Dex → Argo CD's callback, which sets the session cookie. Returns the session token Argo CD handed out.
 */
export async function signInToArgoCd(argocdURL: string, uid: string): Promise<string> {
  const password = identitySecrets().users[uid] ?? '';
  const jar = new CookieJar();
  let url = `${argocdURL}/auth/login?return_url=${encodeURIComponent(`${argocdURL}/applications`)}`;
  let response = await jar.fetch(url);
  for (let hops = 0; hops < 12; hops++) {
    if (isRedirect(response)) {
      url = new URL(response.headers.get('location') ?? '', url).href;
      const token = sessionCookie(jar, argocdURL);
      if (token) return token;
      response = await jar.fetch(url);
      continue;
    }
    const html = await response.text();
    const action = html.match(/<form[^>]*method="post"[^>]*action="([^"]+)"/i)?.[1];
    if (response.status !== 200 || !action)
      throw new Error(`Argo CD sign-in stopped at ${url}: ${response.status} ${html.slice(0, 300)}`);
    url = new URL(action.replaceAll('&amp;', '&'), url).href;
    response = await jar.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login: uid, password }),
    });
  }
  throw new Error(`Argo CD sign-in of ${uid} did not finish within 12 steps (last: ${url})`);
}

/** Argo CD's session cookie (argocd.token), once its callback has set it. */
function sessionCookie(jar: CookieJar, argocdURL: string): string | undefined {
  const pair = jar
    .header(argocdURL)
    .split('; ')
    .find((cookie) => cookie.startsWith('argocd.token='));
  return pair ? decodeURIComponent(pair.slice('argocd.token='.length)) || undefined : undefined;
}
