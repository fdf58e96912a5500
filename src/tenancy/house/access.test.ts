import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildHouseAccessObjects,
  houseAccessData,
  housePeopleGroup,
  minterNeedsRenewal,
  readHouseAccessData,
} from './access.ts';

const credential = {
  server: 'https://127.64.1.2',
  certificateAuthority: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n',
  token: 'header.payload.signature',
  expiresAt: '2026-11-30T22:00:00Z',
};
const wanted = { server: credential.server, certificateAuthority: credential.certificateAuthority };
const at = (iso: string) => Date.parse(iso);

describe('house access objects', () => {
  const objects = buildHouseAccessObjects();
  const role = objects.find((object) => object.kind === 'Role') as unknown as {
    metadata: { namespace: string };
    rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
  };

  it("lets the minter get, create and delete people's ServiceAccounts and create their tokens, in the people namespace only", () => {
    assert.equal(role.metadata.namespace, 'landlord-people');
    assert.deepEqual(
      role.rules.flatMap((rule) =>
        rule.resources.flatMap((resource) => rule.verbs.map((verb) => `${verb} ${resource}`)),
      ),
      ['get serviceaccounts', 'create serviceaccounts', 'delete serviceaccounts', 'create serviceaccounts/token'],
    );
    assert.ok(role.rules.every((rule) => rule.apiGroups.length === 1 && rule.apiGroups[0] === ''));
  });

  it("binds the team's entitlement (cluster-admin of its house) to the people namespace's group, not the minter", () => {
    const clusterBinding = objects.find((object) => object.kind === 'ClusterRoleBinding') as unknown as {
      roleRef: { name: string };
      subjects: { kind: string; name: string }[];
    };
    assert.equal(clusterBinding.roleRef.name, 'cluster-admin');
    assert.deepEqual(clusterBinding.subjects, [
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:serviceaccounts:landlord-people' },
    ]);
    assert.equal(housePeopleGroup, 'system:serviceaccounts:landlord-people');
    const minter = objects.find((object) => object.kind === 'ServiceAccount');
    assert.equal(minter?.metadata.namespace, 'landlord-access', 'the minter is outside the people group');
  });
});

describe('the minting credential as stored', () => {
  it('reads back what it wrote, and nothing when a part is missing', () => {
    assert.deepEqual(readHouseAccessData(houseAccessData(credential)), credential);
    const { token: _token, ...partial } = houseAccessData(credential);
    assert.equal(readHouseAccessData(partial), undefined);
    assert.equal(readHouseAccessData(undefined), undefined);
  });

  it('is renewed when missing, moved, re-keyed, unreadable, or with less than a fifth of its hour left', () => {
    const now = at('2026-11-30T21:00:00Z');
    assert.equal(minterNeedsRenewal(credential, wanted, now), false, 'an hour left');
    assert.equal(minterNeedsRenewal(credential, wanted, at('2026-11-30T21:47:00Z')), false, '13 minutes left');
    assert.equal(minterNeedsRenewal(credential, wanted, at('2026-11-30T21:49:00Z')), true, '11 minutes left');
    assert.equal(minterNeedsRenewal(credential, wanted, at('2026-11-30T23:00:00Z')), true, 'expired');
    assert.equal(minterNeedsRenewal(undefined, wanted, now), true);
    assert.equal(minterNeedsRenewal(credential, { ...wanted, server: 'https://127.64.9.9' }, now), true);
    assert.equal(minterNeedsRenewal(credential, { ...wanted, certificateAuthority: 'other' }, now), true);
    assert.equal(minterNeedsRenewal({ ...credential, expiresAt: 'soon' }, wanted, now), true);
  });
});
