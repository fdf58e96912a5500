import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Tenant } from '../../api/tenant.ts';
import { houseOfTeam, houseRows, houseTable } from './vcluster-houses.ts';

function tenant(team: string, isolation: 'namespace' | 'vcluster', status: Tenant['status'] = {}): Tenant {
  return {
    apiVersion: 'landlord.dev/v1alpha1',
    kind: 'Tenant',
    metadata: { name: `${team}-tenant` },
    spec: { teamName: team, isolation } as Tenant['spec'],
    status,
  };
}

const ready = tenant('devteam-h', 'vcluster', {
  phase: 'Ready',
  kubernetesVersion: 'v1.36.3',
  vclusterURL: 'https://127.80.1.2',
});
const provisioning = tenant('devteam-p', 'vcluster', {
  phase: 'Provisioning',
  conditions: [
    {
      type: 'Ready',
      status: 'False',
      reason: 'Deploying',
      message: 'waiting for the API server',
      lastTransitionTime: '2026-11-30T00:00:00Z',
    },
  ],
});
const namespaced = tenant('devteam-a', 'namespace', { phase: 'Ready', namespaces: ['devteam-a', 'devteam-a-dev'] });
const seen = { readable: true as const, tenants: [ready, provisioning, namespaced] };

describe('landlord vcluster list', () => {
  it('shows only houses, by team, with phase, version and URL ("-" until reported)', () => {
    const rows = houseRows(seen.tenants);
    assert.deepEqual(
      rows.map((row) => [row.team, row.phase, row.kubernetesVersion, row.url]),
      [
        ['devteam-h', 'Ready', 'v1.36.3', 'https://127.80.1.2'],
        ['devteam-p', 'Provisioning', '', ''],
      ],
    );
    const table = houseTable(rows).split('\n');
    assert.match(table[0] ?? '', /^TEAM\s+PHASE\s+VERSION\s+URL$/);
    assert.match(table[2] ?? '', /^devteam-p\s+Provisioning\s+-\s+-$/);
    assert.match(houseTable([]), /No houses/);
  });
});

describe("connect's checks before any credential is read", () => {
  it('finds the house by team name', () => assert.equal(houseOfTeam(seen, 'devteam-h'), ready));

  it('names a namespace tenant and says to use kubectl -n with its namespaces', () => {
    assert.throws(
      () => houseOfTeam(seen, 'devteam-a'),
      /devteam-a is a namespace tenant, not a house: use `kubectl -n devteam-a` \(its namespaces: devteam-a, devteam-a-dev\)/,
    );
  });

  it('names the phase and the Ready message of a house not Ready', () => {
    assert.throws(
      () => houseOfTeam(seen, 'devteam-p'),
      /devteam-p's house is Provisioning: waiting for the API server; connect once it is Ready/,
    );
  });

  it('names a team no tenant has', () => {
    assert.throws(() => houseOfTeam(seen, 'nobody'), /no tenant has the team nobody/);
  });

  it('leaves the decision to the Secret read when the caller may not list Tenants', () => {
    assert.equal(houseOfTeam({ readable: false, why: 'forbidden' }, 'devteam-h'), undefined);
  });
});
