import { testCluster, testEnvironment } from './cluster.ts';
import { waitFor } from './wait.ts';

/** A caller of the local Argo CD's REST API with one bearer token. */
export class ArgoCdClient {
  private readonly token: string;

  constructor(token: string) {
    this.token = token;
  }

  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${testEnvironment().argocd.url}${path}`, {
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
 * A team member as Argo CD sees one: a local account that belongs to the groups (argocd-rbac-cm), holding an
 * API token the admin issued. Until SSO arrives, the membership is declared the way a directory would send it.
 */
export async function memberClient(user: string, groups: string[]): Promise<ArgoCdClient> {
  const { http } = testCluster();
  const namespace = testEnvironment().platform.argocd.namespace;
  const configMap = (name: string) => `/api/v1/namespaces/${namespace}/configmaps/${name}`;
  await http.request({
    method: 'PATCH',
    path: configMap('argocd-cm'),
    body: { data: { [`accounts.${user}`]: 'apiKey' } },
    contentType: 'application/merge-patch+json',
  });
  const rbac = await http.request<{ data?: Record<string, string> }>({
    method: 'GET',
    path: configMap('argocd-rbac-cm'),
  });
  const lines = (rbac.data?.['policy.csv'] ?? '').split('\n').filter(Boolean);
  for (const group of groups) if (!lines.includes(`g, ${user}, ${group}`)) lines.push(`g, ${user}, ${group}`);
  await http.request({
    method: 'PATCH',
    path: configMap('argocd-rbac-cm'),
    body: { data: { 'policy.csv': lines.join('\n') } },
    contentType: 'application/merge-patch+json',
  });
  const admin = await adminClient();
  let token = '';
  // Argo CD picks up the new account from its ConfigMap watch within moments.
  await waitFor(async () => {
    const issued = await admin.call<{ token: string }>('POST', `/api/v1/account/${user}/token`, {
      name: user,
      id: `${user}-${Date.now()}`,
    });
    token = issued.status === 200 ? issued.body.token : '';
    return token !== '';
  }, `a token for ${user}`);
  return new ArgoCdClient(token);
}
