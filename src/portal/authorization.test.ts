import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Tenant } from '../api/tenant.ts';
import { canDecommission, canSee, requestRefusal, visibleTenant } from './authorization.ts';
import { PortalError } from './errors.ts';
import type { PortalUser } from './user.ts';

const policy = { requesterGroups: ['devteam-a', 'devteam-b'], adminGroups: ['platform-admins'] };
const user = (groups: string[]): PortalUser => ({ subject: 's', username: 'u', email: 'u@x', name: 'U', groups });
const tenant = (adGroup: string) => ({ spec: { adGroup } }) as Tenant;

describe('portal authorization', () => {
  it('shows a tenant to members of its group and to admins only', () => {
    assert.equal(canSee(user(['devteam-a']), tenant('devteam-a'), policy), true);
    assert.equal(canSee(user(['devteam-b']), tenant('devteam-a'), policy), false);
    assert.equal(canSee(user([]), tenant('devteam-a'), policy), false);
    assert.equal(canSee(user(['platform-admins']), tenant('devteam-a'), policy), true);
  });

  it('lets requesters request for their own teams, admins for any, others not at all', () => {
    assert.equal(requestRefusal(user(['devteam-a']), tenant('devteam-a'), policy), undefined);
    assert.match(
      requestRefusal(user(['devteam-a']), tenant('devteam-b'), policy) ?? '',
      /spec\.adGroup: "devteam-b" is not one of your groups/,
    );
    assert.match(requestRefusal(user([]), tenant('devteam-a'), policy) ?? '', /only members of devteam-a, devteam-b/);
    assert.equal(requestRefusal(user(['platform-admins']), tenant('anything'), policy), undefined);
  });

  it('finds a visible tenant by name, and answers the same 404 for one not yours as for one not there', () => {
    const devteamA = { metadata: { name: 'devteam-a' }, spec: { adGroup: 'devteam-a' } } as Tenant;
    const context = { tenants: { get: (name: string) => (name === 'devteam-a' ? devteamA : undefined) }, policy };
    assert.equal(visibleTenant(context, user(['devteam-a']), 'devteam-a'), devteamA);
    assert.equal(visibleTenant(context, user(['platform-admins']), 'devteam-a'), devteamA);
    const notFound = (error: unknown) =>
      error instanceof PortalError && error.status === 404 && error.code === 'not-found';
    assert.throws(() => visibleTenant(context, user(['devteam-b']), 'devteam-a'), notFound);
    assert.throws(() => visibleTenant(context, user(['devteam-b']), 'nothing'), notFound);
  });

  it('lets the owner (in the group) and admins decommission, not other members', () => {
    const owned = { spec: { adGroup: 'devteam-a', ownerEmail: 'Lead@FinanceCore.example' } } as Tenant;
    const member = (email: string, groups = ['devteam-a']): PortalUser => ({ ...user(groups), email });
    assert.equal(canDecommission(member('lead@financecore.example'), owned, policy), true);
    assert.equal(canDecommission(member('arthur@financecore.example'), owned, policy), false);
    assert.equal(canDecommission(member('lead@financecore.example', ['devteam-b']), owned, policy), false);
    assert.equal(canDecommission(member('carol@financecore.example', ['platform-admins']), owned, policy), true);
    assert.equal(
      canDecommission(member(''), { spec: { adGroup: 'devteam-a', ownerEmail: '' } } as Tenant, policy),
      false,
    );
  });
});
