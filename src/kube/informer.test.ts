import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, it } from 'node:test';
import type { KubernetesObject } from './object.ts';
import { KubeHttp } from './http.ts';
import { Informer, type InformerEvent } from './informer.ts';
import { waitFor, within } from '../../test/support/wait.ts';

// The API server cannot be made to answer 410 on demand, so this protocol case runs against a scripted server.
const item = (name: string, resourceVersion: string) => ({ metadata: { name, resourceVersion } });
const list = (resourceVersion: string, items: ReturnType<typeof item>[]) => ({
  apiVersion: 'v1',
  kind: 'ThingList',
  items,
  metadata: { resourceVersion },
});
const lists = [list('10', [item('a', '5'), item('b', '6')]), list('20', [item('b', '6'), item('c', '15')])];
const requests: string[] = [];
let listCalls = 0;
const server: Server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  requests.push(url.search);
  if (url.searchParams.get('watch') !== '1') {
    res.end(JSON.stringify(lists[Math.min(listCalls++, lists.length - 1)]));
  } else if (url.searchParams.get('resourceVersion') === '10') {
    res.write(
      `${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, message: 'too old resource version: 10 (18)' } })}\n`,
    );
    res.end();
  } else {
    res.write(`${JSON.stringify({ type: 'BOOKMARK', object: item('', '25') })}\n`);
  }
});
after(() => server.close());

it('relists after 410 Gone and emits what changed meanwhile, deletions included', async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const http = new KubeHttp({
    server: `http://127.0.0.1:${port}`,
    insecureSkipTLSVerify: false,
    authHeaders: async () => ({}),
  });
  const informer = new Informer<KubernetesObject>(http, { path: '/api/v1/things' });
  const events: InformerEvent<KubernetesObject>[] = [];
  informer.on((event) => events.push(event));
  await informer.start();
  await waitFor(() => events.length >= 4, 'four events', 5000, 10);
  await informer.stop();
  http.close();
  assert.deepEqual(
    events.map((event) => `${event.type} ${event.object.metadata?.name}`),
    ['add a', 'add b', 'delete a', 'add c'],
  );
  assert.deepEqual(
    informer
      .list()
      .map((object) => object.metadata?.name)
      .sort(),
    ['b', 'c'],
  );
  assert.ok(
    requests.some((query) => query.includes('allowWatchBookmarks=true')),
    'asks for bookmarks',
  );
});

it('stops at once when the API server accepts connections and never answers', async () => {
  // A dead network, not Kubernetes: every request hangs until the client gives up.
  const hanging: Server = createServer(() => {});
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  let asked = 0;
  hanging.on('request', () => asked++);
  const port = (hanging.address() as AddressInfo).port;
  const http = new KubeHttp({
    server: `http://127.0.0.1:${port}`,
    insecureSkipTLSVerify: false,
    authHeaders: async () => ({}),
  });
  const informer = new Informer<KubernetesObject>(http, { path: '/api/v1/things' });
  const started = informer.start();
  await waitFor(() => asked > 0, 'the list to be sent', 5000, 10);
  await within(Promise.all([informer.stop(), started]), 2000, 'stop() and start()');
  assert.equal(informer.hasSynced, false);
  http.close();
  hanging.closeAllConnections();
  hanging.close();
});
