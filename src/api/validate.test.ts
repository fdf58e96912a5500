import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { badTenantCases, validTenant } from '../../test/fixtures/tenants.ts';
import { patternsInWords } from './patterns-in-words.ts';
import { formatFieldError, validateTenant } from './validate.ts';

const crdPatterns = Object.keys(patternsInWords);

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
    it(`refuses ${badCase.title}, naming ${badCase.field}, the value given and what is allowed in words`, () => {
      const tenant = validTenant();
      badCase.spoil(tenant);
      const result = validateTenant(tenant);
      assert.equal(result.ok, false);
      if (result.ok) return;
      const error = result.errors.find((candidate) => candidate.field === badCase.field);
      assert.ok(error, `no error on ${badCase.field}: ${result.errors.map(formatFieldError).join('; ')}`);
      const line = formatFieldError(error);
      assert.ok(line.startsWith(`${badCase.field}: `), line);
      assert.ok(line.includes(badCase.given), `${line}\ndoes not quote ${badCase.given}`);
      assert.ok(line.includes(badCase.allowed), `${line}\ndoes not say ${badCase.allowed}`);
      assert.ok(!crdPatterns.some((pattern) => line.includes(pattern)), `${line}\nechoes a regular expression`);
    });
  }

  it('keeps the pattern for machines on a refused shape, and says one thing per field', () => {
    const tenant = validTenant();
    tenant.spec.costCenter = '';
    tenant.spec.teamName = 'Dev_A';
    tenant.spec.isolation = 'cluster';
    const result = validateTenant(tenant);
    assert.equal(result.ok, false);
    if (result.ok) return;
    const on = (field: string) => result.errors.filter((error) => error.field === field);
    assert.equal(on('spec.costCenter').length, 1, 'empty is both too short and unlike the pattern: one message');
    assert.equal(on('spec.costCenter')[0]?.pattern, '^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$');
    assert.equal(on('spec.teamName')[0]?.pattern, '^[a-z]([-a-z0-9]*[a-z0-9])?$');
    assert.equal(on('spec.isolation')[0]?.pattern, undefined, 'an enum has no pattern');
  });

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
    assert.match(result.errors[0]?.message ?? '', /^unknown field "quota": the fields here are teamName, ownerEmail, /);
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
    assert.equal(
      formatFieldError(result.errors[0] as never),
      'apiVersion: Invalid value: "platform.financecore.local/v1alpha1": must be landlord.dev/v1alpha1',
    );
    assert.match(
      formatFieldError(result.errors[1] as never),
      /^metadata\.name: Invalid value: "Payment_Processing": must be a DNS subdomain: lowercase letters/,
    );
  });

  it('refuses a name longer than a label value, naming metadata.name, its length and the 63 allowed', () => {
    const name = `payments-${'x'.repeat(55)}`;
    const result = validateTenant({ ...validTenant(), metadata: { name } });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(result.errors.map(formatFieldError), [
      `metadata.name: Invalid value: "${name}" (64 characters): metadata.name must be at most 63 characters: ` +
        "a Tenant's name is the value of labels on its namespaces and nodes",
    ]);
    assert.ok(validateTenant({ ...validTenant(), metadata: { name: name.slice(1) } }).ok, '63 characters are allowed');
  });

  it('refuses a document that is not an object, saying so', () => {
    for (const document of ['devteam-a', [], null]) {
      const result = validateTenant(document);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(
        result.errors[0]?.message,
        `Invalid value: ${JSON.stringify(document)}: must be a Tenant object`,
        JSON.stringify(document),
      );
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
