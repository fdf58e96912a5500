import type { Tenant } from '../../api/tenant.ts';
import { KubeApiError } from '../../kube/api-error.ts';
import { apiPath } from '../../kube/api-path.ts';
import type { KubernetesObject } from '../../kube/object.ts';
import { resources } from '../../kube/resources.ts';
import { isHouse } from '../../tenancy/house/is-house.ts';
import { houseServerURL } from '../../tenancy/house-address.ts';
import { houseArgoName, houseOidcClientId } from '../../tenancy/names.ts';
import type { ReconcileContext } from '../context.ts';
import { terminateRunningSync } from '../terminate-sync.ts';
import { removeHouseAccess } from './house-access.ts';

interface Application extends KubernetesObject {
  spec?: { project?: string; destination?: { server?: string; name?: string } };
}

/**
 * A house goes in order before its concerns: what the host Argo CD deployed into it (Applications of its project or
 * aimed at its server, each deleted with what it deployed), then its registration, then the vCluster Application
 * (cascade: the chart's objects); the concerns then take the project, RBAC, policies, quota and the namespace. A
 * finalizer the team left inside the house holds a step at most houses.teardownSeconds after the deletion began:
 * then the step's Applications lose their finalizers (Argo CD's cascade, or any other) and the teardown goes on,
 * and says so. Returns what it waits for.
 */
export async function tearDownHouse(ctx: ReconcileContext, tenant: Tenant): Promise<string | undefined> {
  if (!isHouse(tenant)) return undefined;
  await removeHouseAccess(ctx, tenant);
  const overdue = secondsSinceDeletion(tenant) >= ctx.platform.houses.teardownSeconds;
  const apps = await houseApplications(ctx, tenant);
  const main = apps.find((app) => app.metadata?.name === houseArgoName(tenant));
  const inside = apps.filter((app) => app !== main);
  const ours = inside.filter((app) => app.spec?.project === houseArgoName(tenant));
  const insideWait = await letGo(ctx, ours, overdue, 'deployed into the house');
  if (insideWait) return insideWait;
  // Someone else's Applications aimed at the house are never Landlord's to delete: waited for, then left as they are.
  const foreign = inside.filter((app) => !ours.includes(app)).map((app) => app.metadata?.name);
  if (foreign.length > 0 && !overdue)
    return `waiting for Application ${foreign.join(', ')} (not Landlord's, aimed at the house) to be deleted by its owner; houses.teardownSeconds ${ctx.platform.houses.teardownSeconds}`;
  const secret = ctx.cache.get('Secret', houseArgoName(tenant), ctx.platform.argocd.namespace);
  if (secret) {
    await ctx.applier.deleteOwned(secret, tenant);
    return `waiting for the registration (Secret ${houseArgoName(tenant)}) to be deleted`;
  }
  if (main) return letGo(ctx, [main], overdue, 'the vCluster release');
  // The house's client in the identity provider signs nobody in any more (absent already is fine).
  await ctx.oidcClients?.remove(houseOidcClientId(tenant));
  ctx.metrics.houseUp.remove({ tenant: tenant.metadata.name });
  ctx.houseCredentials?.forget(tenant.metadata.name);
  return undefined;
}

/** Deletes the Applications (with cascade); once overdue, removes their finalizers so the house can go. */
async function letGo(ctx: ReconcileContext, apps: Application[], overdue: boolean, what: string) {
  if (apps.length === 0) return undefined;
  for (const app of apps) {
    const path = apiPath(resources.argoApplication, { namespace: app.metadata?.namespace, name: app.metadata?.name });
    if (await terminateRunningSync(ctx.http, app)) ctx.countWrite('terminate-sync');
    if (!app.metadata?.deletionTimestamp) await ignoringGone(ctx.http.request({ method: 'DELETE', path }));
    // The house goes whole with its namespace: what a finalizer would still clean inside it goes with it.
    else if (overdue && app.metadata.finalizers?.length)
      await ignoringGone(
        ctx.http.request({
          method: 'PATCH',
          path,
          body: { metadata: { finalizers: null } },
          contentType: 'application/merge-patch+json',
        }),
      );
    ctx.countWrite('delete');
  }
  const names = apps.map((app) => app.metadata?.name).join(', ');
  const bound = `; houses.teardownSeconds ${ctx.platform.houses.teardownSeconds}`;
  return overdue
    ? `gave up waiting for what the house holds back (Application ${names}, ${what}) after${bound}: its finalizers removed`
    : `waiting for Application ${names} (${what}) to be deleted${bound}`;
}

/** The host Argo CD's Applications of the house: in its project, or aimed at its server. */
async function houseApplications(ctx: ReconcileContext, tenant: Tenant): Promise<Application[]> {
  const server = houseServerURL(tenant, ctx.platform);
  const project = houseArgoName(tenant);
  const list = await ctx.http.request<{ items: Application[] }>({
    method: 'GET',
    path: apiPath(resources.argoApplication, { namespace: ctx.platform.argocd.namespace }),
  });
  return list.items
    .filter(
      (app) =>
        app.spec?.project === project ||
        app.spec?.destination?.server === server ||
        app.spec?.destination?.name === project,
    )
    .map((app) => ({ ...app, kind: 'Application', apiVersion: resources.argoApplication.apiVersion }));
}

function secondsSinceDeletion(tenant: Tenant): number {
  const since = Date.parse(tenant.metadata.deletionTimestamp ?? '');
  return Number.isNaN(since) ? 0 : (Date.now() - since) / 1000;
}

async function ignoringGone(request: Promise<unknown>): Promise<void> {
  try {
    await request;
  } catch (error) {
    if (!(error instanceof KubeApiError && error.status === 404)) throw error;
  }
}
