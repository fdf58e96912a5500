import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { badTenantCases, validTenant } from '../../test/fixtures/tenants.ts';
import { PortalError } from './errors.ts';
import { tenantFromRequest } from './tenant-request.ts';

const requestOf = (document: Record<string, unknown>) => ({ spec: structuredClone(document.spec) });

const refusal = (body: unknown): PortalError => {
  try {
    tenantFromRequest(body);
  } catch (error) {
    if (error instanceof PortalError) return error;
    throw error;
  }
  throw new Error('the request was accepted');
};

describe('a tenant request from the portal', () => {
  it('becomes a Tenant named after the team, with the schema defaults applied', () => {
    const tenant = tenantFromRequest(requestOf(validTenant('x', 'devteam-a')));
    assert.equal(tenant.metadata.name, 'devteam-a');
    assert.equal(tenant.spec.isolation, 'namespace');
    assert.equal(tenantFromRequest({ name: 'payments', ...requestOf(validTenant()) }).metadata.name, 'payments');
  });

  for (const bad of badTenantCases) {
    it(`is refused whole, naming the field: ${bad.title}`, () => {
      const document = validTenant();
      bad.spoil(document);
      const error = refusal(requestOf(document));
      assert.equal(error.status, 422);
      assert.ok(
        error.fields.some((field) => field.path === bad.field && field.message.includes(bad.mentions)),
        JSON.stringify(error.fields),
      );
      assert.ok(!error.fields.some((field) => field.path === 'name'), 'no echo of the team name error on the name');
    });
  }

  it('names a bad explicit name as `name`, and refuses unknown keys and non-objects', () => {
    assert.deepEqual(
      refusal({ name: 'Not_A_Name', ...requestOf(validTenant()) }).fields.map((field) => field.path),
      ['name'],
    );
    assert.deepEqual(
      refusal({ metadata: {}, ...requestOf(validTenant()) }).fields.map((field) => field.path),
      ['metadata'],
    );
    assert.equal(refusal([]).status, 400);
    assert.equal(refusal(null).status, 400);
    assert.deepEqual(
      refusal({}).fields.map((field) => field.path),
      ['spec'],
    );
  });
});
