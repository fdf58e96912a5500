import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { badTenantCases, validTenant } from '../../test/fixtures/tenants.ts';
import { PortalError } from './errors.ts';
import { defaultPlatformConfig } from '../api/platform-config.ts';
import { tenantFromRequest } from './tenant-request.ts';

const requestOf = (document: Record<string, unknown>) => ({ spec: structuredClone(document.spec) });

const refusal = (body: unknown): PortalError => {
  try {
    tenantFromRequest(body, defaultPlatformConfig);
  } catch (error) {
    if (error instanceof PortalError) return error;
    throw error;
  }
  throw new Error('the request was accepted');
};

describe('a tenant request from the portal', () => {
  it('becomes a Tenant named after the team, with the schema defaults applied', () => {
    const tenant = tenantFromRequest(requestOf(validTenant('x', 'devteam-a')), defaultPlatformConfig);
    assert.equal(tenant.metadata.name, 'devteam-a');
    assert.equal(tenant.spec.isolation, 'namespace');
    assert.equal(
      tenantFromRequest({ name: 'payments', ...requestOf(validTenant()) }, defaultPlatformConfig).metadata.name,
      'payments',
    );
  });

  for (const bad of badTenantCases) {
    it(`is refused whole, naming the field: ${bad.title}`, () => {
      const document = validTenant();
      bad.spoil(document);
      const error = refusal(requestOf(document));
      assert.equal(error.status, 422);
      const field = error.fields.find((candidate) => candidate.path === bad.field);
      assert.ok(field, JSON.stringify(error.fields));
      assert.ok(field.message.startsWith(`${bad.field}: `), field.message);
      assert.ok(field.message.includes(bad.given) && field.message.includes(bad.allowed), field.message);
      assert.ok(!field.pattern || !field.message.includes(field.pattern), 'the pattern is for machines only');
      assert.ok(!error.fields.some((field) => field.path === 'name'), 'no echo of the team name error on the name');
    });
  }

  it("is refused when its repository is not one of the team's, naming the field, as the operator would", () => {
    const document = validTenant('x', 'devteam-a');
    document.spec.gitops = { repoURL: 'https://git.landlord.local/devteam-b-gitops.git' };
    const error = refusal(requestOf(document));
    assert.equal(error.status, 422);
    assert.deepEqual(
      error.fields.map((field) => field.path),
      ['spec.gitops.repoURL'],
    );
    assert.match(
      error.fields[0]?.message ?? '',
      /^spec\.gitops\.repoURL: "https:\/\/git\.landlord\.local\/devteam-b-gitops\.git" is not one of team devteam-a's repositories; use https:\/\/git\.landlord\.local\/devteam-a-gitops\.git or a repository under https:\/\/git\.landlord\.local\/devteam-a\//,
    );
    document.spec.gitops = { repoURL: 'https://git.landlord.local/devteam-a/apps.git' };
    assert.equal(
      tenantFromRequest(requestOf(document), defaultPlatformConfig).spec.gitops?.repoURL,
      document.spec.gitops.repoURL,
    );
  });

  it('keeps the pattern for machines beside the message in words', () => {
    const document = validTenant();
    document.spec.teamName = 'Bad_Team';
    const [field] = refusal(requestOf(document)).fields;
    assert.deepEqual(field, {
      path: 'spec.teamName',
      message:
        'spec.teamName: Invalid value: "Bad_Team": must be a DNS label: lowercase letters, digits and dashes, starting with a letter and ending with a letter or digit, 2 to 40 characters',
      pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$',
    });
  });

  it('names a bad explicit name as `name`, and refuses unknown keys and non-objects', () => {
    assert.deepEqual(
      refusal({ name: 'Not_A_Name', ...requestOf(validTenant()) }).fields.map((field) => field.path),
      ['name'],
    );
    assert.match(
      refusal({ name: 'Not_A_Name', ...requestOf(validTenant()) }).fields[0]?.message ?? '',
      /^name: Invalid value: "Not_A_Name": must be a DNS subdomain/,
    );
    assert.match(
      refusal({ name: `payments-${'x'.repeat(60)}`, ...requestOf(validTenant()) }).fields[0]?.message ?? '',
      /^name: Invalid value: "payments-x+" \(69 characters\): metadata\.name must be at most 63 characters/,
    );
    assert.deepEqual(refusal({ metadata: {}, ...requestOf(validTenant()) }).fields, [
      { path: 'metadata', message: 'metadata: unknown field "metadata": the fields here are name, spec' },
    ]);
    assert.equal(refusal([]).status, 400);
    assert.match(refusal([]).message, /^Invalid value: \[\]: the body must be a JSON object/);
    assert.equal(refusal(null).status, 400);
    assert.deepEqual(
      refusal({}).fields.map((field) => field.message),
      [
        'spec: Required value: nothing given; must be an object with the fields teamName, ownerEmail, costCenter, adGroup, isolation, additionalNamespaces, resourceQuota, nodePool, services, gitops, kubernetesVersion',
      ],
    );
  });
});
