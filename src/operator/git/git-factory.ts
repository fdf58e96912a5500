import type { Tenant } from '../../api/tenant.ts';
import {
  ForgeUnavailableError,
  type GitForge,
  type PushWebhook,
  type RepositoryRef,
  UnknownGroupError,
  UnknownTemplateError,
} from '../../integrations/git/git-forge.ts';
import type { ExternalThing } from '../../tenancy/concern.ts';
import type { GitRepositoryThing } from '../../tenancy/git-repository.ts';
import { isHouse } from '../../tenancy/house/is-house.ts';
import { hasHouseArgoCd } from '../../tenancy/house/tenant-argocd.ts';
import { houseWebhookSecret } from '../../tenancy/house/webhook-secret.ts';
import { initializerName } from '../../tenancy/names.ts';
import { requestRefresh } from '../house/refresh-application.ts';
import { type ExternalIntegration, type IntegrationContext, IntegrationRefusal } from '../external-integration.ts';
import { type HouseWebhookSource, keepHouseWebhook } from './house-webhook.ts';
import {
  cachedRepositorySecret,
  credentialsIn,
  withdrawCredentials,
  writeCredentials,
} from './repository-credentials.ts';

/** How the factory wires a repository to Argo CD. */
export interface GitFactoryOptions {
  /**
   * The host Argo CD's webhook endpoint and the secret pushes are signed with; without it Argo CD polls. A house's
   * repository also announces pushes to the house's Argo CD, with a secret derived from this one.
   */
  webhook?: PushWebhook;
}

/**
 * The Git repository factory as the operator's `git` integration: each tenant's repository made from its template,
 * `main` protected, the team's group granted, a read-only machine user for Argo CD; archived when the tenant goes.
 * What it converged is remembered per tenant, so a steady state asks the forge nothing.
 */
export function gitFactory(forge: GitForge, options: GitFactoryOptions = {}): ExternalIntegration & HouseWebhookSource {
  const converged = new Map<string, string>();
  const { webhook } = options;
  return {
    houseWebhookSecret: (tenant) => (webhook ? houseWebhookSecret(webhook.secret, tenant) : undefined),
    async ensure(thing, tenant, ctx) {
      const repository = thing.spec as unknown as GitRepositoryThing;
      const uid = tenant.metadata.uid ?? tenant.metadata.name;
      if (converged.get(uid) === convergedKey(repository, tenant, ctx)) return;
      try {
        await makeRepository(forge, repository);
        if (webhook) {
          await forge.ensureWebhook(refOf(repository), webhook);
          await keepHouseWebhook(forge, refOf(repository), tenant, ctx.platform, webhook);
        }
        await keepCredentials(forge, repository, tenant, ctx);
      } catch (error) {
        throw refusalOf(error, repository, thing);
      }
      converged.set(uid, convergedKey(repository, tenant, ctx));
    },
    async release(_thing, tenant, ctx) {
      converged.delete(tenant.metadata.uid ?? tenant.metadata.name);
      if (credentialsIn(cachedRepositorySecret(ctx, tenant))) await withdrawCredentials(ctx, tenant);
    },
    async retire(thing, tenant) {
      const repository = thing.spec as unknown as GitRepositoryThing;
      try {
        // Only the repository made for this tenant: one it was refused (another's, or made by hand) stays as it is.
        const found = await forge.findRepository(refOf(repository));
        if (found?.marker === repository.marker && !found.archived) {
          // The reader first: its token, wherever a copy was kept, must not read the history a later tenant never gets.
          await forge.removeReader(refOf(repository), repository.reader);
          await forge.archive(refOf(repository));
        }
      } catch (error) {
        throw refusalOf(error, repository, thing);
      }
      converged.delete(tenant.metadata.uid ?? tenant.metadata.name);
    },
  };
}

