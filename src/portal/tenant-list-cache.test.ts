import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Tenant } from '../api/tenant.ts';
import { TenantListCache } from './tenant-list-cache.ts';
import type { TenantChange, TenantView } from './tenant-view.ts';
import type { PortalUser } from './user.ts';

const tenant = (name: string, adGroup: string, phase = 'Ready') =>
  ({ metadata: { name }, spec: { teamName: name, adGroup }, status: { phase } }) as unknown as Tenant;

/** An in-memory view: a map and the change feed. */
class MapView implements TenantView {
  readonly tenants = new Map<string, Tenant>();
  private listener: ((change: TenantChange) => void) | undefined;
  list = () => [...this.tenants.values()];
  get = (name: string) => this.tenants.get(name);
  quotaOf = () => [];
  subscribe(listener: (change: TenantChange) => void) {
    this.listener = listener;
    return () => {};
  }
  put(value: Tenant) {
    this.tenants.set(value.metadata.name, value);
    this.listener?.({ name: value.metadata.name, tenant: value });
  }
}

const user = (groups: string[]): PortalUser => ({ subject: 's', username: 'u', email: 'e', name: 'n', groups });
const policy = { requesterGroups: ['a', 'b'], adminGroups: ['admins'] };
const names = (answer: Buffer) =>
  (JSON.parse(answer.toString()) as { items: { name: string; phase: string }[] }).items.map(
    (item) => `${item.name}:${item.phase}`,
  );

describe('the tenant list cache', () => {
  it('answers each user with their groups’ tenants by name, admins with all, and follows changes', () => {
    const view = new MapView();
    view.put(tenant('zeta', 'a'));
    view.put(tenant('alpha', 'b'));
    view.put(tenant('beta', 'a', 'Provisioning'));
    const cache = new TenantListCache(view, policy);
    assert.deepEqual(names(cache.answerFor(user(['a']))), ['beta:Provisioning', 'zeta:Ready']);
    assert.deepEqual(names(cache.answerFor(user(['b']))), ['alpha:Ready']);
    assert.deepEqual(names(cache.answerFor(user([]))), []);
    assert.deepEqual(names(cache.answerFor(user(['admins']))), ['alpha:Ready', 'beta:Provisioning', 'zeta:Ready']);
    view.put(tenant('beta', 'a', 'Ready'));
    assert.deepEqual(names(cache.answerFor(user(['a']))), ['beta:Ready', 'zeta:Ready']);
    assert.deepEqual(names(cache.answerFor(user(['b', 'a']))), ['alpha:Ready', 'beta:Ready', 'zeta:Ready']);
  });
});
