import assert from 'node:assert/strict';
import { it } from 'node:test';
import { defaultPlatformConfig, parsePlatformConfig } from './platform-config.ts';

it('fills what a platform file leaves out from the defaults', () => {
  const config = parsePlatformConfig({ domain: 'financecore.local', argocd: { namespace: 'gitops' } });
  assert.equal(config.domain, 'financecore.local');
  assert.equal(config.argocd.namespace, 'gitops');
  assert.equal(config.argocd.destinationServer, defaultPlatformConfig.argocd.destinationServer);
  assert.deepEqual(parsePlatformConfig(undefined), defaultPlatformConfig);
});

it('replaces free-form label maps whole', () => {
  const config = parsePlatformConfig({ dns: { podLabels: { 'app.kubernetes.io/name': 'coredns' } } });
  assert.deepEqual(config.dns.podLabels, { 'app.kubernetes.io/name': 'coredns' });
});

it('refuses unknown fields and wrong types, naming the field', () => {
  assert.throws(
    () => parsePlatformConfig({ argocd: { namepsace: 'x' } }),
    /argocd\.namepsace: unknown field; known fields here: namespace, destinationServer, url/,
  );
  assert.throws(
    () => parsePlatformConfig({ namespaceQuota: { pods: '100' } }),
    /namespaceQuota\.pods: "100" is not a number/,
  );
  assert.throws(
    () => parsePlatformConfig({ podSecurityLevel: 'privileged' }),
    /podSecurityLevel: "privileged" is not allowed/,
  );
  assert.throws(() => parsePlatformConfig('domain'), /the configuration: "domain" is not an object/);
});

