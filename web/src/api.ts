/** The portal API as the UI uses it: same-origin, cookies, the CSRF token on every change. */
// The shapes are the server's own types (type-only imports: nothing of the server is bundled).
import type { StructuralSchema } from '../../src/api/structural-schema.ts';
import type { ErrorBody, FieldProblem } from '../../src/portal/errors.ts';
import type { HousesAnswer } from '../../src/portal/houses-answer.ts';
import type { NodePoolsAnswer } from '../../src/portal/node-pools-answer.ts';
import type { PortalUser } from '../../src/portal/user.ts';
import type { ReviewProposal } from '../../src/portal/review-proposal.ts';

export type { FieldProblem } from '../../src/portal/errors.ts';
export type { FreeNodes } from '../../src/portal/node-pools-answer.ts';
export type { HousesAnswer } from '../../src/portal/houses-answer.ts';
export type { QuotaUsage } from '../../src/portal/quota-usage.ts';
export type { TenantSummary } from '../../src/portal/tenant-summary.ts';

/** A field's schema in the Tenant CRD, as GET /api/v1/schema/tenant serves it. */
export type SpecSchema = StructuralSchema;

/** The signed-in user, whether they are a platform admin, and the CSRF token for changes. */
export interface SessionInfo {
  user: PortalUser;
  admin: boolean;
  csrfToken: string;
}

/** An error answer of the API: its status, message and the fields at fault. */
export class ApiError extends Error {
  readonly status: number;
  readonly fields: FieldProblem[];

  constructor(status: number, message: string, fields: FieldProblem[] = []) {
    super(message);
    this.status = status;
    this.fields = fields;
  }
}

let csrfToken = '';

async function parse<T>(response: Response): Promise<T> {
  if (response.ok) return (await response.json()) as T;
  const body = (await response.json().catch(() => ({}))) as Partial<ErrorBody>;
  throw new ApiError(response.status, body.error?.message ?? response.statusText, body.error?.fields ?? []);
}

/** The signed-in user, or undefined when nobody is. */
export async function loadSession(): Promise<SessionInfo | undefined> {
  const session = await parse<SessionInfo | { user: null }>(await fetch('/api/v1/session'));
  if (!session.user) return undefined;
  csrfToken = (session as SessionInfo).csrfToken;
  return session as SessionInfo;
}

function change(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { 'x-csrf-token': csrfToken };
  if (body === undefined) return fetch(path, { method, headers });
  return fetch(path, {
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export const signOut = async () => parse<unknown>(await change('POST', '/auth/logout'));

/** The Tenant spec schema the API server enforces: the form's choices and limits come from it. */
export const loadSpecSchema = async () => parse<{ spec: SpecSchema }>(await fetch('/api/v1/schema/tenant'));

/** Free spare nodes by instance type: how many a dedicated pool could claim now. */
export const loadFreeNodes = async () => parse<NodePoolsAnswer>(await fetch('/api/v1/node-pools'));

/** Houses (isolation: vcluster): whether the platform offers them, the Kubernetes versions served, the default. */
export const loadHouses = async () => parse<HousesAnswer>(await fetch('/api/v1/houses'));

/** What the API would answer to the request: valid, or the refusal with its fields (a dry run, not an error). */
export const validateRequest = async (body: unknown) =>
  parse<{ valid: boolean; message?: string; fields?: FieldProblem[] }>(
    await change('POST', '/api/v1/tenants?dryRun=true', body),
  );

/** Sends the request: created (direct), committed to main, or proposed on a review branch (GitOps). */
export const submitRequest = async (body: unknown) =>
  parse<{ name: string; mode: 'direct' | 'gitops'; review?: ReviewProposal }>(
    await change('POST', '/api/v1/tenants', body),
  );

export const decommission = async (name: string, confirm: string) =>
  parse<unknown>(await change('DELETE', `/api/v1/tenants/${encodeURIComponent(name)}`, { confirm }));

/** Downloads a kubeconfig: the token is minted on request and never shown on the page. */
export async function downloadKubeconfig(name: string): Promise<{ file: Blob; expiresAt: string }> {
  const response = await change('POST', `/api/v1/tenants/${encodeURIComponent(name)}/kubeconfig`);
  if (!response.ok) await parse(response);
  return { file: await response.blob(), expiresAt: response.headers.get('x-token-expires-at') ?? '' };
}
