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

  it('says how to clone the team’s repository and change main, by the kind of tenant', () => {
    const ready = tenant('Ready');
    (ready.status as { gitRepoURL?: string }).gitRepoURL = 'https://git.bank.example/tenants/devteam-a-gitops.git';
    const mail = phaseMail({ name: 'payments', tenant: ready, previous: tenant('Provisioning') }, 'https://p');
    assert.match(mail?.text ?? '', /git clone https:\/\/git\.bank\.example\/tenants\/devteam-a-gitops\.git/);
    assert.match(mail?.text ?? '', /under applicationset\/; main is protected: push a branch and open a pull request/);
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
