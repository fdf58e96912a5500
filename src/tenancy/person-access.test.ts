import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { Tenant } from '../api/tenant.ts';
import { validTenant } from '../../test/fixtures/tenants.ts';
import {
  buildPersonRoleBindings,
  buildPersonServiceAccount,
  peopleNamespace,
  personBindingPrefix,
  personIdentity,
  personSlug,
} from './person-access.ts';
import { teamRoleName } from './rbac.ts';

const tenant = validTenant('devteam-a', 'devteam-a') as unknown as Tenant;
const arthur = { username: 'arthur', subject: 'CgZhcnRodXI' };
const deploy = (file: string) =>
  parseAllDocuments(readFileSync(join(import.meta.dirname, '..', '..', 'deploy', file), 'utf8')).map(
    (document) => document.toJS() as Record<string, unknown>,
  );

describe("each person's identity in a tenant", () => {
  it('is named after the person, recognisably and stably', () => {
    assert.equal(personIdentity(tenant, arthur), 'system:serviceaccount:landlord-people:devteam-a.arthur');
    const account = buildPersonServiceAccount(tenant, arthur);
    assert.equal(account.metadata.annotations?.['landlord.dev/directory-username'], 'arthur');
    assert.equal(account.metadata.labels?.['landlord.dev/person'], 'arthur');
    assert.equal(account.automountServiceAccountToken, false);
    assert.equal(personSlug('arthur'), personSlug('arthur'));
  });

  it('keeps distinct usernames distinct, however unlike a Kubernetes name they are', () => {
    const usernames = ['Arthur', 'arthur', 'ARTHUR', 'arthur.amsel', 'arthur-amsel', 'a r', 'a_r', '', 'x'.repeat(300)];
    const slugs = usernames.map(personSlug);
    assert.equal(new Set(slugs).size, usernames.length, slugs.join(' '));
    for (const slug of slugs) {
      assert.match(slug, /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/);
      assert.ok(slug.length <= 49, slug);
    }
    assert.match(personSlug('Arthur'), /^arthur\.[0-9a-f]{8}$/);
  });

  it("binds the person's ServiceAccount to the team's role in every tenant namespace, and only it", () => {
    const spread = { ...tenant, spec: { ...tenant.spec, additionalNamespaces: ['tools'] } } as Tenant;
    const bindings = buildPersonRoleBindings(spread, arthur);
    assert.deepEqual(
      bindings.map((binding) => `${binding.metadata.namespace}/${binding.metadata.name}`),
      ['devteam-a/landlord-person.arthur', 'devteam-a-tools/landlord-person.arthur'],
    );
    for (const binding of bindings) {
      assert.deepEqual(binding.roleRef, {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: teamRoleName,
      });
      assert.deepEqual(binding.subjects, [
        { kind: 'ServiceAccount', name: 'devteam-a.arthur', namespace: peopleNamespace },
      ]);
    }
  });

  it("matches the portal's RBAC and the admission policy fencing it (role, namespace, binding names)", () => {
    const rbac = deploy('rbac/portal.yaml');
    const rules = rbac.flatMap(
      (object) => (object.rules ?? []) as { resources: string[]; verbs: string[]; resourceNames?: string[] }[],
    );
    const bind = rules.find((rule) => rule.verbs.includes('bind'));
    assert.deepEqual(bind?.resourceNames, [teamRoleName]);
    assert.ok(
      rbac.some(
        (object) => object.kind === 'Namespace' && (object.metadata as { name: string }).name === peopleNamespace,
      ),
    );
    const tokenRule = rbac.find(
      (object) => object.kind === 'Role' && (object.metadata as { namespace: string }).namespace === peopleNamespace,
    );
    assert.ok(tokenRule, 'tokens only in the people namespace');
    const clusterWide = rbac
      .filter((object) => object.kind === 'ClusterRole')
      .flatMap((role) => (role.rules ?? []) as { resources: string[] }[]);
    assert.ok(!clusterWide.some((rule) => rule.resources.includes('serviceaccounts/token')), 'no token anywhere else');
    const policy = JSON.stringify(deploy('admission/person-access.yaml'));
    assert.ok(policy.includes(`variables.binding.roleRef.name == '${teamRoleName}'`), 'the policy names the team role');
    assert.ok(policy.includes(`'${peopleNamespace}'`));
    assert.ok(policy.includes(`startsWith('${personBindingPrefix}')`));
  });
});
