import type { Tenant, TenantStatus } from '../../api/tenant.ts';
import { houseKubernetesVersion, houseServerURL } from '../../tenancy/house-address.ts';
import { houseArgoName, houseNamespaceName } from '../../tenancy/names.ts';
import type { ConditionUpdate } from '../conditions.ts';
import type { ReconcileContext } from '../context.ts';
import { holdHouseAccess } from './house-access.ts';
import { readHouseCredentials, type HouseCredentials } from './house-credentials.ts';
import { askHouseVersion } from './house-version.ts';
import { holdHouseArgoCd, houseArgoCdCondition } from './house-argocd.ts';
import { withdrawHouseArgoCd } from './withdraw-house-argocd.ts';
import { hasHouseArgoCd } from '../../tenancy/house/tenant-argocd.ts';
import { registerHouse } from './register-house.ts';

/** The house's conditions, in the order a house comes up. */
export const houseConditions = ['HouseDeployed', 'HouseRegistered', 'HouseAPIReady', 'HouseArgoCDReady'] as const;

/** What one pass over a house found: its conditions, what status says of it, and when to look again. */
export interface HouseOutcome {
  outcomes: ConditionUpdate[];
  /** The first condition not True: the tenant is Provisioning while there is one. */
  cause: ConditionUpdate | undefined;
  status: Pick<TenantStatus, 'vclusterURL' | 'kubernetesVersion'>;
  requeueAfterMs: number;
  /** Conditions of what the house no longer has (its own Argo CD, turned off and taken away): dropped from status. */
  dropped: string[];
}

/** Looked at again this often while it comes up, and this often once up (the up gauge fed; credentials are watched). */
const comingUpMs = 5000;
const upMs = 30_000;

/**
 * After the concerns are held: is the host Argo CD's Application Synced and Healthy, is the house registered with
 * its current credentials, does its API server answer /version with the requested minor through them.
 */
export async function holdHouse(ctx: ReconcileContext, tenant: Tenant): Promise<HouseOutcome> {
  const server = houseServerURL(tenant, ctx.platform);
  const deployed = applicationState(ctx, tenant);
  ctx.houseCredentials?.follow(tenant);
  const credentials = await readHouseCredentials(ctx.http, tenant);
  let registered: ConditionUpdate;
  let api: ConditionUpdate;
  let kubernetesVersion = tenant.status?.kubernetesVersion;
  if (!credentials) {
    const secret = `${houseNamespaceName(tenant)}/vc-${tenant.spec.teamName}`;
    registered = {
      type: 'HouseRegistered',
      status: 'False',
      reason: 'WaitingForCredentials',
      message: `vCluster has not written Secret ${secret} yet`,
    };
    api = {
      type: 'HouseAPIReady',
      status: 'Unknown',
      reason: 'WaitingForCredentials',
      message: 'no credentials to ask the house with yet',
    };
  } else {
    const wrote = await registerHouse(ctx.http, tenant, ctx.platform, credentials, ctx.countWrite);
    if (wrote)
      ctx.log(
        `[operator] tenant ${tenant.metadata.name}: house registered in Argo CD (cluster Secret ${houseArgoName(tenant)})`,
      );
    registered = {
      type: 'HouseRegistered',
      status: 'True',
      reason: 'Registered',
      message: `cluster Secret ${ctx.platform.argocd.namespace}/${houseArgoName(tenant)} holds the house's current credentials`,
    };
    const answer = await askHouseVersion(server, credentials);
    const minor = houseKubernetesVersion(tenant, ctx.platform).minor;
    if (!answer.ok) api = { type: 'HouseAPIReady', status: 'False', reason: 'NotAnswering', message: answer.problem };
    else {
      kubernetesVersion = answer.gitVersion;
      api = answer.gitVersion.startsWith(`v${minor}.`)
        ? {
            type: 'HouseAPIReady',
            status: 'True',
            reason: 'Answering',
            message: `${server} answers ${answer.gitVersion}`,
          }
        : {
            type: 'HouseAPIReady',
            status: 'False',
            reason: 'Upgrading',
            message: `${server} answers ${answer.gitVersion}, ${minor} requested`,
          };
    }
  }
  if (credentials && api.status === 'True') await holdHouseAccess(ctx, tenant, credentials);
  ctx.metrics.houseUp.set({ tenant: tenant.metadata.name }, api.status === 'True' ? 1 : 0);
  const cause = [deployed, registered, api].find((outcome) => outcome.status !== 'True');
  const argocd = await teamArgoCd(ctx, tenant, server, api, credentials);
  const outcomes = [deployed, registered, api, ...argocd.outcomes];
  await recordHouseTransitions(ctx, tenant, outcomes);
  return {
    outcomes,
    cause,
    status: { vclusterURL: server, ...(kubernetesVersion ? { kubernetesVersion } : {}) },
    requeueAfterMs: outcomes.every((outcome) => outcome.status === 'True') ? upMs : comingUpMs,
    dropped: argocd.dropped,
  };
}

/** The team's own Argo CD has its condition, but does not hold the house back: the house is usable without it. */
async function teamArgoCd(
  ctx: ReconcileContext,
  tenant: Tenant,
  server: string,
  api: ConditionUpdate,
  credentials: HouseCredentials | undefined,
): Promise<{ outcomes: ConditionUpdate[]; dropped: string[] }> {
  const answering = api.status === 'True' ? credentials : undefined;
  if (hasHouseArgoCd(tenant)) return { outcomes: [await holdHouseArgoCd(ctx, tenant, server, answering)], dropped: [] };
  // Turned off (or never on): what Landlord put in for it goes, then its condition; nothing to do once it is gone.
  const had = tenant.status?.conditions?.some((condition) => condition.type === houseArgoCdCondition);
  if (!had) return { outcomes: [], dropped: [] };
  const withdrawn = await withdrawHouseArgoCd(ctx, tenant, server, answering);
  return { outcomes: [], dropped: withdrawn ? [houseArgoCdCondition] : [] };
}

/** HouseDeployed from the host Argo CD's Application as cached: Synced and Healthy, or what it is instead. */
function applicationState(ctx: ReconcileContext, tenant: Tenant): ConditionUpdate {
  const app = ctx.cache.get('Application', houseArgoName(tenant), ctx.platform.argocd.namespace) as
    { status?: { sync?: { status?: string }; health?: { status?: string; message?: string } } } | undefined;
  const { sync = {}, health = {} } = app?.status ?? {};
  const name = `Application ${houseArgoName(tenant)}`;
  if (sync.status === 'Synced' && health.status === 'Healthy')
    return { type: 'HouseDeployed', status: 'True', reason: 'SyncedHealthy', message: `${name} is Synced and Healthy` };
  const state = `${sync.status ?? 'Unknown'}/${health.status ?? 'Unknown'}`;
  const detail = health.message ? `: ${health.message}` : '';
  return { type: 'HouseDeployed', status: 'False', reason: 'Deploying', message: `${name} is ${state}${detail}` };
}

/** An Event each time a house condition changes status (its message never holds a credential). */
async function recordHouseTransitions(ctx: ReconcileContext, tenant: Tenant, outcomes: ConditionUpdate[]) {
  for (const outcome of outcomes) {
    const before = tenant.status?.conditions?.find((condition) => condition.type === outcome.type)?.status;
    if (before === outcome.status) continue;
    const type = outcome.status === 'False' && before === 'True' ? 'Warning' : 'Normal';
    await ctx.events.record(tenant, type, outcome.reason, `${outcome.type} ${outcome.status}: ${outcome.message}`);
  }
}