/** Repository, group, protection: each call converges, so a pass cut short is finished by the next one. */
async function makeRepository(forge: GitForge, repository: GitRepositoryThing): Promise<void> {
  const ref = refOf(repository);
  await forge.ensureOrganization(repository.organization);
  // Refused before anything is made: a repository nobody of the team could reach would be half a tenant.
  if (!(await forge.hasGroup(repository.organization, repository.group)))
    throw new UnknownGroupError(
      `directory group ${JSON.stringify(repository.group)} has no team in the forge's organisation ${repository.organization}`,
    );
  const made = await forge.ensureRepository(ref, { template: repository.template, marker: repository.marker });
  if (!made.created && made.marker !== repository.marker)
    throw new IntegrationRefusal('RepositoryNotOurs', notOursMessage(repository, made.marker, made.archived), true);
  await forge.grantGroup(ref, repository.group);
  await forge.protectBranch(ref, {
    branch: 'main',
    requiredApprovals: repository.requiredApprovals,
    approverTeams: repository.approverGroups,
  });
}

/** The reader's token, kept in the repository Secret while it still reads the repository, minted again if not. */
async function keepCredentials(
  forge: GitForge,
  repository: GitRepositoryThing,
  tenant: Tenant,
  ctx: IntegrationContext,
): Promise<void> {
  const secret = cachedRepositorySecret(ctx, tenant);
  if (!secret)
    throw new Error(`the repository Secret of ${repository.name} is not there yet (the Argo CD concern makes it)`);
  const current = credentialsIn(secret);
  const credentials = await forge.ensureReader(refOf(repository), repository.reader, current);
  if (current?.username === credentials.username && current.token === credentials.token) return;
  await writeCredentials(ctx, tenant, credentials);
  // Argo CD compared the initializer before it could read the repository: it would wait for its next poll (minutes).
  // A house's Argo CD is given the credentials inside the house (operator/house/house-argocd.ts) before its bootstrap.
  if (!isHouse(tenant)) await requestRefresh(ctx, ctx.platform.argocd.namespace, initializerName(tenant));
  ctx.log(
    `[operator] tenant ${tenant.metadata.name}: reader ${credentials.username} of ${repository.name} given to Argo CD`,
  );
}

/** What a converged tenant looked like: the thing as described, its repository Secret's version, its house's Argo CD. */
function convergedKey(repository: GitRepositoryThing, tenant: Tenant, ctx: IntegrationContext): string {
  const secret = cachedRepositorySecret(ctx, tenant);
  return JSON.stringify([repository, secret?.metadata?.resourceVersion ?? '', hasHouseArgoCd(tenant)]);
}

const refOf = (repository: GitRepositoryThing): RepositoryRef => ({
  organization: repository.organization,
  name: repository.name,
});

function notOursMessage(repository: GitRepositoryThing, marker: string | undefined, archived: boolean): string {
  const whose = marker ? `was made for ${marker}` : 'was not made by Landlord';
  const state = archived ? ', archived,' : '';
  return (
    `repository ${repository.organization}/${repository.name} exists on the forge${state} and ${whose}, not for this ` +
    `${repository.marker}: Landlord never takes over a repository it did not make for the tenant. A platform admin ` +
    `renames or moves the old repository (a fresh one is then made), or, to hand its history to this tenant, ` +
    `unarchives it and sets its description to "Managed by Landlord: ${repository.marker}"`
  );
}

/** The tenant's condition for what the forge answered. */
function refusalOf(error: unknown, repository: GitRepositoryThing, thing: ExternalThing): Error {
  if (error instanceof IntegrationRefusal) return error;
  const message = (error as Error).message;
  if (error instanceof ForgeUnavailableError)
    return new IntegrationRefusal(
      'ForgeUnavailable',
      `the forge did not answer while keeping ${thing.name} (${message}); the tenant waits and the repository is finished when it is back`,
      false,
    );
  if (error instanceof UnknownTemplateError)
    return new IntegrationRefusal(
      'TemplateNotFound',
      `git.factory.templates: template ${repository.template.organization}/${repository.template.name} is not a template repository on the forge (${message}); a platform admin creates it or names another`,
      true,
    );
  if (error instanceof UnknownGroupError)
    return new IntegrationRefusal(
      'GroupNotOnForge',
      `spec.adGroup: ${JSON.stringify(repository.group)} has no team in the forge's organisation ${repository.organization}; nothing was made: the forge must mirror the directory group (LDAP group sync, or its administrators) before the team gets its repository`,
      true,
    );
  return new IntegrationRefusal('GitRepositoryFailed', `keeping ${thing.name}: ${message}`, false);
}
