import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { defaultPlatformConfig } from '../api/platform-config.ts';
import { tenantConcerns } from '../tenancy/concerns.ts';
import { operatorRights } from '../tenancy/operator-rights.ts';
import { buildPlatformProject, platformDeployers, type PlatformRepoLayout } from './platform-application.ts';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}
interface RbacObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  automountServiceAccountToken?: boolean;
  rules?: Rule[];
  subjects?: { kind: string; name: string; namespace?: string }[];
}

const argocd = defaultPlatformConfig.argocd.namespace;
const read = (file: string) =>
  parseAllDocuments(readFileSync(join(import.meta.dirname, '../../deploy/rbac', file), 'utf8')).map(
    (document) => document.toJSON() as RbacObject,
  );
const files: Record<PlatformRepoLayout, RbacObject[]> = {
  tenants: read('platform-deployer.yaml'),
  rendered: read('platform-deployer-rendered.yaml'),
};
/** Each granted (scope, group, resource, verb, names) as one line, to compare sets. */
const grantsOf = (objects: RbacObject[]) =>
  objects
    .filter((object) => object.kind === 'ClusterRole' || object.kind === 'Role')
    .flatMap((role) =>
      (role.rules ?? []).flatMap((rule) =>
        rule.apiGroups.flatMap((group) =>
          rule.resources.flatMap((resource) =>
            rule.verbs.map(
              (verb) =>
                `${role.kind === 'Role' ? 'argocd-namespace' : 'cluster'} ${group}/${resource} ${verb} ${rule.resourceNames?.join(',') ?? '*'}`,
            ),
          ),
        ),
      ),
    )
    .sort();

describe("the platform deployers (deploy/rbac/platform-deployer*.yaml): what Argo CD syncs the platform's repositories as", () => {
  for (const layout of ['tenants', 'rendered'] as const) {
    it(`${layout} layout: the project names the file's ServiceAccount, tokenless, in Argo CD's namespace`, () => {
      const repo = { repoURL: 'file:///srv/git/platform.git', targetRevision: 'main', layout };
      const project = buildPlatformProject(defaultPlatformConfig, repo).spec as {
        destinationServiceAccounts: { defaultServiceAccount: string }[];
      };
      const account = files[layout].find((object) => object.kind === 'ServiceAccount');
      assert.equal(
        `${account?.metadata.namespace}:${account?.metadata.name}`,
        `${argocd}:${platformDeployers[layout]}`,
      );
      assert.equal(account?.automountServiceAccountToken, false);
      assert.deepEqual(
        project.destinationServiceAccounts.map((entry) => entry.defaultServiceAccount),
        [`${argocd}:${platformDeployers[layout]}`],
      );
      for (const binding of files[layout].filter((object) => object.kind.endsWith('Binding'))) {
        assert.deepEqual(binding.subjects, [
          { kind: 'ServiceAccount', name: platformDeployers[layout], namespace: argocd },
        ]);
      }
    });
  }

  it('tenants layout: Tenants, nothing else', () => {
    assert.deepEqual(
      grantsOf(files.tenants),
      ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'].map(
        (verb) => `cluster landlord.dev/tenants ${verb} *`,
      ),
    );
  });

  it("rendered layout: exactly what the concerns' objects take to hold (the operator's rights without Tenants)", () => {
    // Nodes of a pool are claimed by the operator at run time, never rendered: the deployer needs no node rights.
    const rendered = tenantConcerns.filter((concern) => concern.holding !== 'node-pool');
    const needed = operatorRights(rendered).flatMap((right) =>
      right.verbs.map(
        (verb) => `${right.scope} ${right.apiGroup}/${right.resource} ${verb} ${right.resourceNames?.join(',') ?? '*'}`,
      ),
    );
    assert.deepEqual(grantsOf(files.rendered), needed.sort());
  });
});
