import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { tenantPlural } from '../../src/api/crd.ts';
import type { Tenant } from '../../src/api/tenant.ts';
import { validateTenant } from '../../src/api/validate.ts';
import type { KubeApiError } from '../../src/kube/http.ts';
import { badTenantCases, type LooseDocument, validTenant } from '../fixtures/tenants.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';

const { http } = testCluster();
const collection = `/apis/landlord.dev/v1alpha1/${tenantPlural}`;
const created: string[] = [];

/** Creates a Tenant the way kubectl does (strict field validation) and remembers it for clean-up. */
async function createTenant(document: LooseDocument): Promise<Tenant> {
  const tenant = await http.request<Tenant>({
    method: 'POST',
    path: collection,
    query: { fieldValidation: 'Strict' },
    body: document,
  });
  created.push(tenant.metadata.name);
  return tenant;
}

after(async () => {
  for (const name of created) await http.send({ method: 'DELETE', path: `${collection}/${name}` });
});

describe('the Tenant API in the API server', () => {
  it('accepts a valid Tenant and defaults it exactly as the offline validator does', async () => {
    const document = validTenant(uniqueName('valid'), uniqueName('team'));
    delete document.spec.services;
    document.spec.gitops = { repoURL: 'https://git.financecore.example/team/apps.git' };
    const stored = await createTenant(document);
    const offline = validateTenant(document);
    assert.ok(offline.ok);
    assert.deepEqual(stored.spec, offline.tenant.spec);
    assert.equal(stored.spec.isolation, 'namespace');
  });

  for (const badCase of badTenantCases) {
    it(`refuses ${badCase.title}, naming ${badCase.field}, as the offline validator does`, async () => {
      const document = validTenant(uniqueName('bad'), uniqueName('team'));
      badCase.spoil(document);
      await assert.rejects(createTenant(document), (error: KubeApiError) => {
        assert.equal(error.status, 422, error.message);
        assert.ok(
          error.message.includes(badCase.field),
          `the API server does not name ${badCase.field}: ${error.message}`,
        );
        return true;
      });
      const offline = validateTenant(document);
      assert.equal(offline.ok, false, 'the offline validator accepts what the API server refuses');
      if (!offline.ok)
        assert.ok(
          offline.errors.some((error) => error.field === badCase.field),
          JSON.stringify(offline.errors),
        );
    });
  }

  it("refuses a name longer than a label value (63), naming metadata.name, in the offline validator's words", async () => {
    const name = uniqueName('long');
    const document = validTenant(`${name}-${'x'.repeat(62 - name.length)}`, uniqueName('team'));
    document.metadata.name += 'x';
    const offline = validateTenant(document);
    assert.equal(offline.ok, false, 'the offline validator accepts a 64-character name');
    const words = offline.ok ? '' : (offline.errors.find((error) => error.field === 'metadata.name')?.message ?? '');
    assert.match(words, /^Invalid value: "long-.*x" \(64 characters\): metadata\.name must be at most 63 characters/);
    const rule = words.slice(words.indexOf('metadata.name must'));
    await assert.rejects(createTenant(document), (error: KubeApiError) => {
      assert.equal(error.status, 422, error.message);
      assert.ok(error.message.includes(rule), `the API server says otherwise: ${error.message}`);
      return true;
    });
    document.metadata.name = document.metadata.name.slice(1);
    assert.equal((await createTenant(document)).metadata.name.length, 63, 'a name of 63 characters is accepted');
  });

  it('refuses an unknown field under strict field validation, as the offline validator does', async () => {
    const document = validTenant(uniqueName('unknown'), uniqueName('team'));
    document.spec.quota = { cpu: '1' };
    await assert.rejects(createTenant(document), (error: KubeApiError) =>
      /unknown field "spec.quota"/.test(error.message),
    );
    assert.equal(validateTenant(document).ok, false);
  });

  it('keeps teamName and isolation immutable', async () => {
    const tenant = await createTenant(validTenant(uniqueName('immutable'), uniqueName('team')));
    const patch = (spec: Record<string, unknown>) =>
      http.request({
        method: 'PATCH',
        path: `${collection}/${tenant.metadata.name}`,
        body: { spec },
        contentType: 'application/merge-patch+json',
      });
    await assert.rejects(patch({ teamName: 'someone-else' }), (error: KubeApiError) =>
      /spec\.teamName: Invalid value: "someone-else": teamName is immutable/.test(error.message),
    );
    await assert.rejects(patch({ isolation: 'vcluster' }), (error: KubeApiError) =>
      /spec\.isolation: Invalid value: "vcluster": isolation is immutable/.test(error.message),
    );
    const resized = await patch({ resourceQuota: { cpu: '8', memory: '16Gi', storage: '100Gi' } });
    assert.equal((resized as Tenant).spec.resourceQuota.cpu, '8', 'other fields stay editable');
  });

  it('lets a vcluster tenant choose and change its Kubernetes version', async () => {
    const document = validTenant(uniqueName('house'), uniqueName('team'));
    document.spec.isolation = 'vcluster';
    document.spec.kubernetesVersion = '1.35';
    const tenant = await createTenant(document);
    const upgraded = await http.request<Tenant>({
      method: 'PATCH',
      path: `${collection}/${tenant.metadata.name}`,
      body: { spec: { kubernetesVersion: '1.36' } },
      contentType: 'application/merge-patch+json',
    });
    assert.equal(upgraded.spec.kubernetesVersion, '1.36');
  });

  it('keeps status apart from spec (status subresource)', async () => {
    const tenant = await createTenant(validTenant(uniqueName('status'), uniqueName('team')));
    const path = `${collection}/${tenant.metadata.name}`;
    const ignored = await http.request<Tenant>({
      method: 'PATCH',
      path,
      body: { status: { phase: 'Ready' } },
      contentType: 'application/merge-patch+json',
    });
    assert.equal(ignored.status?.phase, undefined, 'a write to the main resource does not change status');
    const written = await http.request<Tenant>({
      method: 'PATCH',
      path: `${path}/status`,
      body: { status: { phase: 'Provisioning' } },
      contentType: 'application/merge-patch+json',
    });
    assert.equal(written.status?.phase, 'Provisioning');
    await assert.rejects(
      http.request({
        method: 'PATCH',
        path: `${path}/status`,
        body: { status: { phase: 'Sleeping' } },
        contentType: 'application/merge-patch+json',
      }),
      (error: KubeApiError) => error.status === 422 && error.message.includes('status.phase'),
    );
  });

  it('answers "whose is it, which tier, is it ready" in kubectl get tenants', async () => {
    const tenant = await createTenant(validTenant(uniqueName('columns'), uniqueName('team')));
    const table = await http.request<{ columnDefinitions: { name: string }[]; rows: { cells: unknown[] }[] }>({
      method: 'GET',
      path: `${collection}/${tenant.metadata.name}`,
      headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    });
    const columns = table.columnDefinitions.map((column) => column.name);
    for (const expected of ['Name', 'Team', 'Owner', 'Isolation', 'Phase', 'Ready', 'Age']) {
      assert.ok(columns.includes(expected), `column ${expected} in ${columns}`);
    }
    const cells = table.rows[0]?.cells ?? [];
    assert.equal(cells[columns.indexOf('Team')], tenant.spec.teamName);
    assert.equal(cells[columns.indexOf('Owner')], 'team-lead@financecore.com');
    assert.equal(cells[columns.indexOf('Isolation')], 'namespace');
  });
});
