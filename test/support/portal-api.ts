import { type CookieJar, signInToPortal } from './portal-login.ts';

/** A signed-in user of the portal's API, holding their session cookie and CSRF token. */
export class PortalApiClient {
  readonly jar: CookieJar;
  readonly url: string;
  private csrf = '';

  constructor(url: string, jar: CookieJar) {
    this.url = url;
    this.jar = jar;
  }

  /** Signs the directory user in through Dex and reads their CSRF token. */
  static async signIn(url: string, uid: string, password?: string): Promise<PortalApiClient> {
    const client = new PortalApiClient(url, await signInToPortal(url, uid, password));
    const session = (await (await client.get('/api/v1/session')).json()) as { csrfToken: string };
    client.csrf = session.csrfToken;
    return client;
  }

  get(path: string): Promise<Response> {
    return this.jar.fetch(`${this.url}${path}`);
  }

  /** A POST of a body exactly as given (JSON no serializer would write), with the CSRF token. */
  sendRaw(path: string, body: string): Promise<Response> {
    const headers = { 'content-type': 'application/json', 'x-csrf-token': this.csrf };
    return this.jar.fetch(`${this.url}${path}`, { method: 'POST', headers, body });
  }

  /** A state-changing call with the CSRF token, unless told to leave it out. */
  send(method: 'POST' | 'DELETE', path: string, body?: unknown, { csrf = true } = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (csrf) headers['x-csrf-token'] = this.csrf;
    return this.jar.fetch(`${this.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
}
