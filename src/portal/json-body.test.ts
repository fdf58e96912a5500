import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { errorBody, PortalError } from './errors.ts';
import { jsonDepth, maxJsonDepth, registerJsonBodyParser } from './json-body.ts';

describe('JSON request bodies', () => {
  it('counts nesting outside strings only', () => {
    assert.equal(jsonDepth('{"a": [1, {"b": 2}]}'), 3);
    assert.equal(jsonDepth('{"a": "[[[[{{{{\\"[["}'), 1);
    assert.equal(jsonDepth('"plain"'), 0);
    assert.equal(jsonDepth('['.repeat(30_000), 40), 41, 'stops counting past the limit');
  });

  it('refuses a body nested 30,000 levels deep with 400, parses ordinary ones, refuses __proto__', async () => {
    const app = Fastify();
    registerJsonBodyParser(app);
    app.setErrorHandler((error, _request, reply) => {
      const status =
        error instanceof PortalError ? error.status : ((error as { statusCode?: number }).statusCode ?? 500);
      return reply.status(status).send(errorBody(new PortalError(status, 'x', (error as Error).message)));
    });
    app.post('/echo', async (request) => JSON.stringify(request.body).length);
    const post = (payload: string) =>
      app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload });
    const deep = await post(`${'['.repeat(30_000)}${']'.repeat(30_000)}`);
    assert.equal(deep.statusCode, 400);
    assert.match(deep.body, new RegExp(`deeper than ${maxJsonDepth} levels`));
    const objects = await post(`${'{"a":'.repeat(30_000)}1${'}'.repeat(30_000)}`);
    assert.equal(objects.statusCode, 400);
    assert.equal((await post('{"spec": {"teamName": "a", "list": [[1]]}}')).statusCode, 200);
    assert.equal((await post('{"__proto__": {"admin": true}}')).statusCode, 400);
    assert.equal((await post('{"broken":')).statusCode, 400);
    await app.close();
  });
});
