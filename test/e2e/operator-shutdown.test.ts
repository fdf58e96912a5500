import assert from 'node:assert/strict';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { tenantResource } from '../../src/api/crd.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import { KubeHttp } from '../../src/kube/http.ts';
import { operatorAccount, operatorKubeconfigPath } from '../../src/dev/admission.ts';
import { loadConnection } from '../../src/kube/kubeconfig.ts';
import { TenantOperator } from '../../src/operator/controller.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { deleteAllTenants } from '../support/cleanup.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { waitForPhase } from '../support/operator.ts';
import { waitFor, within } from '../support/wait.ts';

const { http, kubeconfig, cluster } = testCluster();
// The operators act as the operator's ServiceAccount: the admission policies let only it write Landlord's objects.
const operatorKubeconfig = operatorKubeconfigPath(cluster);
// The operators below lose their API server on purpose: another one tears their tenants down at the end.
after(async () => {
  const cleaner = new TenantOperator({
    kubeConfig: loadConnection(operatorKubeconfig),
    platform: testEnvironment().platform,
    identity: uniqueName('cleaner'),
  });
  const stop = new AbortController();
  const run = cleaner.run(stop.signal);
  // A client of its own: the file's client is closed by now (its after hook was registered first).
  const admin = new KubeHttp(loadConnection(kubeconfig));
  await deleteAllTenants(admin);
  admin.close();
  stop.abort();
  await run;
  cleaner.close();
});

/**
 * A TCP relay to the test API server (TLS passes through untouched) that can go dead the two ways a network does:
 * silent (connections stay open and accepted, no byte moves: a black hole) or refusing (nothing listens).
 */
class Relay {
  private readonly server: Server;
  private readonly pairs = new Set<[Socket, Socket]>();
  /** Every socket, relayed or held silent: close() ends them all. */
  private readonly sockets = new Set<Socket>();
  private silent = false;

  constructor(target: URL) {
    this.server = createServer((client) => {
      this.track(client);
      if (this.silent) return;
      const upstream = this.track(connect(Number(target.port), target.hostname));
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      for (const socket of pair) {
        socket.on('error', () => pair.forEach((end) => end.destroy()));
        socket.on('close', () => this.pairs.delete(pair));
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  private track(socket: Socket): Socket {
    this.sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => this.sockets.delete(socket));
    return socket;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** From now on nothing moves, in either direction, on open connections or new ones. */
  goSilent(): void {
    this.silent = true;
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** From now on connections are refused, and open ones reset. */
  refuse(): void {
    this.close();
  }

  close(): void {
    this.server.close();
    for (const socket of this.sockets) socket.destroy();
  }
}

/** A leading operator reaching the API server through a relay, with a Ready tenant of its own. */
async function leaderBehindRelay() {
  const connection = loadConnection(operatorKubeconfig);
  const relay = new Relay(new URL(connection.server));
  after(() => relay.close());
  const logs: string[] = [];
  const operator = new TenantOperator({
    kubeConfig: { ...connection, server: await relay.listen() },
    platform: testEnvironment().platform,
    identity: uniqueName('shutdown'),
    // Resync often: reconciles keep coming while the network dies.
    resyncMs: 200,
    leaderElection: { namespace: operatorAccount.namespace, name: uniqueName('lease'), retryPeriodMs: 200 },
    log: (line) => logs.push(line),
  });
  const stop = new AbortController();
  const run = operator.run(stop.signal);
  after(() => operator.close());
  const team = uniqueName('shutdown');
  await http.request({ method: 'POST', path: apiPath(tenantResource), body: validTenant(team, team) });
  await waitForPhase(team, 'Ready');
  await waitFor(() => operator.ready, 'the operator to lead with its caches filled');
  return { relay, stop, run, logs };
}

describe('stopping the operator once its API server is gone', () => {
  it('ends within 10 s when the API server stops answering (connections open, no byte back)', async () => {
    const { relay, stop, run, logs } = await leaderBehindRelay();
    relay.goSilent();
    stop.abort();
    await within(run, 10_000, 'run() after the stop');
    assert.ok(
      logs.some((line) => /released the lease|could not release the lease/.test(line)),
      logs.join('\n'),
    );
  });

  it('ends within 10 s when the API server refuses connections (`landlord dev down`)', async () => {
    const { relay, stop, run } = await leaderBehindRelay();
    relay.refuse();
    stop.abort();
    await within(run, 10_000, 'run() after the stop');
  });
});
