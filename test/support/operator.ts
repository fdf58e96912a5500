import { after } from 'node:test';
import type { PlatformConfig } from '../../src/api/platform-config.ts';
import type { Tenant } from '../../src/api/tenant.ts';
import { operatorAccount, operatorKubeconfigPath } from '../../src/dev/admission.ts';
import { loadConnection } from '../../src/kube/kubeconfig.ts';
import { TenantOperator } from '../../src/operator/controller.ts';
import { localDexClientRegistry } from '../../src/dev/identity/local-dex-registry.ts';
import type { Integrations } from '../../src/operator/external-integration.ts';
import type { Concern } from '../../src/tenancy/concern.ts';
import { deleteAllTenants } from './cleanup.ts';
import { testCluster, testEnvironment, uniqueName } from './cluster.ts';
import { grantOperatorRights } from './operator-rights.ts';
import { waitFor } from './wait.ts';

/** Where the operator of the tests holds its lease: its own namespace, where its RBAC lets it. */
export const operatorLeaseNamespace = operatorAccount.namespace;

/**
 * Starts the operator in this test process against the test cluster, as its ServiceAccount (the admission policies
 * let no one else change its objects), with the rights of the concerns it is given; stopped after the file's tests.
 */
export function startOperator(
  options: {
    resyncMs?: number;
    concerns?: readonly Concern[];
    integrations?: Integrations;
    /** Changes to the test environment's platform settings (short node pool grace and drain times, say). */
    platform?: (platform: PlatformConfig) => PlatformConfig;
  } = {},
) {
  const { cluster, http } = testCluster();
  // As `landlord operator` with the local --dex-api flags: every test operator can make houses' OIDC clients.
  const oidcClients = localDexClientRegistry(testEnvironment().identity.api);
  const operator = new TenantOperator({
    kubeConfig: loadConnection(operatorKubeconfigPath(cluster)),
    platform: (options.platform ?? ((platform) => platform))(testEnvironment().platform),
    identity: uniqueName('test-operator'),
    workers: 8,
    resyncMs: options.resyncMs,
    concerns: options.concerns,
    integrations: options.integrations,
    oidcClients,
    leaderElection: { namespace: operatorLeaseNamespace, name: uniqueName('lease'), retryPeriodMs: 200 },
    log: (line) => process.env.LANDLORD_TEST_VERBOSE && process.stderr.write(`${line}\n`),
  });
  const stop = new AbortController();
  const granted = options.concerns ? grantOperatorRights(http, options.concerns) : Promise.resolve(undefined);
  const running = granted.then(() => operator.run(stop.signal));
  after(async () => {
    await deleteAllTenants(testCluster().http);
    stop.abort();
    await running;
    operator.close();
    oidcClients.close();
    await (
      await granted
    )?.();
  });
  return operator;
}

/** Waits until the tenant reports a phase, returning it. */
export async function waitForPhase(name: string, phase: string, timeoutMs = 30_000): Promise<Tenant> {
  const { http } = testCluster();
  let tenant: Tenant | undefined;
  await waitFor(
    async () => {
      tenant = await http.request<Tenant>({ method: 'GET', path: `/apis/landlord.dev/v1alpha1/tenants/${name}` });
      return tenant.status?.phase === phase && tenant.status.observedGeneration === tenant.metadata.generation;
    },
    `tenant ${name} to be ${phase}`,
    timeoutMs,
  );
  return tenant as Tenant;
}

/** Waits until the tenant is gone from the API server (its teardown complete). */
export async function waitUntilGone(name: string, timeoutMs = 60_000): Promise<void> {
  const { http } = testCluster();
  const path = `/apis/landlord.dev/v1alpha1/tenants/${name}`;
  await waitFor(
    async () => (await http.send({ method: 'GET', path })).status === 404,
    `tenant ${name} to be gone`,
    timeoutMs,
  );
}

/** Whether the API server has a Tenant of this name. */
export async function tenantExists(name: string): Promise<boolean> {
  const { http } = testCluster();
  return (await http.send({ method: 'GET', path: `/apis/landlord.dev/v1alpha1/tenants/${name}` })).status === 200;
}
