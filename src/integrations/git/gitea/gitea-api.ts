import { ForgeUnavailableError } from '../git-forge.ts';

/**
 * How a caller signs in to the Gitea API: Landlord's token (with `sudo`, an admin's token acting as that user), or
 * a person's name and password (basic auth).
 */
export type GiteaCredentials = { token: string; sudo?: string } | { username: string; password: string };

/** One answer of the Gitea API: its status and parsed JSON body (undefined when empty). */
export interface GiteaResponse<T = unknown> {
  status: number;
  body: T;
}

/** A small client for Gitea's REST API (/api/v1), as one signed-in caller. */
export interface GiteaApi {
  /** Sends one call; a network failure, a timeout or a 5xx answer is a ForgeUnavailableError. */
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<GiteaResponse<T>>;
}

/** Raised when the forge answers something other than what the call expects; names the call and the status. */
export class GiteaApiError extends Error {
  override name = 'GiteaApiError';
}

/** Builds an API path from segments, each escaped: `giteaPath('orgs', org, 'teams')`. */
export const giteaPath = (...segments: string[]) => `/${segments.map(encodeURIComponent).join('/')}`;

/** How long one call may take before the forge counts as unavailable. */
const callTimeoutMs = 30_000;

/** A client for the Gitea at baseUrl, as the given caller. */
export function giteaApi(baseUrl: string, credentials: GiteaCredentials): GiteaApi {
  const authorization =
    'token' in credentials
      ? `token ${credentials.token}`
      : `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  return {
    async request<T>(method: string, path: string, body?: unknown): Promise<GiteaResponse<T>> {
      let response: Response;
      let text: string;
      try {
        response = await fetch(`${baseUrl}/api/v1${path}`, {
          method,
          headers: {
            authorization,
            accept: 'application/json',
            ...('sudo' in credentials && credentials.sudo ? { sudo: credentials.sudo } : {}),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(callTimeoutMs),
        });
        text = await response.text();
      } catch (error) {
        throw forgeUnavailable(baseUrl, method, path, failureCause(error));
      }
      const parsed = parseBody(text);
      if (isUnavailableStatus(response.status)) {
        throw forgeUnavailable(baseUrl, method, path, `answered ${response.status} ${messageOf(parsed)}`.trim());
      }
      return { status: response.status, body: parsed as T };
    },
  };
}

/** Whether an answer means the forge failed rather than refused: a 5xx, to wait out and retry. */
export const isUnavailableStatus = (status: number) => status >= 500 && status <= 599;

/** The error for a forge that failed a call: its address (no user info), the call and why; never a credential. */
export function forgeUnavailable(baseUrl: string, method: string, path: string, reason: string): ForgeUnavailableError {
  return new ForgeUnavailableError(`the forge at ${publicOrigin(baseUrl)} failed ${method} ${path}: ${reason}`);
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
    throw new GiteaApiError(
      `Gitea ${method} ${path} answered ${response.status} (expected ${expected.join(' or ')}): ${messageOf(response.body)}`.trim(),
    );
  }
  return response;
}

/** The message of an error body, as Gitea writes it (`message`, or `error` on a few routes). */
export function messageOf(body: unknown): string {
  const fields = body as { message?: unknown; error?: unknown } | undefined;
  const message = fields?.message ?? fields?.error;
  return typeof message === 'string' ? message : '';
}

// The forge's address as a person would type it, without any user info a URL might carry.
function publicOrigin(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    return `${url.origin}${url.pathname.replace(/\/$/, '')}`;
  } catch {
    return '(an invalid URL)';
  }
}

// fetch wraps the socket's error (ECONNREFUSED, a timeout) in a TypeError whose cause says what happened.
function failureCause(error: unknown): string {
  const failure = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (failure.name === 'TimeoutError') return `no answer within ${callTimeoutMs / 1000} s`;
  return failure.cause?.message ?? failure.cause?.code ?? failure.message ?? String(error);
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
