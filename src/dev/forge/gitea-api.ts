/** How a caller signs in to the Gitea API: Landlord's token, or a person's name and password (basic auth). */
export type GiteaCredentials = { token: string } | { username: string; password: string };

/** One answer of the Gitea API: its status and parsed JSON body (undefined when empty). */
export interface GiteaResponse<T = unknown> {
  status: number;
  body: T;
}

/** A small client for Gitea's REST API (/api/v1), as one signed-in caller. */
export interface GiteaApi {
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<GiteaResponse<T>>;
}

/** Raised when the forge answers something other than what the call expects; names the call and the status. */
export class GiteaApiError extends Error {
  override name = 'GiteaApiError';
}

/** Builds an API path from segments, each escaped: `giteaPath('orgs', org, 'teams')`. */
export const giteaPath = (...segments: string[]) => `/${segments.map(encodeURIComponent).join('/')}`;

/** A client for the Gitea at baseUrl, as the given caller. */
export function giteaApi(baseUrl: string, credentials: GiteaCredentials): GiteaApi {
  const authorization =
    'token' in credentials
      ? `token ${credentials.token}`
      : `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  return {
    async request<T>(method: string, path: string, body?: unknown): Promise<GiteaResponse<T>> {
      const response = await fetch(`${baseUrl}/api/v1${path}`, {
        method,
        headers: {
          authorization,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      return { status: response.status, body: parseBody(text) as T };
    },
  };
}

/** Calls the API and fails unless the status is one expected; the error names the call, never the credentials. */
export async function expectStatus<T>(
  api: GiteaApi,
  method: string,
  path: string,
  expected: number[],
  body?: unknown,
): Promise<GiteaResponse<T>> {
  const response = await api.request<T>(method, path, body);
  if (!expected.includes(response.status)) {
    const message = (response.body as { message?: string } | undefined)?.message ?? '';
    throw new GiteaApiError(`Gitea ${method} ${path} answered ${response.status}: ${message}`.trim());
  }
  return response;
}

// Gitea answers JSON, except a few errors in plain text ("404 page not found"): those stay text.
function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) };
  }
}
