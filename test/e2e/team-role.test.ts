import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { KubeApiError } from '../../src/kube/http.ts';
import { teamRoleName } from '../../src/tenancy/rbac.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

// Issue 12: a member minted a one-year token for the namespace's ServiceAccount. The team's role is admin's
// rights less minting tokens; the cluster caps every token at an hour anyway.
const { http } = testCluster();
startOperator();
const team = uniqueName('role');
after(async () => {
  await http.send({ method: 'DELETE', path: `/apis/landlord.dev/v1alpha1/tenants/${team}` });
});

const asMember = { 'Impersonate-User': 'alice@financecore.example', 'Impersonate-Group': team };
const asDeployer = { 'Impersonate-User': `system:serviceaccount:argocd:${team}-deployer` };
type Headers = Record<string, string>;
const as = (headers: Headers, method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) =>
  http.request<Record<string, unknown>>({
    method,
    path,
    body,
    headers,
    ...(method === 'PATCH' ? { contentType: 'application/merge-patch+json' } : {}),
  });
const forbidden = (pattern: RegExp) => (error: KubeApiError) => {
  assert.equal(error.status, 403, error.message);
  assert.match(error.message, pattern);
  return true;
};
const oneYear = 365 * 24 * 3600;
const tokenRequest = (seconds: number) => ({
  apiVersion: 'authentication.k8s.io/v1',
  kind: 'TokenRequest',
  spec: { expirationSeconds: seconds },
});
const tokenPath = (name: string) => `/api/v1/namespaces/${team}/serviceaccounts/${name}/token`;
const rbac = (kind: string) => `/apis/rbac.authorization.k8s.io/v1/namespaces/${team}/${kind}`;

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}
/** A role's rights one by one (group, resource, verb, name), so two roles compare whatever their rule layout. */
const rights = (rules: Rule[]) =>
  new Set(
    rules.flatMap((rule) =>
      (rule.apiGroups ?? ['']).flatMap((group) =>
        (rule.resources ?? rule.nonResourceURLs ?? []).flatMap((resource) =>
          (rule.verbs ?? []).flatMap((verb) =>
            (rule.resourceNames?.length ? rule.resourceNames : ['*']).map(
              (name) => `${verb} ${group}/${resource} ${name}`,
            ),
          ),
        ),
      ),
    ),
  );
const clusterRoleRules = async (name: string) =>
  (
    await http.request<{ rules?: Rule[] }>({
      method: 'GET',
      path: `/apis/rbac.authorization.k8s.io/v1/clusterroles/${name}`,
    })
  ).rules ?? [];

