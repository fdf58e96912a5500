import type { Tenant } from '../../api/tenant.ts';
import { KubeApiError } from '../../kube/api-error.ts';
import { apiPath, type ResourceType } from '../../kube/api-path.ts';
import { fieldManager } from '../../kube/apply.ts';
import type { KubeHttp } from '../../kube/http.ts';
import { resources } from '../../kube/resources.ts';
import { houseArgoCdURL } from '../../tenancy/house-address.ts';
import { buildHouseArgoCdIngress, hasHouseArgoCdIngress } from '../../tenancy/house/argocd-ingress.ts';
import { buildHouseBootstrapApplication } from '../../tenancy/house/bootstrap-application.ts';
import { buildHouseRepositorySecret } from '../../tenancy/house/team-repository-secret.ts';
import { buildHouseWebhookSecret } from '../../tenancy/house/webhook-secret.ts';
import { usesGitFactory } from '../../tenancy/git-repository.ts';
import { houseWebhookSecretOf } from '../git/house-webhook.ts';
import { cachedRepositorySecret, credentialsIn } from '../git/repository-credentials.ts';
import type { Manifest } from '../../tenancy/manifest.ts';
import {
  houseArgoCdApplicationName,
  houseArgoCdNamespace,
  houseOidcClientId,
  houseSsoSecretName,
} from '../../tenancy/names.ts';
import { tenantLabels } from '../../tenancy/ownership.ts';
import type { ConditionUpdate } from '../conditions.ts';
import type { ReconcileContext } from '../context.ts';
import type { HouseCredentials } from './house-credentials.ts';
import { houseHttp } from './house-http.ts';
import { refreshWhenClusterUnknown, type HostApplication } from './refresh-application.ts';
import { deleteInside, ingresses, insideIngress } from './withdraw-house-argocd.ts';

const secrets: ResourceType = { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true };

/** The condition this file keeps. */
export const houseArgoCdCondition = 'HouseArgoCDReady';

/** What one part of the team's Argo CD waits for: nothing, or a reason and a sentence. */
type Wait = { reason: string; message: string } | undefined;

/**
 * The team's own Argo CD, once the house answers: its host Application argocd-<team> Synced and Healthy, and inside
 * the house, written with the house's admin credentials, the SSO Secret (the client secret from the platform's
 * identity provider), the bootstrap Application and, when the platform has an ingress for it, argocd-server's
 * Ingress, each only when it differs from what is there, so a team's edit or
 * deletion is put back at the next look. The client secret goes into the request body only: never a log line, an
 * event, a status or an annotation.
 */
export async function holdHouseArgoCd(
  ctx: ReconcileContext,
  tenant: Tenant,
  server: string,
  credentials: HouseCredentials | undefined,
): Promise<ConditionUpdate> {
  if (!credentials)
    return {
      type: houseArgoCdCondition,
      status: 'Unknown',
      reason: 'WaitingForHouse',
      message: 'waiting for the house’s API server to answer',
    };
  const installed = await hostApplicationWait(ctx, tenant);
  const http = houseHttp(server, credentials);
  let sso: Wait;
  let webhook: Wait;
  let repository: Wait;
  let bootstrap: Wait;
  let ingress: Wait;
  try {
    sso = await holdSsoSecret(ctx, http, tenant);
    webhook = await holdWebhookSecret(ctx, http, tenant);
    repository = await holdTeamRepository(ctx, http, tenant);
    // The bootstrap reads the team's repository: not before the house's Argo CD may read it.
    bootstrap =
      repository ??
      (await holdInside(ctx, http, tenant, buildHouseBootstrapApplication(tenant, ctx.platform), {
        resource: resources.argoApplication,
        missing: 'Argo CD’s Application kind inside the house (the host Application installs it)',
      }));
    if (hasHouseArgoCdIngress(tenant, ctx.platform))
      ingress = await holdInside(ctx, http, tenant, buildHouseArgoCdIngress(tenant, ctx.platform), {
        resource: ingresses,
        missing: `namespace ${houseArgoCdNamespace} inside the house (the host Application creates it)`,
      });
    // The platform's ingress turned off: Landlord's Ingress goes, so the house's Argo CD is not left published.
    else await deleteInside(ctx, http, tenant, insideIngress);
  } finally {
    http.close();
  }
  const waits = [installed, sso, webhook, repository, bootstrap, ingress].filter((wait) => wait !== undefined);
  if (waits.length === 0)
    return {
      type: houseArgoCdCondition,
      status: 'True',
      reason: 'Ready',
      message: `${houseArgoCdURL(tenant, ctx.platform)}: Application ${houseArgoCdApplicationName(tenant)} is Synced and Healthy; ${houseSsoSecretName} and ${buildHouseBootstrapApplication(tenant, ctx.platform).metadata.name} are in place`,
    };
  return {
    type: houseArgoCdCondition,
    status: 'False',
    reason: waits[0]?.reason ?? 'Waiting',
    message: `waiting for ${waits.map((wait) => wait.message).join('; ')}`,
  };
}

