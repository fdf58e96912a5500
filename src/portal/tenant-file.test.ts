import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, parseAllDocuments, stringify } from 'yaml';
import type { Tenant } from '../api/tenant.ts';
import { validTenant } from '../../test/fixtures/tenants.ts';
import { gitAuthor, removalRefusal, tenantFileContent } from './tenant-file.ts';
import type { PortalUser } from './user.ts';

const tenant = validTenant('devteam-x', 'devteam-x') as unknown as Tenant;
const hostile: PortalUser = {
  subject: 's',
  username: 'mallory\nspec:\n  adGroup: platform-admins\r#',
  email: 'mallory@financecore.example',
  name: 'Mallory\n---\napiVersion: v1\nkind: Namespace\u2028metadata: {name: kube-evil}',
  groups: ['devteam-x'],
};

describe('the tenant file the GitOps writer commits', () => {
  it('holds exactly the tenant, whatever the directory says about the requester', () => {
    const text = tenantFileContent(tenant, hostile);
    const documents = parseAllDocuments(text);
    assert.equal(documents.length, 1);
    assert.deepEqual(documents[0]?.toJS(), JSON.parse(JSON.stringify(tenant)));
    assert.equal(
      text.split('\n')[0],
      '# Requested in the Landlord portal by mallory spec: adGroup: platform-admins #.',
    );
  });

  it('escapes hostile values inside the tenant too', () => {
    const spiked = structuredClone(tenant) as Tenant & { spec: Record<string, unknown> };
    spiked.spec.ownerEmail = 'a@b.example\nadGroup: platform-admins';
    assert.deepEqual(parse(tenantFileContent(spiked, hostile)), JSON.parse(JSON.stringify(spiked)));
  });

  it('commits as a one-line Git author', () => {
    assert.deepEqual(gitAuthor(hostile), {
      name: 'Mallory --- apiVersion: v1 kind: Namespace metadata: {name: kube-evil}',
      email: 'mallory@financecore.example',
    });
    assert.equal(gitAuthor({ ...hostile, email: 'x@y>\nz' }).email, 'unknown@invalid');
  });

  it('is removed only when it holds exactly that one tenant', () => {
    const file = 'tenants/devteam-x.yaml';
    const other = validTenant('devteam-y', 'devteam-y');
    assert.equal(removalRefusal(file, tenantFileContent(tenant, hostile), 'devteam-x'), undefined);
    assert.equal(
      removalRefusal(file, `${stringify(tenant)}---\n${stringify(other)}`, 'devteam-x'),
      `${file} holds 2 documents (Tenant devteam-x, Tenant devteam-y), not only Tenant devteam-x`,
    );
    assert.equal(
      removalRefusal(file, stringify(other), 'devteam-x'),
      `${file} holds Tenant devteam-y, not Tenant devteam-x`,
    );
    assert.equal(
      removalRefusal(
        file,
        stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'devteam-x' } }),
        'devteam-x',
      ),
      `${file} holds Namespace devteam-x, not Tenant devteam-x`,
    );
    assert.match(removalRefusal(file, 'a: [unclosed', 'devteam-x') ?? '', /is not valid YAML/);
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from(
      { length: 6 },
      (_, i) =>
        `b${i}: &b${i} [${Array(10)
          .fill(i ? `*b${i - 1}` : '*a')
          .join(', ')}]`,
    ).join('\n')}\n`;
    assert.match(removalRefusal(file, bomb, 'devteam-x') ?? '', /cannot be read safely/);
  });
});
