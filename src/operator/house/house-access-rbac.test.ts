import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { houseAccessNamespace } from '../../tenancy/names.ts';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}
interface RbacObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: Rule[];
}

const read = (file: string) =>
  parseAllDocuments(readFileSync(join(import.meta.dirname, '../../../deploy/rbac', file), 'utf8')).map(
    (document) => document.toJSON() as RbacObject,
  );
/** Every `verb resource` a file's Roles and ClusterRoles grant on Secrets, with where. */
const secretRights = (objects: RbacObject[]) =>
  objects
    .filter((object) => object.kind === 'Role' || object.kind === 'ClusterRole')
    .flatMap((object) =>
      (object.rules ?? [])
        .filter((rule) => rule.apiGroups.includes('') && rule.resources.includes('secrets'))
        .flatMap((rule) => rule.verbs.map((verb) => `${object.metadata.namespace ?? object.metadata.name}: ${verb}`)),
    );

describe("the house access Secrets' RBAC (deploy/rbac)", () => {
  it('lets the operator get, create, update and delete Secrets in landlord-house-access, nothing more there', () => {
    const operator = read('operator.yaml');
    assert.ok(operator.some((object) => object.kind === 'Namespace' && object.metadata.name === houseAccessNamespace));
    assert.deepEqual(
      secretRights(operator).filter((right) => right.startsWith(`${houseAccessNamespace}:`)),
      ['get', 'create', 'update', 'delete'].map((verb) => `${houseAccessNamespace}: ${verb}`),
    );
  });

  it('lets the portal get those Secrets by name and read no other Secret anywhere (never vc-<team>)', () => {
    assert.deepEqual(secretRights(read('portal.yaml')), [`${houseAccessNamespace}: get`]);
  });
});
