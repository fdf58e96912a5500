import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Tenant } from '../api/tenant.ts';
import { phaseMail } from './notifications.ts';

const tenant = (phase: string | undefined, conditions: object[] = []) =>
  ({
    metadata: { name: 'payments' },
    spec: { teamName: 'devteam-a', ownerEmail: 'lead@bank.example' },
    status: phase ? { phase, namespaces: ['devteam-a'], conditions } : undefined,
  }) as unknown as Tenant;

describe('owner notifications', () => {
  it('mails the owner when a tenant becomes Ready, with its namespaces and page', () => {
    const mail = phaseMail(
      { name: 'payments', tenant: tenant('Ready'), previous: tenant('Provisioning') },
      'https://p',
    );
    assert.equal(mail?.to, 'lead@bank.example');
    assert.equal(mail?.subject, '[Landlord] Tenant payments is ready');
    assert.match(mail?.text ?? '', /Namespaces: devteam-a/);
    assert.match(mail?.text ?? '', /https:\/\/p\/tenants\/payments/);
  });

  it('mails why when it fails', () => {
    const failed = tenant('Failed', [{ type: 'Quota', status: 'False', message: 'quota refused: forbidden' }]);
    const mail = phaseMail({ name: 'payments', tenant: failed, previous: tenant('Provisioning') }, 'https://p');
    assert.match(mail?.text ?? '', /- Quota: quota refused: forbidden/);
  });

  it('stays quiet when the phase did not change, on first sight (a restart), and for other phases', () => {
    assert.equal(phaseMail({ name: 'p', tenant: tenant('Ready'), previous: tenant('Ready') }, 'u'), undefined);
    assert.equal(phaseMail({ name: 'p', tenant: tenant('Ready') }, 'u'), undefined);
    assert.equal(phaseMail({ name: 'p', tenant: tenant('Provisioning'), previous: tenant(undefined) }, 'u'), undefined);
    assert.equal(phaseMail({ name: 'p', previous: tenant('Ready') }, 'u'), undefined);
  });
});
