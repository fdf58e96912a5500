import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { canSee } from '../authorization.ts';
import type { PortalContext } from '../context.ts';
import { requireUser } from '../guards.ts';
import { tenantSummary } from '../tenant-summary.ts';
import type { PortalUser } from '../user.ts';

/** Comments this often keep proxies from closing a quiet stream, and notice a session that ended. */
const heartbeatMs = 15_000;

/**
 * Live status as Server-Sent Events: a snapshot of the user's tenants, then each tenant again whenever it
 * (or its quota usage) changes, and `deleted` when it is gone. EventSource reconnects by itself.
 */
export function registerEventRoutes(app: FastifyInstance, context: PortalContext): void {
  const open = new Set<ServerResponse>();
  // Streams never end by themselves: closing the portal ends them, or it would wait for every browser.
  app.addHook('preClose', async () => {
    for (const stream of open) stream.end();
  });
  app.get(
    '/api/v1/events',
    { schema: { summary: 'Live status of your tenants (text/event-stream)', tags: ['tenants'] } },
    async (request, reply) => {
      const user = requireUser(request);
      const visible = (name: string) => {
        const tenant = context.tenants.get(name);
        return tenant && canSee(user, tenant, context.policy) ? tenant : undefined;
      };
      reply.hijack();
      const raw = reply.raw;
      open.add(raw);
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      const send = (event: string, data: unknown) => raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      const items = context.tenants.list().filter((tenant) => canSee(user, tenant, context.policy));
      send('snapshot', {
        items: items.map((tenant) => tenantSummary(tenant, context.tenants.quotaOf(tenant.metadata.name))),
      });
      const unsubscribe = context.tenants.subscribe((change) => {
        const tenant = change.tenant && visible(change.name);
        if (tenant) send('tenant', tenantSummary(tenant, context.tenants.quotaOf(change.name)));
        else if (!change.tenant && change.previous && canSee(user, change.previous, context.policy)) {
          send('deleted', { name: change.name });
        }
      });
      // heartbeatOrEnd() never rejects: a session it cannot check ends the stream, as an ended one does.
      const heartbeat = setInterval(() => void heartbeatOrEnd(request, user, raw), heartbeatMs);
      raw.on('close', () => {
        open.delete(raw);
        clearInterval(heartbeat);
        unsubscribe();
      });
    },
  );
}

/** A heartbeat comment, or the end of the stream when its session has ended or cannot be checked. */
async function heartbeatOrEnd(request: FastifyRequest, user: PortalUser, raw: ServerResponse): Promise<void> {
  try {
    if (await sessionEnded(request, user)) raw.end();
    else raw.write(': heartbeat\n\n');
  } catch {
    raw.end();
  }
}

/** Whether the session behind a stream was signed out or expired since the stream began. */
async function sessionEnded(request: FastifyRequest, user: PortalUser): Promise<boolean> {
  return new Promise((resolve) =>
    request.sessionStore.get(request.session.sessionId, (error, session) =>
      resolve(Boolean(error) || !session || session.user?.subject !== user.subject || expired(session.cookie?.expires)),
    ),
  );
}

const expired = (expires: Date | string | null | undefined) =>
  Boolean(expires) && new Date(expires as string).getTime() < Date.now();
