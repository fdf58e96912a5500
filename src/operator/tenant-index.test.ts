import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storedTenant } from '../../test/fixtures/tenant-objects.ts';
import type { Tenant } from '../api/tenant.ts';
import { KubeHttp } from '../kube/http.ts';
import { Informer } from '../kube/informer.ts';
import { tenantsMeeting } from './name-verdict.ts';
import { tenantIndexKeys } from './tenant-index.ts';
import { heldBackInGroup, withinLimitsCondition } from './within-limits.ts';

const tenant = (teamName: string, adGroup = teamName, heldBack = false): Tenant => {
  const t = storedTenant((document) => {
    document.metadata.name = teamName;
    document.spec.teamName = teamName;
    document.spec.adGroup = adGroup;
  });
  if (heldBack) {
    const condition = {
      type: withinLimitsCondition,
      status: 'False' as const,
      reason: 'BudgetExceeded',
      message: 'over',
    };
    t.status = { conditions: [{ ...condition, lastTransitionTime: '2026-11-30T09:00:00Z' }] };
  }
  return t;
};

/** The operator's tenant cache, filled without an API server (the informer is never started). */
function cacheOf(tenants: Tenant[]): Informer<Tenant> {
  const http = new KubeHttp({
    server: 'https://127.0.0.1:1',
    insecureSkipTLSVerify: true,
    authHeaders: async () => ({}),
  });
  return new Informer<Tenant>(http, {
    path: '/apis/landlord.dev/v1alpha1/tenants',
    indexBy: tenantIndexKeys,
    compact: true,
    resumeFrom: { resourceVersion: '1', objects: tenants },
  });
}

const names = (tenants: Tenant[]) => tenants.map((t) => t.metadata.name).sort();

describe('tenantsMeeting: the tenants whose spaces meet a teamName, found by index', () => {
  const cache = cacheOf(
    ['fin', 'fin-payments', 'fin-payments-eu', 'finance', 'fin-x', 'payments'].map((n) => tenant(n)),
  );

  it('finds the same name, the names it lies in, and the names lying in it', () => {
    assert.deepEqual(names(tenantsMeeting(cache, 'fin-payments')), ['fin', 'fin-payments', 'fin-payments-eu']);
  });

  it('finds every name in a short name space, and none that merely starts with the same letters', () => {
    assert.deepEqual(names(tenantsMeeting(cache, 'fin')), ['fin', 'fin-payments', 'fin-payments-eu', 'fin-x']);
  });

  it('finds a name a teamName not yet held would own or lie in', () => {
    assert.deepEqual(names(tenantsMeeting(cache, 'fin-payments-eu-west')), ['fin', 'fin-payments', 'fin-payments-eu']);
    assert.deepEqual(names(tenantsMeeting(cache, 'pay')), []);
  });
});

describe('heldBackInGroup: the held-back tenants of a changed tenant groups, found by index', () => {
  const cache = cacheOf([
    tenant('a1', 'group-a'),
    tenant('a2', 'group-a', true),
    tenant('a3', 'group-a', true),
    tenant('b1', 'group-b', true),
  ]);

  it('names the other held-back tenants of the group, never the changed one nor other groups', () => {
    assert.deepEqual(heldBackInGroup(cache, tenant('a1', 'group-a')).sort(), ['a2', 'a3']);
    assert.deepEqual(heldBackInGroup(cache, tenant('a2', 'group-a', true)).sort(), ['a3']);
    assert.deepEqual(heldBackInGroup(cache, tenant('c1', 'group-c')), []);
  });
});
