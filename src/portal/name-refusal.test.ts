import assert from 'node:assert/strict';
import { it } from 'node:test';
import { storedTenant } from '../../test/fixtures/tenant-objects.ts';
import { defaultPlatformConfig as platform } from '../api/platform-config.ts';
import type { PortalError } from './errors.ts';
import { refuseNamesTaken } from './name-refusal.ts';

const tenant = (teamName: string) =>
  storedTenant((document) => {
    document.metadata.name = teamName;
    document.spec.teamName = teamName;
  });

it('refuses a team in another team’s space with 409 naming it, a reserved name with 422, on spec.teamName', () => {
  assert.throws(
    () => refuseNamesTaken(tenant('fin-payments'), [tenant('fin')], platform),
    (error: PortalError) =>
      error.status === 409 &&
      error.code === 'name-taken' &&
      /^spec\.teamName "fin-payments" lies in the names of team fin \(Tenant fin\)/.test(error.message) &&
      error.fields[0]?.path === 'spec.teamName',
  );
  assert.throws(
    () => refuseNamesTaken(tenant('ingress'), [], platform),
    (error: PortalError) =>
      error.status === 422 && error.code === 'reserved' && /reserved name ingress-nginx/.test(error.message),
  );
  assert.doesNotThrow(() => refuseNamesTaken(tenant('finance'), [tenant('fin')], platform));
});