/** The host Argo CD's Application argocd-<team> as cached: Synced and Healthy, or what it is instead. */
async function hostApplicationWait(ctx: ReconcileContext, tenant: Tenant): Promise<Wait> {
  const name = houseArgoCdApplicationName(tenant);
  const app = ctx.cache.get('Application', name, ctx.platform.argocd.namespace) as HostApplication | undefined;
  // Made once the status says the house answers (tenancy/house/argocd-gate.ts): the next pass after it first did.
  if (!app) return { reason: 'Installing', message: `the host Argo CD’s Application ${name} to exist` };
  if (await refreshWhenClusterUnknown(ctx, app))
    ctx.log(
      `[operator] tenant ${tenant.metadata.name}: asked Argo CD to refresh ${name} (it did not know or could not reach the house yet)`,
    );
  const { sync = {}, health = {} } = app.status ?? {};
  if (sync.status === 'Synced' && health.status === 'Healthy') return undefined;
  const detail = health.message ? `: ${health.message}` : '';
  return {
    reason: 'Installing',
    message: `Application ${name} to be Synced and Healthy (it is ${sync.status ?? 'Unknown'}/${health.status ?? 'Unknown'}${detail})`,
  };
}

/**
 * With the Git factory, the team's repository as the house's Argo CD reads it: the reader's credentials the factory
 * keeps in the host's repository Secret, written into the house's `argocd` namespace.
 */
async function holdTeamRepository(ctx: ReconcileContext, http: KubeHttp, tenant: Tenant): Promise<Wait> {
  if (!usesGitFactory(tenant, ctx.platform)) return undefined;
  const reader = credentialsIn(cachedRepositorySecret(ctx, tenant));
  if (!reader)
    return {
      reason: 'WaitingForRepository',
      message: `the Git factory’s reader of the team’s repository (GitRepositoryReady)`,
    };
  return holdInside(ctx, http, tenant, buildHouseRepositorySecret(tenant, ctx.platform, reader), {
    resource: resources.secret,
    missing: `namespace ${houseArgoCdNamespace} inside the house (the host Application creates it)`,
  });
}

/**
 * With the Git factory announcing pushes, the secret they are signed with, in the house's argocd-secret (only its
 * webhook keys: the rest is Argo CD's). The team may change it (it is cluster-admin there): then its pushes are
 * refused until the next look puts it back.
 */
async function holdWebhookSecret(ctx: ReconcileContext, http: KubeHttp, tenant: Tenant): Promise<Wait> {
  if (!usesGitFactory(tenant, ctx.platform)) return undefined;
  const secret = houseWebhookSecretOf(ctx.integrations, tenant);
  if (!secret) return undefined;
  return holdInside(ctx, http, tenant, buildHouseWebhookSecret(secret), {
    resource: secrets,
    missing: `namespace ${houseArgoCdNamespace} inside the house (the host Application creates it)`,
  });
}

