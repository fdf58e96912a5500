import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Tenant } from '../../api/tenant.ts';
import { canDecommission, mayRequest, requestRefusal, visibleTenant } from '../authorization.ts';
import type { PortalContext } from '../context.ts';
import { PortalError } from '../errors.ts';
import { csrfGuard, requireUser } from '../guards.ts';
import { sendInBackground } from '../mailer.ts';
import { acceptedMail } from '../notifications.ts';
import { tenantRequestSchema } from '../openapi.ts';
import { refuseBeyondLimits } from '../request-limits.ts';
import type { ReviewProposal } from '../review-proposal.ts';
import { tenantFromRequest } from '../tenant-request.ts';
import { refuseNamesTaken } from '../name-refusal.ts';
import { refuseHouseNotOffered } from '../house-offer.ts';
import type { PortalUser } from '../user.ts';

/** Requesting and decommissioning tenants: the portal's state-changing calls, each audited. */
export function registerRequestRoutes(app: FastifyInstance, context: PortalContext): void {
  const requestSchema = {
    summary: 'Request a tenant (direct: creates it; GitOps: commits tenants/<name>.yaml). ?dryRun=true only validates.',
    tags: ['tenants'],
    querystring: { type: 'object', properties: { dryRun: { type: 'boolean' } } },
    body: tenantRequestSchema,
  };
  app.post('/api/v1/tenants', { preHandler: csrfGuard(app), schema: requestSchema }, async (request, reply) => {
    // A dry run only answers; a request is issued on the directory's answer now.
    const dry = (request.query as { dryRun?: string }).dryRun === 'true';
    const user = dry ? requireUser(request) : await context.freshUser(request);
    // A dry run checks everything a request would (the form's inline validation) and changes nothing; its
    // verdict is the answer, so a refusal is a 200 with the fields, not an error.
    if (dry) return dryRun(request, user, context);
    let review: ReviewProposal | undefined;
    let pullRequest: string | undefined;
    const tenant = await context.audited(user, 'request', requestedName(request.body), async () => {
      const accepted = acceptRequest(request, user, context);
      const written = await context.writer.create(accepted, user);
      review = written.review;
      pullRequest = written.pullRequest;
      const { commit } = written;
      const where = { ...(review ? { review: review.branch } : {}), ...(pullRequest ? { pullRequest } : {}) };
      return { tenant: accepted, details: { mode: context.writer.mode, ...(commit ? { commit } : {}), ...where } };
    });
    // A request awaiting review is not accepted yet: the owner hears of it once it reaches main and the operator.
    if (context.mailer && !review) {
      sendInBackground(context.mailer, acceptedMail(tenant, user, context.writer.mode, context.publicURL), context.log);
    }
    return reply.status(202).send({
      name: tenant.metadata.name,
      mode: context.writer.mode,
      ...(review ? { review } : {}),
      ...(pullRequest ? { pullRequest } : {}),
    });
  });

  const decommissionSchema = {
    summary: "Decommission a tenant (its owner and platform admins); confirm with the tenant's name",
    tags: ['tenants'],
    body: { type: 'object', required: ['confirm'], properties: { confirm: { type: 'string' } } },
  };
  app.delete(
    '/api/v1/tenants/:name',
    { preHandler: csrfGuard(app), schema: decommissionSchema },
    async (request, reply) => {
      const user = await context.freshUser(request);
      let merged: string | undefined;
      const { name } = request.params as { name: string };
      await context.audited(user, 'decommission', name, async () => {
        const tenant = visibleTenant(context, user, name);
        if (!canDecommission(user, tenant, context.policy)) {
          throw new PortalError(
            403,
            'forbidden',
            `only the owner of ${name} (its spec.ownerEmail) and platform admins may decommission it`,
          );
        }
        const confirm = (request.body as { confirm?: unknown } | undefined)?.confirm;
        if (confirm !== name) {
          throw new PortalError(422, 'unconfirmed', `confirm: type the tenant's name (${name}) to decommission it`, [
            { path: 'confirm', message: `confirm: must be "${name}", was ${JSON.stringify(confirm ?? null)}` },
          ]);
        }
        if (tenant.metadata.deletionTimestamp)
          throw new PortalError(409, 'terminating', `${name} is already being decommissioned`);
        const { commit, pullRequest } = await context.writer.remove(tenant, user);
        // Nobody keeps an identity in a tenant being decommissioned (their tokens die with it).
        await context.access.revokeTenant(tenant);
        const details = {
          mode: context.writer.mode,
          ...(commit ? { commit } : {}),
          ...(pullRequest ? { pullRequest } : {}),
        };
        merged = pullRequest;
        return { tenant, details };
      });
      return reply.status(202).send({ name, mode: context.writer.mode, ...(merged ? { pullRequest: merged } : {}) });
    },
  );
}

/** What a request would get: valid with the tenant's name, or the refusal with its fields. */
function dryRun(request: FastifyRequest, user: PortalUser, context: PortalContext) {
  try {
    return { valid: true, name: acceptRequest(request, user, context).metadata.name };
  } catch (error) {
    if (!(error instanceof PortalError) || error.status >= 500) throw error;
    return { valid: false, status: error.status, message: error.message, fields: error.fields };
  }
}

/** The tenant a request asks for, if this user may request it and nothing already holds its names. */
function acceptRequest(request: FastifyRequest, user: PortalUser, context: PortalContext): Tenant {
  if (!mayRequest(user, context.policy)) {
    throw new PortalError(
      403,
      'forbidden',
      `only members of ${context.policy.requesterGroups.join(', ')} may request tenants`,
    );
  }
  const tenant = tenantFromRequest(request.body, context.platform);
  refuseHouseNotOffered(tenant, context.platform.houses);
  const refusal = requestRefusal(user, tenant, context.policy);
  if (refusal) throw new PortalError(403, 'forbidden', refusal, [{ path: 'spec.adGroup', message: refusal }]);
  const existing = context.tenants.list();
  if (existing.some((other) => other.metadata.name === tenant.metadata.name)) {
    throw new PortalError(409, 'exists', `a tenant named ${tenant.metadata.name} already exists`, [
      { path: 'name', message: `name: "${tenant.metadata.name}" is taken; choose another` },
    ]);
  }
  if (existing.some((other) => other.spec.teamName === tenant.spec.teamName)) {
    throw new PortalError(409, 'exists', `team ${tenant.spec.teamName} already has a tenant`, [
      {
        path: 'spec.teamName',
        message: `spec.teamName: "${tenant.spec.teamName}" already has a tenant (its namespaces are taken)`,
      },
    ]);
  }
  refuseNamesTaken(tenant, existing, context.platform);
  refuseBeyondLimits(tenant, existing, context.platform);
  return tenant;
}

/** The name a request asks for, as given (for the audit line of a refusal): its name, else its team's. */
function requestedName(body: unknown): string | undefined {
  const { name, spec } = (body ?? {}) as { name?: unknown; spec?: { teamName?: unknown } };
  const given = name ?? spec?.teamName;
  return typeof given === 'string' ? given.slice(0, 253) : undefined;
}
