// The request form's house fields (web/src/request-form-model.ts) and the portal's offer, tested here: unit tests run from src/.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initialValues, isolationOptions, problemsByInput, requestBody } from '../../web/src/request-form-model.ts';
import { tenantSchema } from '../api/crd.ts';
import { defaultHouseSettings } from '../api/house-settings.ts';
import { defaultPlatformConfig } from '../api/platform-config.ts';
import { PortalError } from './errors.ts';
import { houseOffer, refuseHouseNotOffered } from './house-offer.ts';
import { tenantFromRequest } from './tenant-request.ts';

const spec = tenantSchema.properties?.spec ?? {};
const session = {
  user: { subject: 'a1', username: 'arthur', email: 'arthur@financecore.com', name: 'Arthur', groups: ['devteam-a'] },
  admin: false,
  csrfToken: 'token',
};
const houses = {
  ...defaultHouseSettings,
  kubernetesVersions: { '1.36': 'v1.36.3', '1.9': 'v1.9.11', '1.35': 'v1.35.4' },
};
const offer = houseOffer(houses);

/** A filled-in form for a team, as a person would leave it. */
const filled = (isolation: string) => ({
  ...initialValues(session, spec, offer),
  teamName: 'devteam-h',
  costCenter: 'CC-1',
  isolation,
});

describe('the houses the portal offers (GET /api/v1/houses)', () => {
  it('lists the served minors oldest first, each with its patch release, and the default', () => {
    assert.deepEqual(offer, {
      enabled: true,
      kubernetesVersions: [
        { minor: '1.9', release: 'v1.9.11' },
        { minor: '1.35', release: 'v1.35.4' },
        { minor: '1.36', release: 'v1.36.3' },
      ],
      defaultKubernetesVersion: '1.36',
    });
  });
});

describe("the request form's house fields", () => {
  it('offer isolation vcluster only when the platform offers houses', () => {
    assert.deepEqual(isolationOptions(spec, offer), ['namespace', 'vcluster']);
    assert.deepEqual(isolationOptions(spec, { ...offer, enabled: false }), ['namespace']);
    // The offer could not be read: nothing is offered that may not be served.
    assert.deepEqual(isolationOptions(spec, undefined), ['namespace']);
  });

  it("start at the platform's default version and send it for a house only", () => {
    assert.equal(initialValues(session, spec, offer).kubernetesVersion, '1.36');
    const house = requestBody({ ...filled('vcluster'), kubernetesVersion: '1.35' }).spec;
    assert.equal(house.kubernetesVersion, '1.35');
    assert.equal('additionalNamespaces' in house, false);
    assert.equal('kubernetesVersion' in requestBody(filled('namespace')).spec, false);
  });

  it('make a house request the CRD accepts, and show a version refusal under the version', () => {
    const tenant = tenantFromRequest(requestBody(filled('vcluster')), defaultPlatformConfig);
    assert.equal(tenant.spec.isolation, 'vcluster');
    assert.equal(tenant.spec.kubernetesVersion, '1.36');
    const problem = { path: 'spec.kubernetesVersion', message: 'spec.kubernetesVersion: "1.2" is not served' };
    assert.deepEqual(problemsByInput([problem]), { kubernetesVersion: problem.message });
  });
});

describe('a house request the platform does not offer', () => {
  const tenantOf = (kubernetesVersion: string) =>
    tenantFromRequest(requestBody({ ...filled('vcluster'), kubernetesVersion }), defaultPlatformConfig);
  const refusal = (error: unknown, path: string, message: RegExp) => {
    assert.ok(error instanceof PortalError);
    assert.equal(error.status, 422);
    assert.equal(error.fields[0]?.path, path);
    assert.match(error.message, message);
    return true;
  };

  it('is refused naming spec.isolation when houses are switched off', () => {
    assert.throws(
      () => refuseHouseNotOffered(tenantOf('1.36'), { ...houses, enabled: false }),
      (error) => refusal(error, 'spec.isolation', /"vcluster" is not offered on this platform; use "namespace"/),
    );
  });

  it('is refused naming the version given and the ones served', () => {
    assert.throws(
      () => refuseHouseNotOffered(tenantOf('1.34'), houses),
      (error) => refusal(error, 'spec.kubernetesVersion', /"1\.34" is not served; use one of 1\.9, 1\.35, 1\.36/),
    );
    assert.doesNotThrow(() => refuseHouseNotOffered(tenantOf('1.35'), houses));
  });
});
