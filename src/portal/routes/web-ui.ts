import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The UI's scripts and styles come from the portal alone; nothing inline, nothing framed. */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** Serves the built web UI; paths that are not files get index.html (the UI routes them). */
export async function registerWebUi(app: FastifyInstance, root: string): Promise<void> {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', contentSecurityPolicy);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
  });
  await app.register(fastifyStatic, { root, index: 'index.html', wildcard: false });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (request.method !== 'GET' || path.startsWith('/api/') || path.startsWith('/auth/')) {
      return reply.status(404).send({ error: { code: 'not-found', message: `no route ${request.method} ${path}` } });
    }
    return reply.type('text/html; charset=utf-8').sendFile('index.html');
  });
}
