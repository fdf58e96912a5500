import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { defaultPlatformConfig } from '../../src/api/platform-config.ts';
import { vclusterModuleDir } from '../../src/dev/charts/chart-repository.ts';
import { binaryPath } from '../../src/dev/tools/cache.ts';
import { houseDeployerRole } from '../../src/tenancy/house/rbac.ts';
import { buildHouseValues } from '../../src/tenancy/house/values.ts';
import { storedTenant } from '../fixtures/tenant-objects.ts';
import type { LooseDocument } from '../fixtures/tenants.ts';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}
type Doc = LooseDocument;

// The pinned helm and the chart in the pinned vCluster module: the integration suite's global set-up builds them.
const helm = binaryPath('helm');
const chart = join(vclusterModuleDir(), 'chart');

/** The chart rendered by helm with a house's values: a key the chart's values.schema.json lacks fails here. */
function render(values: unknown): Doc[] {
  const out = execFileSync(helm, ['template', 'devteam-a', chart, '-n', 'vcluster-devteam-a', '-f', '-'], {
    input: JSON.stringify(values),
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return parseAllDocuments(out)
    .map((doc) => doc.toJSON() as Doc)
    .filter(Boolean);
}

const deployerRules = (): Rule[] =>
  parseAllDocuments(readFileSync(join(import.meta.dirname, '../../deploy/rbac/operator.yaml'), 'utf8'))
    .map((doc) => doc.toJSON() as Doc)
    .find((doc) => doc.kind === 'ClusterRole' && doc.metadata.name === houseDeployerRole)?.rules ?? [];

const allows = (rules: Rule[], group: string, resource: string, verb: string) =>
  rules.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));

const plural = (kind: string) => (kind.endsWith('s') ? `${kind}es` : `${kind}s`).toLowerCase();

const house = (edit: (t: LooseDocument) => void = () => {}) =>
  storedTenant((t) => {
    t.spec.isolation = 'vcluster';
    edit(t);
  });

describe('the vCluster chart with a house’s values (helm template)', () => {
  // Both Ingresses on: the API server's (the chart's) and the house Argo CD's (synced from inside the house).
  const platform = {
    ...defaultPlatformConfig,
    houses: {
      ...defaultPlatformConfig.houses,
      ingress: { enabled: true, className: 'nginx' },
      argocd: { ...defaultPlatformConfig.houses.argocd, ingress: { enabled: true, className: 'nginx' } },
    },
  };
  const docs = render(buildHouseValues(house(), platform));

  it('lets the syncer write Ingresses in the house namespace only when the house Argo CD has one, with no ClusterRole', () => {
    const ingressRights = (rendered: Doc[]) =>
      rendered
        .filter((doc) => doc.kind === 'Role')
        .flatMap((role) => role.rules as Rule[])
        .some((rule) => rule.apiGroups.includes('networking.k8s.io') && rule.resources.includes('ingresses'));
    assert.equal(ingressRights(docs), true);
    assert.deepEqual(
      docs.filter((doc) => doc.kind.startsWith('Cluster')).map((doc) => doc.kind),
      [],
    );
    const without = { ...platform, houses: { ...platform.houses, argocd: defaultPlatformConfig.houses.argocd } };
    assert.equal(ingressRights(render(buildHouseValues(house(), without))), false);
  });

  it('accepts every value key (the chart’s schema refuses unknown ones)', () => {
    assert.throws(() => render({ ...buildHouseValues(house(), platform), notAKey: true }), /notAKey|additional/i);
    assert.ok(docs.some((doc) => doc.kind === 'StatefulSet'));
  });

  it('creates only namespaced kinds in the house namespace, each of which the chart deployer may create', () => {
    const rules = deployerRules();
    for (const doc of docs) {
      assert.equal(doc.metadata.namespace, 'vcluster-devteam-a', `${doc.kind} ${doc.metadata.name}`);
      const group = String(doc.apiVersion).includes('/') ? String(doc.apiVersion).split('/')[0] : '';
      for (const verb of ['create', 'patch', 'delete', 'get'])
        assert.ok(
          allows(rules, group ?? '', plural(doc.kind), verb),
          `${verb} ${doc.kind} not granted to the deployer`,
        );
    }
  });

  it('grants no right in the chart’s Role the deployer lacks (the API server’s escalation check)', () => {
    const rules = deployerRules();
    const granted = docs
      .filter((doc) => doc.kind === 'Role')
      .flatMap((role) => role.rules as Rule[])
      .flatMap((rule) =>
        rule.apiGroups.flatMap((group) => rule.resources.map((resource) => ({ rule, group, resource }))),
      );
    for (const { rule, group, resource } of granted)
      for (const verb of rule.verbs)
        assert.ok(allows(rules, group, resource, verb), `${verb} ${group}/${resource}: the deployer lacks it`);
  });

  it('runs every container and init container as Pod Security restricted asks', () => {
    const pod = docs.find((doc) => doc.kind === 'StatefulSet')?.spec.template.spec;
    assert.equal(pod.securityContext.runAsNonRoot, true);
    for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
      const context = container.securityContext ?? {};
      assert.equal(context.allowPrivilegeEscalation, false, container.name);
      assert.equal(context.runAsNonRoot, true, container.name);
      assert.notEqual(context.runAsUser, 0, container.name);
      assert.deepEqual(context.capabilities?.drop, ['ALL'], container.name);
      assert.equal(context.seccompProfile?.type, 'RuntimeDefault', container.name);
    }
  });

  it('uses the mirror’s open-source image, the pinned patch release and the house’s address', () => {
    const pod = docs.find((doc) => doc.kind === 'StatefulSet')?.spec.template.spec;
    const images = [...pod.containers, ...pod.initContainers].map((c: Doc) => c.image);
    assert.ok(images.includes('registry.landlord.local/loft-sh/vcluster-oss:0.36.1'), images.join(' '));
    assert.ok(
      images.includes(`registry.landlord.local/loft-sh/kubernetes:${platform.houses.kubernetesVersions['1.36']}`),
    );
    const ingress = docs.find((doc) => doc.kind === 'Ingress');
    assert.equal(ingress?.spec.rules[0].host, 'vcluster-devteam-a.landlord.local');
  });

  it('creates no ClusterRole for a house with a pool (no node sync)', () => {
    const pooled = render(
      buildHouseValues(
        house((t) => (t.spec.nodePool = { size: 1, instanceType: 'standard' })),
        platform,
      ),
    );
    assert.deepEqual(
      pooled.filter((doc) => doc.kind.startsWith('Cluster')),
      [],
    );
  });
});
