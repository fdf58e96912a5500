import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { KubeApiError, KubeHttp } from './http.ts';

const proxyPage =
  '<html>\r\n<head><title>502 Bad Gateway</title><style>body { font-family: sans-serif; }</style></head>\r\n' +
  '<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n';
const conflict = {
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  message: 'namespaces "devteam-a" already exists',
  reason: 'AlreadyExists',
  details: { name: 'devteam-a', kind: 'namespaces' },
  code: 409,
};

/** What the test server answers on each path: status, content type, body. */
const answers: Record<string, [number, string | undefined, string]> = {
  '/html-502': [502, 'text/html', proxyPage],
  '/text-500': [500, 'text/plain; charset=utf-8', 'Internal error: webhook "quota.example.com" is unreachable\n'],
  '/long-500': [500, 'text/plain', 'x'.repeat(10_000)],
  '/empty-503': [503, undefined, ''],
  '/status-409': [409, 'application/json', JSON.stringify(conflict)],
  '/html-200': [200, 'text/html', '<html><body><h1>Welcome to nginx!</h1></body></html>'],
  '/cut-200': [200, 'application/json', '{"kind":"SecretList","items":[{"data":{"token":"c2VjcmV0LXZhbHVl'],
  '/odd-418': [418, 'text/plain', 'short and stout'],
};

let server: Server;
let http: KubeHttp;
let origin: string;

before(async () => {
  server = createServer((req, res) => {
    if (req.url === '/hang') return; // never answers: the client's timeout ends it
    const [status, type, body] = answers[new URL(req.url ?? '/', 'http://x').pathname] ?? [404, undefined, ''];
    res.writeHead(status, type ? { 'Content-Type': type } : {});
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  http = new KubeHttp({ server: origin, insecureSkipTLSVerify: false, authHeaders: async () => ({}) });
});

after(() => {
  http.close();
  server.close();
});

/** The error a request fails with (the test fails if it succeeds). */
async function failure(path: string, method: 'GET' | 'PATCH' = 'GET'): Promise<KubeApiError> {
  const error = await http.request({ method, path, query: { watch: '0' } }).then(
    () => assert.fail(`${path} should fail`),
    (error: unknown) => error,
  );
  return error as KubeApiError;
}

describe('answers that are not a Kubernetes Status keep their status and say what came back', () => {
  it("a proxy's HTML 502: BadGateway, the page's text without its markup, the request named", async () => {
    const error = await failure('/html-502', 'PATCH');
    assert.ok(error instanceof KubeApiError);
    assert.equal(error.status, 502);
    assert.equal(error.reason, 'BadGateway');
    assert.equal(
      error.message,
      `PATCH ${origin}/html-502: HTTP 502 Bad Gateway, not a Kubernetes Status (text/html): ` +
        '"502 Bad Gateway 502 Bad Gateway nginx/1.25.3"',
    );
  });

  it("a webhook's plain text 500: InternalError, the text as it was", async () => {
    const error = await failure('/text-500');
    assert.equal(error.status, 500);
    assert.equal(error.reason, 'InternalError');
    assert.match(error.message, /^GET http:\/\/127\.0\.0\.1:\d+\/text-500: HTTP 500 Internal Server Error/);
    assert.ok(error.message.endsWith('"Internal error: webhook \\"quota.example.com\\" is unreachable"'));
  });

  it('a long body is cut short', async () => {
    const error = await failure('/long-500');
    assert.ok(error.message.length < 400, `${error.message.length} characters`);
    assert.ok(error.message.endsWith('x…"'));
  });

  it('an empty 503: ServiceUnavailable, saying the body was empty', async () => {
    const error = await failure('/empty-503');
    assert.equal(error.status, 503);
    assert.equal(error.reason, 'ServiceUnavailable');
    assert.equal(error.message, `GET ${origin}/empty-503: HTTP 503 Service Unavailable, with an empty body`);
  });

  it('a status Kubernetes has no reason for keeps its code as the reason', async () => {
    const error = await failure('/odd-418');
    assert.equal(error.status, 418);
    assert.equal(error.reason, '418');
  });
});

it("a Kubernetes Status keeps the API server's reason, message and details verbatim", async () => {
  const error = await failure('/status-409');
  assert.equal(error.status, 409);
  assert.equal(error.reason, 'AlreadyExists');
  assert.equal(error.message, 'namespaces "devteam-a" already exists');
  assert.deepEqual(error.details, conflict.details);
});

it('a success that is not JSON names the request and quotes the start of the body', async () => {
  const error = await failure('/html-200');
  assert.equal(error.message, `GET ${origin}/html-200: HTTP 200 answer is not JSON (text/html): "Welcome to nginx!"`);
  assert.ok(error.cause instanceof SyntaxError);
});

it('a success declared JSON but cut short is never quoted (it may be part of a Secret)', async () => {
  const error = await failure('/cut-200');
  assert.match(error.message, /HTTP 200 answer is invalid JSON \(\d+ characters, application\/json\)$/);
  assert.doesNotMatch(error.message, /c2VjcmV0/);
  assert.equal(error.cause, undefined);
});

it('a watch answered by a proxy page fails like a request does', async () => {
  const error = await http
    .stream({ method: 'GET', path: '/html-502' }, () => undefined, new AbortController().signal)
    .then(
      () => assert.fail('the watch should fail'),
      (error: unknown) => error as KubeApiError,
    );
  assert.equal(error.status, 502);
  assert.match(error.message, /\/html-502: HTTP 502 Bad Gateway, not a Kubernetes Status/);
});

it('a refused connection names the server and keeps the network error as the cause', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const nowhere = new KubeHttp({
    server: `http://127.0.0.1:${port}`,
    insecureSkipTLSVerify: false,
    authHeaders: async () => ({}),
  });
  const error = await nowhere.request({ method: 'GET', path: '/api/v1/namespaces' }).then(
    () => assert.fail('nothing listens there'),
    (error: unknown) => error as Error,
  );
  nowhere.close();
  assert.equal(error.message, `GET http://127.0.0.1:${port}/api/v1/namespaces: connect ECONNREFUSED 127.0.0.1:${port}`);
  assert.equal((error.cause as NodeJS.ErrnoException).code, 'ECONNREFUSED');
});

it('a request without an answer in time names the request and the time it waited', async () => {
  const error = await http.request({ method: 'GET', path: '/hang', timeoutMs: 50 }).then(
    () => assert.fail('the server never answers'),
    (error: unknown) => error as Error,
  );
  assert.equal(error.message, `GET ${origin}/hang: no answer within 50ms`);
});

it("a request is aborted by its own signal or by the client's, naming the request", async () => {
  const own = new AbortController();
  const pending = http.request({ method: 'GET', path: '/hang', signal: own.signal });
  setImmediate(() => own.abort());
  const error = await pending.then(
    () => assert.fail('the server never answers'),
    (error: unknown) => error as Error,
  );
  assert.equal(error.message, `GET ${origin}/hang: aborted`);

  const stopping = new AbortController();
  const client = new KubeHttp(
    { server: origin, insecureSkipTLSVerify: false, authHeaders: async () => ({}) },
    { signal: stopping.signal },
  );
  const inFlight = client.request({ method: 'GET', path: '/hang' });
  setImmediate(() => stopping.abort());
  await assert.rejects(inFlight, { message: `GET ${origin}/hang: aborted` });
  await assert.rejects(client.request({ method: 'GET', path: '/html-200' }), {
    message: `GET ${origin}/html-200: aborted`,
  });
  client.close();
});
