import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { badTenantCases, validTenant } from '../../test/fixtures/tenants.ts';
import { formatFieldError, validateTenant } from './validate.ts';

describe('validateTenant', () => {
  it('accepts the article example and applies the CRD defaults', () => {
    const tenant = validTenant();
    delete tenant.spec.services;
    const result = validateTenant(tenant);
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.tenant.spec.isolation, 'namespace');
    assert.deepEqual(result.tenant.spec.services, { argocd: true, monitoring: true, vault: false, istio: false });
    assert.equal(tenant.spec.isolation, undefined, 'the input document is left untouched');
  });

  it('defaults the GitOps path and revision', () => {
    const tenant = validTenant();
    tenant.spec.gitops = { repoURL: 'https://git.financecore.example/devteam-a/apps.git' };
    const result = validateTenant(tenant);
    assert.ok(result.ok);
    assert.deepEqual(result.tenant.spec.gitops, {
      repoURL: 'https://git.financecore.example/devteam-a/apps.git',
      path: 'applicationset',
      targetRevision: 'main',
    });
  });

  it('accepts kubernetesVersion on a vcluster tenant', () => {
    const tenant = validTenant();
    tenant.spec.isolation = 'vcluster';
    tenant.spec.kubernetesVersion = '1.36';
    assert.ok(validateTenant(tenant).ok);
  });

  for (const badCase of badTenantCases) {
    it(`refuses ${badCase.title}, naming ${badCase.field}`, () => {
      const tenant = validTenant();
      badCase.spoil(tenant);
      const result = validateTenant(tenant);
      assert.equal(result.ok, false);
      if (result.ok) return;
      const error = result.errors.find((candidate) => candidate.field === badCase.field);
      assert.ok(error, `no error on ${badCase.field}: ${result.errors.map(formatFieldError).join('; ')}`);
      assert.ok(formatFieldError(error).includes(badCase.mentions), formatFieldError(error));
    });
  }

  it('reports every error at once, sorted by field', () => {
    const tenant = validTenant();
    tenant.spec.teamName = 'Bad_Team';
    tenant.spec.nodePool.size = 11;
    tenant.spec.ownerEmail = 'nope';
    const result = validateTenant(tenant);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(
      result.errors.map((error) => error.field),
      ['spec.nodePool.size', 'spec.ownerEmail', 'spec.teamName'],
    );
    assert.deepEqual(result.errors[0]?.value, 11);
  });

  it('refuses unknown fields, as strict field validation does', () => {
    const tenant = validTenant();
    tenant.spec.quota = { cpu: '1' };
    const result = validateTenant(tenant);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.errors[0]?.field, 'spec.quota');
    assert.match(result.errors[0]?.message ?? '', /unknown field/);
  });

  it('checks apiVersion, kind and metadata.name', () => {
    const result = validateTenant({
      apiVersion: 'platform.financecore.local/v1alpha1',
      kind: 'Tenant',
      metadata: { name: 'Payment_Processing' },
      spec: validTenant().spec,
    });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(
      result.errors.map((error) => error.field),
      ['apiVersion', 'metadata.name'],
    );
    assert.match(formatFieldError(result.errors[0] as never), /landlord\.dev\/v1alpha1/);
  });

  it('refuses a document that is not an object, saying so', () => {
    for (const document of ['devteam-a', [], null]) {
      const result = validateTenant(document);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.errors[0]?.message, 'must be a Tenant object', JSON.stringify(document));
    }
  });

  it('accepts the example tenants shipped in examples/', () => {
    for (const file of ['devteam-a.yaml', 'devteam-b.yaml']) {
      const document = parse(readFileSync(new URL(`../../examples/tenants/${file}`, import.meta.url), 'utf8'));
      const result = validateTenant(document);
      assert.ok(result.ok, `${file}: ${JSON.stringify(result)}`);
    }
  });
});
