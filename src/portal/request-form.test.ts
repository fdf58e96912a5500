// The web UI's request form model (web/src/request-form-model.ts), tested here: unit tests run from src/.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initialValues, refusalProblems, requestBody } from '../../web/src/request-form-model.ts';
import { tenantApiVersion, tenantKind, tenantSchema } from '../api/crd.ts';
import { defaultPlatformConfig } from '../api/platform-config.ts';
import { validateTenant } from '../api/validate.ts';
import { tenantFromRequest } from './tenant-request.ts';

const spec = tenantSchema.properties?.spec ?? {};
const session = {
  user: { subject: 'a1', username: 'arthur', email: 'arthur@financecore.com', name: 'Arthur', groups: ['devteam-a'] },
  admin: false,
  csrfToken: 'token',
};

/** What the CRD defaults when a request leaves out everything it may (the API server does the same). */
function crdDefaults() {
  const result = validateTenant({
    apiVersion: tenantApiVersion,
    kind: tenantKind,
    metadata: { name: 'devteam-a' },
    spec: {
      teamName: 'devteam-a',
      ownerEmail: 'arthur@financecore.com',
      costCenter: 'CC-1',
      adGroup: 'devteam-a',
      resourceQuota: { cpu: '4', memory: '8Gi', storage: '100Gi' },
      nodePool: { size: 3 },
    },
  });
  assert.ok(result.ok, JSON.stringify(result));
  return result.tenant.spec;
}

describe("the web UI's request form", () => {
  it("starts from the CRD's defaults, read from the schema the portal serves", () => {
    const values = initialValues(session, spec);
    const defaults = crdDefaults();
    assert.equal(values.isolation, defaults.isolation);
    assert.equal(values.instanceType, defaults.nodePool?.instanceType);
    assert.deepEqual(values.services, defaults.services);
    assert.equal(values.ownerEmail, 'arthur@financecore.com');
    assert.equal(values.adGroup, 'devteam-a');
  });

  it('requests, once named, exactly what the CRD would default', () => {
    const values = { ...initialValues(session, spec), teamName: 'devteam-a', costCenter: 'CC-1', dedicatedNodes: true };
    assert.deepEqual(tenantFromRequest(requestBody(values), defaultPlatformConfig).spec, crdDefaults());
  });

  it('sums a refusal up in one line: how many fields below, and what no field shows', () => {
    const teamName = { path: 'spec.teamName', message: 'spec.teamName: Invalid value: "Bad_Team": must be ...' };
    const gitops = { path: 'spec.gitops', message: 'spec.gitops: Invalid value: 1: must be an object' };
    assert.deepEqual(refusalProblems([teamName], 'invalid'), {
      teamName: teamName.message,
      form: '1 field below needs a change.',
    });
    assert.equal(
      refusalProblems([teamName, gitops], 'invalid').form,
      `1 field below needs a change. ${gitops.message}`,
    );
    assert.equal(refusalProblems([gitops], 'invalid').form, gitops.message);
    assert.equal(refusalProblems([], 'the portal is not reachable').form, 'the portal is not reachable');
  });
});
