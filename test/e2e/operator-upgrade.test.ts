import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { tenantResource } from '../../src/api/crd.ts';
import type { PlatformConfig } from '../../src/api/platform-config.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import { operatorAccount, operatorKubeconfigPath } from '../../src/dev/admission.ts';
import { loadConnection } from '../../src/kube/kubeconfig.ts';
import { grantOperatorRights } from '../support/operator-rights.ts';
import type { KubernetesObject } from '../../src/kube/object.ts';
import { appliedHashAnnotation } from '../../src/operator/applied-hash.ts';
import { TenantOperator } from '../../src/operator/controller.ts';
import type { Concern, KubernetesConcern } from '../../src/tenancy/concern.ts';
import { tenantConcerns } from '../../src/tenancy/concerns.ts';
import { tenantLabels } from '../../src/tenancy/ownership.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { deleteAllTenants } from '../support/cleanup.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { waitForPhase } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const { http, cluster } = testCluster();
const running: (() => Promise<void>)[] = [];
after(async () => {
  await deleteAllTenants(http);
  for (const stop of running.splice(0)) await stop();
});

/** An operator in this process, as one release of Landlord with one platform configuration; stop() ends it. */
function operatorRelease(platform: PlatformConfig, concerns: readonly Concern[] = tenantConcerns) {
  // A release with a concern the installed RBAC lacks comes with its rights, as a platform upgrade would.
  const granted = grantOperatorRights(http, concerns);
  const operator = new TenantOperator({
    // As the operator's ServiceAccount: the admission policies let only it write Landlord's objects.
    kubeConfig: loadConnection(operatorKubeconfigPath(cluster)),
    platform,
    identity: uniqueName('release'),
    concerns,
    leaderElection: { namespace: operatorAccount.namespace, name: uniqueName('lease'), retryPeriodMs: 200 },
    log: (line) => process.env.LANDLORD_TEST_VERBOSE && process.stderr.write(`${line}\n`),
  });
  const stopping = new AbortController();
  const run = operator.run(stopping.signal);
  const stop = async () => {
    stopping.abort();
    await run;
    operator.close();
    await (
      await granted
    )();
  };
  running.push(stop);
  return {
    stop: async () => {
      running.splice(running.indexOf(stop), 1);
      await stop();
    },
  };
}

const get = (path: string) => http.request<KubernetesObject & Record<string, unknown>>({ method: 'GET', path });

describe('an operator restarted with builders or a platform configuration that set fewer fields', () => {
  it("removes what the platform configuration no longer sets (a DNS pod label dropped from the egress policy's selector)", async () => {
    const platform = testEnvironment().platform;
    const before = structuredClone(platform);
    before.dns.podLabels = { ...platform.dns.podLabels, 'landlord.test/extra': 'dropped-later' };
    const team = uniqueName('upgrade');
    const policyPath = apiPath(
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: true },
      { namespace: team, name: 'allow-dns' },
    );
    const selectorOf = async () => {
      const policy = (await get(policyPath)) as { spec: { egress: { to: { podSelector: unknown }[] }[] } };
      return policy.spec.egress[0]?.to[0]?.podSelector;
    };

    const first = operatorRelease(before);
    await http.request({ method: 'POST', path: apiPath(tenantResource), body: validTenant(team, team) });
    await waitForPhase(team, 'Ready');
    assert.deepEqual(await selectorOf(), { matchLabels: before.dns.podLabels });
    const hashBefore = (await get(policyPath)).metadata?.annotations?.[appliedHashAnnotation];
    await first.stop();

    const second = operatorRelease(platform);
    // The new configuration's selector is a subset of the live one: only the recorded hash tells them apart.
    await waitFor(
      async () => JSON.stringify(await selectorOf()) === JSON.stringify({ matchLabels: platform.dns.podLabels }),
      `the dropped label to be removed from allow-dns (now ${JSON.stringify(await selectorOf())})`,
    );
    const hashAfter = (await get(policyPath)).metadata?.annotations?.[appliedHashAnnotation];
    assert.ok(hashBefore && hashAfter, 'what was applied is recorded on the object');
    assert.notEqual(hashAfter, hashBefore);
    // The next test's operators hold other concerns: this one must not prune theirs (the last one tears down).
    await second.stop();
  });

  it('removes a field the builders of a new release no longer make', async () => {
    const notes = (data: Record<string, string>): KubernetesConcern => ({
      name: 'ReleaseNotes',
      condition: 'ReleaseNotesReady',
      holding: 'owned',
      kinds: [{ apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, watch: 'cluster' }],
      build: (tenant) => [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'release-notes', namespace: tenant.spec.teamName, labels: tenantLabels(tenant) },
          data,
        },
      ],
      file: () => 'release-notes.yaml',
    });
    const platform = testEnvironment().platform;
    const team = uniqueName('release');
    const notePath = apiPath(
      { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
      { namespace: team, name: 'release-notes' },
    );

    const first = operatorRelease(platform, [
      ...tenantConcerns,
      notes({ kept: 'yes', retired: 'in the next release' }),
    ]);
    await http.request({ method: 'POST', path: apiPath(tenantResource), body: validTenant(team, team) });
    await waitForPhase(team, 'Ready');
    assert.deepEqual((await get(notePath)).data, { kept: 'yes', retired: 'in the next release' });
    await first.stop();

    operatorRelease(platform, [...tenantConcerns, notes({ kept: 'yes' })]);
    await waitFor(
      async () => JSON.stringify((await get(notePath)).data) === JSON.stringify({ kept: 'yes' }),
      'the retired field to be removed',
    );
  });

  it('a member of the team who forges or removes the recorded hash only gets the object applied again', async () => {
    const team = uniqueName('forger');
    const path = apiPath(
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: true },
      { namespace: team, name: 'default-deny-all' },
    );
    await http.request({ method: 'POST', path: apiPath(tenantResource), body: validTenant(team, team) });
    await waitForPhase(team, 'Ready');
    const before = await get(path);
    const recorded = before.metadata?.annotations?.[appliedHashAnnotation];
    assert.ok(recorded);
    const asMember = { 'Impersonate-User': 'mallory@financecore.example', 'Impersonate-Group': team };
    for (const forged of ['forged', null]) {
      const answer = await http.send({
        method: 'PATCH',
        path,
        headers: asMember,
        body: { metadata: { annotations: { [appliedHashAnnotation]: forged } } },
        contentType: 'application/merge-patch+json',
      });
      // Refused outright where Landlord's objects are fenced off from tenants; else undone by the operator.
      if (answer.status === 403) continue;
      assert.equal(answer.status, 200, answer.body);
      await waitFor(
        async () => (await get(path)).metadata?.annotations?.[appliedHashAnnotation] === recorded,
        `the recorded hash to be put back after ${forged === null ? 'its removal' : 'a forgery'}`,
      );
      assert.deepEqual((await get(path)).spec, before.spec, 'the object is what Landlord applied, nothing else');
    }
  });
});
