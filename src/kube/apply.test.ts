import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import { applyObject } from './apply.ts';
import { Discovery } from './discovery.ts';
import { KubeApiError, KubeHttp } from './http.ts';

const invalid = {
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  message:
    'NetworkPolicy.networking.k8s.io "default-deny-all" is invalid: spec.policyTypes[0]: Unsupported value: "Sideways"',
  reason: 'Invalid',
  details: { name: 'default-deny-all', causes: [{ field: 'spec.policyTypes[0]' }] },
  code: 422,
};

let server: Server;
let http: KubeHttp;

before(async () => {
  server = createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/apis/networking.k8s.io/v1')
      return json(200, { resources: [{ name: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true }] });
    if (req.url?.startsWith('/apis/networking.k8s.io/v1/namespaces/devteam-a/networkpolicies/'))
      return json(422, invalid);
    if (req.url === '/apis/argoproj.io/v1alpha1')
      return json(404, {
        kind: 'Status',
        reason: 'NotFound',
        message: 'the server could not find the requested resource',
        code: 404,
      });
    res.writeHead(503, { 'Content-Type': 'text/plain' });
    res.end('discovery is down');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  http = new KubeHttp({ server: address, insecureSkipTLSVerify: false, authHeaders: async () => ({}) });
});

after(() => {
  http.close();
  server.close();
});

const policy = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'default-deny-all', namespace: 'devteam-a' },
  spec: { podSelector: {}, policyTypes: ['Sideways'] },
};

async function applyFailure(object: object): Promise<KubeApiError> {
  return applyObject(http, new Discovery(http), object).then(
    () => assert.fail('the apply should fail'),
    (error: unknown) => error as KubeApiError,
  );
}

it("an apply error names the object, keeps the API server's message, status, reason and details", async () => {
  const error = await applyFailure(policy);
  assert.ok(error instanceof KubeApiError);
  assert.equal(error.message, `apply NetworkPolicy devteam-a/default-deny-all: ${invalid.message}`);
  assert.equal(error.status, 422);
  assert.equal(error.reason, 'Invalid');
  assert.deepEqual(error.details, invalid.details);
  assert.ok(error.cause instanceof KubeApiError);
  assert.equal(error.cause.message, invalid.message);
});

it('a group version the API server does not serve is named, the 404 kept as the cause', async () => {
  const application = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'x', namespace: 'argocd' },
  };
  const error = await applyFailure(application);
  assert.equal(
    error.message,
    'apply Application argocd/x: the API server does not serve argoproj.io/v1alpha1 (is its CRD installed?)',
  );
  assert.equal(error.status, 404);
  const discovery = error.cause as KubeApiError;
  assert.equal(discovery.status, 404);
  assert.equal((discovery.cause as KubeApiError).message, 'the server could not find the requested resource');
});

it('a kind missing from a served group version is named', async () => {
  const error = await applyFailure({ ...policy, kind: 'ClusterNetworkPolicy' });
  assert.match(
    error.message,
    /does not serve ClusterNetworkPolicy in networking\.k8s\.io\/v1 \(is its CRD installed\?\)$/,
  );
});

it('a failing discovery keeps its status and names the group version', async () => {
  const error = await applyFailure({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'devteam-a' } });
  assert.equal(error.status, 503);
  assert.match(
    error.message,
    /^apply Namespace devteam-a: discover v1: GET http:\/\/127\.0\.0\.1:\d+\/api\/v1: HTTP 503/,
  );
});

it('an object without a name is refused before any request, naming what it has', async () => {
  await assert.rejects(applyObject(http, new Discovery(http), { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }), {
    message: 'apply ConfigMap (unnamed): an applied object needs apiVersion, kind and metadata.name',
  });
});
