import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { defaultPlatformConfig } from '../api/platform-config.ts';
import { tenantConcerns } from '../tenancy/concerns.ts';
import { type OperatorRight, operatorRights } from '../tenancy/operator-rights.ts';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}
interface RbacObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: Rule[];
}

const rbacFile = join(import.meta.dirname, '../../deploy/rbac/operator.yaml');
const objects = parseAllDocuments(readFileSync(rbacFile, 'utf8')).map((doc) => doc.toJSON() as RbacObject);
const clusterRules = objects.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'landlord-operator')?.rules;
const argoCdRules = objects.find(
  (o) => o.kind === 'Role' && o.metadata.namespace === defaultPlatformConfig.argocd.namespace,
)?.rules;
const rulesFor = (right: OperatorRight) => (right.scope === 'cluster' ? clusterRules : argoCdRules) ?? [];

/** The operator's own rights, whatever the concerns: its Tenants (the lease and events have Roles of their own). */
const baseResources = new Set([
  'landlord.dev/tenants',
  'landlord.dev/tenants/status',
  'landlord.dev/tenants/finalizers',
]);

const grants = (rule: Rule, right: OperatorRight, verb: string) =>
  rule.apiGroups.includes(right.apiGroup) &&
  rule.resources.includes(right.resource) &&
  rule.verbs.includes(verb) &&
  (right.resourceNames ?? [undefined]).every((name) => !rule.resourceNames || rule.resourceNames.includes(name ?? ''));

describe('deploy/rbac/operator.yaml against the concerns', () => {
  const rights = operatorRights(tenantConcerns);

  it('grants every right a concern needs, in the scope it needs it', () => {
    for (const right of rights) {
      for (const verb of right.verbs) {
        assert.ok(
          rulesFor(right).some((rule) => grants(rule, right, verb)),
          `${verb} ${right.apiGroup || 'core'}/${right.resource} (${right.scope}) is not granted`,
        );
      }
    }
  });

  it('grants nothing beyond what the concerns and the operator itself need', () => {
    const granted = [
      ...(clusterRules ?? []).map((rule) => ({ rule, scope: 'cluster' as const })),
      ...(argoCdRules ?? []).map((rule) => ({ rule, scope: 'argocd-namespace' as const })),
    ].flatMap(({ rule, scope }) =>
      rule.apiGroups.flatMap((group) => rule.resources.map((resource) => ({ rule, scope, group, resource }))),
    );
    for (const { rule, scope, group, resource } of granted) {
      if (scope === 'cluster' && baseResources.has(`${group}/${resource}`)) continue;
      const needed = rights.filter((r) => r.scope === scope && r.apiGroup === group && r.resource === resource);
      const verbs = new Set(needed.flatMap((right) => right.verbs));
      const extra = rule.verbs.filter((verb) => !verbs.has(verb));
      assert.deepEqual(
        extra,
        [],
        `${group || 'core'}/${resource} (${scope}) grants ${extra.join(', ')} no concern needs`,
      );
    }
  });

  it('is a real check: a concern holding a kind the RBAC lacks is reported', () => {
    const right: OperatorRight = { apiGroup: '', resource: 'configmaps', verbs: ['create'], scope: 'cluster' };
    assert.equal(
      rulesFor(right).some((rule) => grants(rule, right, 'create')),
      false,
    );
  });
});
