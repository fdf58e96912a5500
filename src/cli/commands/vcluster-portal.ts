import { CliError, ExitCode } from '../exit-codes.ts';
import type { Connected } from './vcluster-connect.ts';
import { readKubeconfigText, writeKubeconfigText } from './vcluster-file.ts';
import { houseEntries, mergedKubeconfig } from './vcluster-kubeconfig.ts';

/** The environment variable holding the person's portal session (the value of its `landlord_session` cookie). */
export const portalSessionVariable = 'LANDLORD_PORTAL_SESSION';

/**
 * A team member's way into their house: asks the portal, with their own signed-in session, for their short-lived
 * token inside the house (the same kubeconfig as the web UI's download, the same checks and audit line) and writes
 * it as context `vcluster-<team>` into `file`, current context untouched. Never the admin certificate.
 */
export async function connectHouseThroughPortal(
  portal: string,
  session: string,
  team: string,
  file: string,
): Promise<Connected> {
  const base = portalURL(portal);
  const client = new PortalSession(base, session);
  const signedIn = await client.json<{ user: unknown; csrfToken?: string }>('GET', '/api/v1/session');
  if (!signedIn.user || !signedIn.csrfToken)
    throw new CliError(
      `${portalSessionVariable}: the portal at ${base.origin} does not know this session (signed out or expired); sign in at ${base.origin} and copy its landlord_session cookie again`,
      ExitCode.invalid,
    );
  const { items } = await client.json<{ items: { name: string; teamName: string; isolation: string }[] }>(
    'GET',
    '/api/v1/tenants',
  );
  const tenant = items.find((item) => item.teamName === team && item.isolation === 'vcluster');
  if (!tenant)
    throw new CliError(
      `${team}: no house of that team that you can see in the portal (${base.origin}); \`landlord vcluster list\` needs a platform admin`,
      ExitCode.invalid,
    );
  const answer = await client.send('POST', `/api/v1/tenants/${encodeURIComponent(tenant.name)}/kubeconfig`, {
    'x-csrf-token': signedIn.csrfToken,
  });
  const text = await answer.text();
  if (answer.status !== 200)
    throw new CliError(`${team}: the portal refused (${answer.status}): ${reason(text)}`, ExitCode.invalid);
  let entries;
  try {
    entries = houseEntries(team, text);
  } catch (error) {
    throw new CliError(
      `${team}: ${(error as Error).message.replace(/Secret vc-\S+, key config/, 'from the portal')}`,
      ExitCode.invalid,
    );
  }
  writeKubeconfigText(file, mergedKubeconfig(readKubeconfigText(file), entries, file));
  return { team, context: entries.name, server: entries.server, file };
}

/** The portal's address: https, or plain http on loopback only (a session cookie must not cross a network in clear). */
function portalURL(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(
      `--portal: "${value}" is not a URL; use the portal's address, such as https://portal.example`,
      ExitCode.usage,
    );
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw new CliError(
      `--portal: "${value}" is not allowed; use https:// (plain http only on 127.0.0.1 or localhost: the session would cross the network in clear)`,
      ExitCode.usage,
    );
  return url;
}

/** The portal's error message from its JSON answer, or the start of what it said. */
function reason(text: string): string {
  try {
    return (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text.slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}

/** Requests with the person's session cookie (kept up to date from the answers), never following redirects. */
class PortalSession {
  private cookie: string;
  private readonly base: URL;

  constructor(base: URL, session: string) {
    this.base = base;
    this.cookie = session;
  }

  async send(method: 'GET' | 'POST', path: string, headers: Record<string, string> = {}): Promise<Response> {
    let answer: Response;
    try {
      answer = await fetch(new URL(path, this.base), {
        method,
        headers: { ...headers, cookie: `landlord_session=${this.cookie}` },
        redirect: 'manual',
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new CliError(
        `cannot reach the portal at ${this.base.origin}: ${(error as Error).message}`,
        ExitCode.environment,
      );
    }
    for (const line of answer.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      if (pair.startsWith('landlord_session=')) this.cookie = pair.slice('landlord_session='.length);
    }
    return answer;
  }

  async json<T>(method: 'GET' | 'POST', path: string): Promise<T> {
    const answer = await this.send(method, path);
    const text = await answer.text();
    if (answer.status === 401)
      throw new CliError(
        `${portalSessionVariable}: the portal at ${this.base.origin} does not know this session; sign in again`,
        ExitCode.invalid,
      );
    if (answer.status !== 200)
      throw new CliError(`the portal answered ${answer.status} to ${path}: ${reason(text)}`, ExitCode.environment);
    return JSON.parse(text) as T;
  }
}
