import { testCluster, testEnvironment } from './cluster.ts';
import { dexClients } from '../../src/dev/identity/lifecycle.ts';
import { addToDirectoryGroup, identitySecrets, signIn } from './directory.ts';

/** A caller of an Argo CD's REST API (the local host Argo CD's unless another URL is given) with one bearer token. */
export class ArgoCdClient {
  private readonly token: string;
  private readonly url: string | undefined;

  constructor(token: string, url?: string) {
    this.token = token;
    this.url = url;
  }

  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.url ?? testEnvironment().argocd.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: keep the text.
    }
    return { status: response.status, body: parsed as T };
  }
}

/** Argo CD's admin, with the password Argo CD generated into argocd-initial-admin-secret. */
export async function adminClient(): Promise<ArgoCdClient> {
  const { http } = testCluster();
  const namespace = testEnvironment().platform.argocd.namespace;
  const secret = await http.request<{ data: { password: string } }>({
    method: 'GET',
    path: `/api/v1/namespaces/${namespace}/secrets/argocd-initial-admin-secret`,
  });
  const password = Buffer.from(secret.data.password, 'base64').toString();
  const response = await fetch(`${testEnvironment().argocd.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  if (!response.ok) throw new Error(`admin login refused: ${response.status} ${await response.text()}`);
  return new ArgoCdClient(((await response.json()) as { token: string }).token);
}

/**
 * A directory user signed in to Argo CD through Dex (single sign-on): their groups come from LDAP, put there
 * first, as the identity team would.
 */
export async function memberClient(uid: string, groups: string[]): Promise<ArgoCdClient> {
  for (const group of groups) addToDirectoryGroup(group, [uid]);
  const token = await signIn(uid, dexClients.argocd, identitySecrets().clientSecrets.argocd);
  return new ArgoCdClient(token);
}