describe("the team's role: the cluster's admin less minting ServiceAccount tokens", () => {
  it("holds exactly the live admin's rights but serviceaccounts/token create", async () => {
    await waitFor(async () => (await clusterRoleRules(teamRoleName)).length > 0, 'the role to be aggregated');
    const admin = rights(await clusterRoleRules('admin'));
    const role = rights(await clusterRoleRules(teamRoleName));
    assert.deepEqual(
      [...admin].filter((right) => !role.has(right)),
      ['create /serviceaccounts/token *'],
      `${teamRoleName} lacks only token minting (a Kubernetes upgrade that adds to edit: update deploy/rbac/team-role.yaml)`,
    );
    assert.deepEqual(
      [...role].filter((right) => !admin.has(right)),
      [],
      `${teamRoleName} holds nothing admin lacks`,
    );
  });

  it('binds the team to it', async () => {
    const document = validTenant(team, team);
    delete document.spec.nodePool;
    await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: document });
    await waitForPhase(team, 'Ready');
    const binding = await http.request<{ roleRef: { name: string } }>({
      method: 'GET',
      path: `${rbac('rolebindings')}/${team}-admins`,
    });
    assert.equal(binding.roleRef.name, teamRoleName);
  });

  it("refuses a member a year-long token for the namespace's ServiceAccounts (kubectl create token --duration 8760h)", async () => {
    await as(asMember, 'POST', `/api/v1/namespaces/${team}/serviceaccounts`, { metadata: { name: 'ci' } });
    for (const account of ['ci', 'default']) {
      await assert.rejects(
        as(asMember, 'POST', tokenPath(account), tokenRequest(oneYear)),
        forbidden(/cannot create resource "serviceaccounts\/token"/),
        account,
      );
    }
  });

  it('refuses the same to the team deployer Argo CD syncs as', async () => {
    await assert.rejects(
      as(asDeployer, 'POST', tokenPath('default'), tokenRequest(oneYear)),
      forbidden(/cannot create resource "serviceaccounts\/token"/),
    );
  });

  it("lets a member do the daily work: deploy, scale, read logs, bind the team's Role and role", async () => {
    const labels = { app: 'web' };
    await as(asMember, 'POST', `/apis/apps/v1/namespaces/${team}/deployments`, {
      metadata: { name: 'web' },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'web',
                image: 'registry.financecore.local/web:1',
                securityContext: {
                  allowPrivilegeEscalation: false,
                  runAsNonRoot: true,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
              },
            ],
          },
        },
      },
    });
    await as(asMember, 'PATCH', `/apis/apps/v1/namespaces/${team}/deployments/web/scale`, { spec: { replicas: 2 } });
    const scale = await as(asMember, 'GET', `/apis/apps/v1/namespaces/${team}/deployments/web/scale`);
    assert.deepEqual(scale.spec, { replicas: 2 });
    const review = await as(asMember, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      spec: { resourceAttributes: { namespace: team, resource: 'pods', subresource: 'log', verb: 'get' } },
    });
    assert.equal((review.status as { allowed: boolean }).allowed, true, 'a member may read logs');
    await as(asMember, 'POST', rbac('roles'), {
      metadata: { name: 'reader' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }],
    });
    const subjects = [{ kind: 'ServiceAccount', name: 'ci', namespace: team }];
    for (const [name, kind, role] of [
      ['ci-reader', 'Role', 'reader'],
      ['ci-team', 'ClusterRole', teamRoleName],
      ['ci-view', 'ClusterRole', 'view'],
    ] as const) {
      await as(asMember, 'POST', rbac('rolebindings'), {
        metadata: { name },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: role },
        subjects,
      });
    }
  });

  it('refuses a member binding admin or edit, or writing a Role that mints tokens: rights the team does not hold', async () => {
    for (const role of ['admin', 'edit']) {
      await assert.rejects(
        as(asMember, 'POST', rbac('rolebindings'), {
          metadata: { name: `ci-${role}` },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: team }],
        }),
        forbidden(/attempting to grant RBAC permissions not currently held[\s\S]*serviceaccounts\/token/),
        role,
      );
    }
    await assert.rejects(
      as(asMember, 'POST', rbac('roles'), {
        metadata: { name: 'minter' },
        rules: [{ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }],
      }),
      forbidden(/attempting to grant RBAC permissions not currently held/),
      'a Role of their own that mints tokens',
    );
  });
});

describe('ServiceAccount tokens capped by the cluster', () => {
  it('answers a year-long TokenRequest with a token that expires within the hour', async () => {
    const before = Date.now();
    const answer = await http.request<{ status: { token: string; expirationTimestamp: string } }>({
      method: 'POST',
      path: tokenPath('default'),
      body: tokenRequest(oneYear),
    });
    const expires = Date.parse(answer.status.expirationTimestamp);
    assert.ok(expires - before <= 3600_000 + 5_000, `expires ${answer.status.expirationTimestamp}: within the hour`);
    const payload = JSON.parse(Buffer.from(answer.status.token.split('.')[1] ?? '', 'base64url').toString()) as {
      exp: number;
      iat: number;
    };
    assert.equal(payload.exp - payload.iat, 3600, 'the token itself says one hour');
  });
});
