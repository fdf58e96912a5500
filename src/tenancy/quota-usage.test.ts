import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sumQuotas } from './quota-usage.ts';

const quota = (hard: Record<string, string>, used: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  status: { hard, used },
});

describe('sumQuotas', () => {
  it("adds up the hard limits and the usage of a tenant's namespaces, per resource, in plain units", () => {
    const totals = sumQuotas([
      quota({ 'requests.cpu': '4', 'requests.memory': '8Gi' }, { 'requests.cpu': '500m', 'requests.memory': '1Gi' }),
      quota({ 'requests.cpu': '2' }, { 'requests.cpu': '1500m' }),
    ]);
    assert.deepEqual(
      totals.sort((a, b) => `${a.resource}${a.type}`.localeCompare(`${b.resource}${b.type}`)),
      [
        { resource: 'requests.cpu', type: 'hard', value: 6 },
        { resource: 'requests.cpu', type: 'used', value: 2 },
        { resource: 'requests.memory', type: 'hard', value: 8 * 1024 ** 3 },
        { resource: 'requests.memory', type: 'used', value: 1024 ** 3 },
      ],
    );
  });

  it('skips quantities it cannot parse (exponent form) and quotas without a status yet', () => {
    const totals = sumQuotas([quota({ pods: '1e3', services: '10' }, {}), { kind: 'ResourceQuota' }]);
    assert.deepEqual(totals, [{ resource: 'services', type: 'hard', value: 10 }]);
  });

  it('answers nothing for no quotas', () => {
    assert.deepEqual(sumQuotas([]), []);
  });
});