/** The house's OIDC client from the platform's identity provider, and its secret in the house's `argocd` namespace. */
async function holdSsoSecret(ctx: ReconcileContext, http: KubeHttp, tenant: Tenant): Promise<Wait> {
  if (!ctx.oidcClients)
    return {
      reason: 'WaitingForIdentityProvider',
      message:
        'single sign-on: no OIDC client registry is configured, so the house’s client in the identity provider cannot be made',
    };
  let secret: string;
  try {
    const client = {
      id: houseOidcClientId(tenant),
      name: `Argo CD of ${tenant.spec.teamName}`,
      redirectURIs: [`${houseArgoCdURL(tenant, ctx.platform)}/auth/callback`],
    };
    secret = (await ctx.oidcClients.ensure(client)).secret;
  } catch (error) {
    return {
      reason: 'WaitingForIdentityProvider',
      message: `single sign-on: the identity provider did not make client ${houseOidcClientId(tenant)}: ${(error as Error).message}`,
    };
  }
  return holdInside(ctx, http, tenant, ssoSecret(tenant, secret), {
    resource: secrets,
    missing: `namespace ${houseArgoCdNamespace} inside the house (the host Application creates it)`,
  });
}

/** The SSO Secret as Argo CD reads `$landlord-sso:clientSecret`: in its namespace, labelled part-of argocd. */
function ssoSecret(tenant: Tenant, clientSecret: string): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: houseSsoSecretName,
      namespace: houseArgoCdNamespace,
      labels: { ...tenantLabels(tenant), 'app.kubernetes.io/part-of': 'argocd' },
    },
    type: 'Opaque',
    data: { clientSecret: Buffer.from(clientSecret).toString('base64') },
  };
}

/**
 * Reads the object inside the house and server-side applies it (field manager `landlord`, forced) only when what
 * Landlord sets differs from what is there: gone, edited, or never written. A 404 on the write means its namespace or
 * kind is not there yet: waited for, with `missing` saying which.
 */
async function holdInside(
  ctx: ReconcileContext,
  http: KubeHttp,
  tenant: Tenant,
  desired: Manifest,
  wait: { resource: ResourceType; missing: string },
): Promise<Wait> {
  const path = apiPath(wait.resource, { namespace: desired.metadata.namespace, name: desired.metadata.name });
  const live = await getOrUndefined(http, path);
  if (live && holds(live, desired)) return undefined;
  try {
    await http.request({
      method: 'PATCH',
      path,
      query: { fieldManager, force: 'true', fieldValidation: 'Strict' },
      body: desired,
      contentType: 'application/apply-patch+yaml',
      timeoutMs: 10_000,
    });
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404)
      return { reason: 'WaitingForArgoCD', message: wait.missing };
    // Only the API server's message: the request body (a client secret, perhaps) is never part of it.
    throw new Error(
      `apply ${desired.kind} ${houseArgoCdNamespace}/${desired.metadata.name} inside the house of ${tenant.spec.teamName}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  ctx.countWrite('house-argocd');
  ctx.log(
    `[operator] tenant ${tenant.metadata.name}: ${live ? 'put back' : 'wrote'} ${desired.kind} ${houseArgoCdNamespace}/${desired.metadata.name} inside the house`,
  );
  return undefined;
}

/**
 * Whether the live object holds everything Landlord sets: its labels, a Secret's keys (others' keys, such as Argo CD's
 * own in argocd-secret, are theirs), and a spec as desired.
 */
function holds(live: Record<string, unknown>, desired: Manifest): boolean {
  const labels = (live.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {};
  if (!includes(labels, desired.metadata.labels ?? {})) return false;
  if (desired.kind === 'Secret')
    return includes((live.data ?? {}) as Record<string, string>, (desired.data ?? {}) as Record<string, string>);
  return sameJson(live.spec, desired.spec);
}

/** Whether every key of `wanted` has its value in `live`. */
function includes(live: Record<string, string>, wanted: Record<string, string>): boolean {
  return Object.entries(wanted).every(([key, value]) => live[key] === value);
}

/** Equal as JSON, whatever the order of keys. */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, inner]) => [key, sorted(inner)]),
    );
  return value;
}

async function getOrUndefined(http: KubeHttp, path: string): Promise<Record<string, unknown> | undefined> {
  try {
    return await http.request<Record<string, unknown>>({ method: 'GET', path, timeoutMs: 10_000 });
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return undefined;
    throw error;
  }
}
