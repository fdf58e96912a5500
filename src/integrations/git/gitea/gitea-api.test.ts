import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { ForgeUnavailableError } from '../git-forge.ts';
import { expectStatus, forgeUnavailable, GiteaApiError, giteaApi, isUnavailableStatus } from './gitea-api.ts';

/** A loopback server answering every call with the status and body given; closed after the body runs. */
async function withServer(status: number, body: string, run: (url: string) => Promise<void>): Promise<void> {
  const server = createServer((_request, response) => response.writeHead(status).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('the Gitea API client', () => {
  it('counts 5xx answers as the forge being unavailable, and nothing else', () => {
    for (const status of [500, 502, 503, 504, 599]) assert.equal(isUnavailableStatus(status), true, String(status));
    for (const status of [200, 201, 204, 400, 401, 403, 404, 409, 422, 429]) {
      assert.equal(isUnavailableStatus(status), false, String(status));
    }
  });

  it('names the forge, the call and the reason, without the user info of its URL', () => {
    const error = forgeUnavailable('http://landlord:s3cret@forge.example/git/', 'GET', '/repos/a/b', 'answered 502');
    assert.ok(error instanceof ForgeUnavailableError);
    assert.equal(error.message, 'the forge at http://forge.example/git failed GET /repos/a/b: answered 502');
  });

  it('turns a 5xx answer into ForgeUnavailableError, with the status and never the token', async () => {
    await withServer(503, '{"message":"database is locked"}', async (url) => {
      const api = giteaApi(url, { token: 'tok-never-shown' });
      const error = await api.request('GET', '/version').catch((failure: Error) => failure);
      assert.ok(error instanceof ForgeUnavailableError);
      assert.equal(error.message, `the forge at ${url} failed GET /version: answered 503 database is locked`);
      assert.ok(!error.message.includes('tok-never-shown'));
    });
  });

  it('turns a refused connection into ForgeUnavailableError naming the cause', async () => {
    let closedUrl = '';
    await withServer(200, '', async (url) => void (closedUrl = url));
    const api = giteaApi(closedUrl, { username: 'reader', password: 'pw-never-shown' });
    const error = await api.request('POST', '/orgs', { username: 'x' }).catch((failure: Error) => failure);
    assert.ok(error instanceof ForgeUnavailableError);
    assert.match(error.message, new RegExp(`^the forge at ${closedUrl} failed POST /orgs: .*ECONNREFUSED`));
    assert.ok(!error.message.includes('pw-never-shown'));
  });

  it('keeps a 4xx answer a value, and an unexpected one a GiteaApiError naming the call and the status', async () => {
    await withServer(404, '404 page not found', async (url) => {
      const api = giteaApi(url, { token: 't' });
      assert.deepEqual(await api.request('GET', '/repos/a/b'), {
        status: 404,
        body: { message: '404 page not found' },
      });
      await assert.rejects(
        expectStatus(api, 'GET', '/repos/a/b', [200]),
        (error: Error) =>
          error instanceof GiteaApiError &&
          error.message === 'Gitea GET /repos/a/b answered 404 (expected 200): 404 page not found',
      );
    });
  });
});