it('lists the platform namespaces, Argo CD and Landlord by default, and takes a list of namespace names', () => {
  assert.deepEqual(parsePlatformConfig({}).platformNamespaces, ['argocd', 'landlord-system', 'landlord-identity']);
  const config = parsePlatformConfig({ platformNamespaces: ['argocd', 'landlord-system', 'dex'] });
  assert.deepEqual(config.platformNamespaces, ['argocd', 'landlord-system', 'dex']);
  assert.throws(
    () => parsePlatformConfig({ platformNamespaces: ['argocd', 'Dex_NS'] }),
    /platformNamespaces\[1\]: "Dex_NS" is not a namespace name \(lower case letters, digits and '-'/,
  );
  assert.throws(
    () => parsePlatformConfig({ platformNamespaces: [7] }),
    /platformNamespaces\[0\]: 7 is not a namespace name/,
  );
  assert.throws(
    () => parsePlatformConfig({ platformNamespaces: 'argocd' }),
    /platformNamespaces: "argocd" is not a list/,
  );
});

it("refuses a team repository prefix that would let one team name another's repositories, or a pattern", () => {
  assert.equal(
    parsePlatformConfig({ git: { teamRepoPrefix: 'ssh://git@git.example/{team}/' } }).git.teamRepoPrefix,
    'ssh://git@git.example/{team}/',
  );
  assert.throws(
    () => parsePlatformConfig({ git: { teamRepoPrefix: '{baseURL}/teams/' } }),
    /git\.teamRepoPrefix: "\{baseURL\}\/teams\/" must contain \{team\} exactly once/,
  );
  assert.throws(
    () => parsePlatformConfig({ git: { teamRepoPrefix: '{baseURL}/{team}-' } }),
    /git\.teamRepoPrefix: "\{baseURL\}\/\{team\}-" must have a character no team name has \(such as \/\) right after \{team\}/,
  );
  assert.throws(() => parsePlatformConfig({ git: { teamRepoPrefix: '{baseURL}/{team}' } }), /right after \{team\}/);
  assert.throws(
    () => parsePlatformConfig({ git: { teamRepoPrefix: '{baseURL}/*/{team}/' } }),
    /must not contain \*, \?, \[, \], \{ or \} other than \{baseURL\} and \{team\}/,
  );
  assert.throws(
    () => parsePlatformConfig({ git: { allowFileURLs: 'yes' } }),
    /git\.allowFileURLs: "yes" is not a boolean/,
  );
});

it('bounds single sign-on sessions: an hour by default, whole minutes from 5 to 480', () => {
  assert.equal(parsePlatformConfig({}).sso.sessionMinutes, 60);
  assert.equal(parsePlatformConfig({ sso: { sessionMinutes: 15 } }).sso.sessionMinutes, 15);
  for (const minutes of [0, 4, 481, 1440, 30.5]) {
    assert.throws(
      () => parsePlatformConfig({ sso: { sessionMinutes: minutes } }),
      new RegExp(`sso.sessionMinutes: ${minutes} is not allowed; use a whole number of minutes from 5 to 480`),
    );
  }
});

it('reads ceilings, budgets and the review threshold strictly, naming the field, the value and what is allowed', () => {
  const config = parsePlatformConfig({ tenantCeilings: { cpu: '32' }, groupBudget: { nodePoolNodes: 20 } });
  assert.equal(config.tenantCeilings.cpu, '32');
  assert.equal(config.tenantCeilings.memory, defaultPlatformConfig.tenantCeilings.memory);
  assert.equal(config.groupBudget.nodePoolNodes, 20);
  assert.throws(
    () => parsePlatformConfig({ tenantCeilings: { cpu: 'lots' } }),
    /tenantCeilings\.cpu: "lots" is not a Kubernetes quantity; use a number with an optional suffix such as 64, 500m or 256Gi/,
  );
  assert.throws(
    () => parsePlatformConfig({ reviewThreshold: { nodePoolNodes: 1.5 } }),
    /reviewThreshold\.nodePoolNodes: 1\.5 must be a whole number >= 0/,
  );
  assert.throws(
    () => parsePlatformConfig({ groupBudget: { cpu: '32' } }),
    /groupBudget\.cpu: 32 is below tenantCeilings\.cpu \(64\)/,
  );
  assert.throws(() => parsePlatformConfig({ tenantCeilings: { gpus: '1' } }), /tenantCeilings\.gpus: unknown field/);
});

it('takes object counts per resource, whole and named as the quota names them', () => {
  const config = parsePlatformConfig({ namespaceQuota: { objectCounts: { 'roles.rbac.authorization.k8s.io': 5 } } });
  assert.deepEqual(config.namespaceQuota.objectCounts, { 'roles.rbac.authorization.k8s.io': 5 });
  assert.ok(parsePlatformConfig({}).namespaceQuota.objectCounts['rolebindings.rbac.authorization.k8s.io']);
  assert.throws(
    () => parsePlatformConfig({ namespaceQuota: { objectCounts: { 'Roles/x': 5 } } }),
    /namespaceQuota\.objectCounts\.Roles\/x: not a resource name/,
  );
  assert.throws(
    () => parsePlatformConfig({ namespaceQuota: { objectCounts: { roles: '5' } } }),
    /namespaceQuota\.objectCounts\.roles: "5" must be a whole number >= 0/,
  );
});

it('refuses node pool labels a kubelet could set on its own node, naming the field', () => {
  assert.throws(
    () => parsePlatformConfig({ nodePools: { placementLabel: 'nodepool' } }),
    /nodePools\.placementLabel: "nodepool" must start with node-restriction\.kubernetes\.io\//,
  );
  assert.throws(
    () => parsePlatformConfig({ nodePools: { taintKey: 'bad key' } }),
    /nodePools\.taintKey: "bad key" is not a label key/,
  );
  assert.throws(
    () => parsePlatformConfig({ nodePools: { drainTimeoutSeconds: 0 } }),
    /nodePools\.drainTimeoutSeconds: 0 is not allowed; use a whole number of seconds from 1 to 86400/,
  );
  assert.equal(parsePlatformConfig({ nodePools: { notReadySeconds: 10 } }).nodePools.notReadySeconds, 10);
});

it('takes the host API server’s addresses for houses as CIDRs, naming the entry that is not one', () => {
  assert.deepEqual(
    parsePlatformConfig({ houses: { hostAPIServerCIDRs: ['10.96.0.1/32'] } }).houses.hostAPIServerCIDRs,
    ['10.96.0.1/32'],
  );
  assert.throws(
    () => parsePlatformConfig({ houses: { hostAPIServerCIDRs: ['10.96.0.1/32', '10.96.0.1'] } }),
    /houses\.hostAPIServerCIDRs\[1\]: "10\.96\.0\.1" is not a CIDR: write an address and a prefix length, such as 10\.0\.0\.1\/32/,
  );
});
