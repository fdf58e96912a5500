import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments, stringify } from 'yaml';
import { defaultPlatformConfig } from '../api/platform-config.ts';
import { renderTenantFolder } from '../tenancy/gitops-folder.ts';
import {
  cluster,
  folder,
  found,
  landlordMade,
  live,
  object,
  onlyFinding,
  options,
  tenant,
} from '../../test/fixtures/audit-inventory.ts';
import { dedicatedNodesAnnotation } from '../tenancy/node-pool.ts';
import type { AuditedObject } from './inventory.ts';
import { readFolder } from './read-folder.ts';

const a = tenant('devteam-a', { additionalNamespaces: ['dev'] });
const b = tenant('devteam-b', { nodePool: { size: 2, instanceType: 'standard' } });
const owner = options.nodeOwnerLabel;

/** What Landlord makes, each namespace of a tenant with a pool carrying the placement annotation (namespace.ts). */
function platform(): AuditedObject[] {
  return live(landlordMade(a, b)).map((o) =>
    o.kind === 'Namespace' && o.metadata.labels?.['landlord.dev/tenant'] === 'devteam-b'
      ? {
          ...o,
          metadata: {
            ...o.metadata,
            annotations: { ...o.metadata.annotations, [dedicatedNodesAnnotation]: 'devteam-b' },
          },
        }
      : o,
  );
}

/**
 * A platform repository on disk: the Tenant under tenants/, its folder as `landlord render` writes it under teams/,
 * each Namespace's placement annotation set to `placed` (or removed), as found in a pushed commit.
 */
function platformRepository(placed: string | undefined): string {
  const root = mkdtempSync(join(tmpdir(), 'landlord-audit-placement-'));
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  write('tenants/devteam-b.yaml', stringify(b));
  for (const [file, text] of renderTenantFolder(b, defaultPlatformConfig)) {
    const documents = parseAllDocuments(text).map((document) => document.toJS() as AuditedObject);
    for (const namespace of documents.filter((o) => o.kind === 'Namespace')) {
      const { [dedicatedNodesAnnotation]: _, ...annotations } = namespace.metadata.annotations ?? {};
      namespace.metadata.annotations = placed ? { ...annotations, [dedicatedNodesAnnotation]: placed } : annotations;
    }
    write(file, documents.map((o) => stringify(o)).join('---\n'));
  }
  return root;
}

/** A node, dedicated to the tenant when one is given. */
const node = (name: string, tenantName?: string) =>
  object('Node', 'v1', { name, labels: tenantName ? { [owner]: tenantName } : {} });

/** A pod on the node, as read-cluster reads it: metadata and spec.nodeName only. */
const pod = (namespace: string, name: string, nodeName: string, metadata: Partial<AuditedObject['metadata']> = {}) =>
  object('Pod', 'v1', { name, namespace, ...metadata }, { spec: { nodeName } });

/** The platform's namespace and a DaemonSet pod in it. */
const kubeSystem = object('Namespace', 'v1', { name: 'kube-system' });
const daemonOwner = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'log-shipper', uid: 'u1', controller: true };

/** The platform with one namespace's annotations changed. */
function withPlacement(name: string, value: string | undefined): AuditedObject[] {
  return platform().map((o) => {
    if (o.kind !== 'Namespace' || o.metadata.name !== name) return o;
    const { [dedicatedNodesAnnotation]: _, ...annotations } = o.metadata.annotations ?? {};
    return {
      ...o,
      metadata: {
        ...o.metadata,
        annotations: value === undefined ? annotations : { ...annotations, [dedicatedNodesAnnotation]: value },
      },
    };
  });
}

describe('audit: dedicated node pools', () => {
  it('finds nothing when dedicated nodes carry only their tenant’s pods and the platform’s DaemonSets', () => {
    const objects = [
      ...platform(),
      kubeSystem,
      node('spare-01', 'devteam-b'),
      node('worker-1'),
      pod('devteam-b', 'web-1', 'spare-01'),
      pod('kube-system', 'log-shipper-x', 'spare-01', { ownerReferences: [daemonOwner] }),
      pod('devteam-a', 'api-1', 'worker-1'),
    ];
    assert.deepEqual(found(cluster(objects)), []);
  });

  it("reports a dedicated node carrying another tenant's pod, naming the pod and both tenants", () => {
    const objects = [
      ...platform(),
      node('spare-01', 'devteam-b'),
      pod('devteam-b', 'web-1', 'spare-01'),
      pod('devteam-a-dev', 'squatter', 'spare-01'),
    ];
    assert.deepEqual(found(cluster(objects)), [['node-foreign-pods', 'Node spare-01', 'devteam-b']]);
    const finding = onlyFinding(cluster(objects), 'node-foreign-pods');
    assert.equal(finding.severity, 'high');
    assert.match(
      finding.message,
      /dedicated to tenant devteam-b, yet runs 1 pod\(s\) of others: devteam-a-dev\/squatter \(tenant devteam-a\)/,
    );
    assert.match(finding.fix, /spec\.nodeName/);
  });

  it('reports pods of no tenant, and a platform pod that is not a DaemonSet’s or a DaemonSet pod outside the platform', () => {
    const objects = [
      ...platform(),
      kubeSystem,
      object('Namespace', 'v1', { name: 'scratch' }),
      node('spare-01', 'devteam-b'),
      pod('kube-system', 'debug', 'spare-01'),
      pod('scratch', 'daemon-lookalike', 'spare-01', { ownerReferences: [daemonOwner] }),
    ];
    const finding = onlyFinding(cluster(objects), 'node-foreign-pods');
    assert.match(
      finding.message,
      /runs 2 pod\(s\) of others: kube-system\/debug \(no tenant\), scratch\/daemon-lookalike \(no tenant\)/,
    );
  });

  it('names five pods and counts the rest', () => {
    const pods = Array.from({ length: 7 }, (_, index) => pod('devteam-a', `p${index}`, 'spare-01'));
    const finding = onlyFinding(cluster([...platform(), node('spare-01', 'devteam-b'), ...pods]), 'node-foreign-pods');
    assert.match(finding.message, /devteam-a\/p4 \(tenant devteam-a\) and 2 more;/);
  });

  it("reports a pool tenant's namespace stripped of its placement annotation", () => {
    const finding = onlyFinding(cluster(withPlacement('devteam-b', undefined)), 'namespace-no-placement');
    assert.deepEqual(
      [finding.object, finding.tenant, finding.severity],
      ['Namespace devteam-b', 'devteam-b', 'medium'],
    );
    assert.match(finding.message, new RegExp(`lacks ${dedicatedNodesAnnotation}=devteam-b`));
  });

  it("reports a namespace placed on another team's nodes, with or without a pool of its own", () => {
    assert.deepEqual(found(cluster(withPlacement('devteam-b', 'devteam-c'))), [
      ['namespace-placement-other-team', 'Namespace devteam-b', 'devteam-b'],
    ]);
    const intoB = onlyFinding(cluster(withPlacement('devteam-a-dev', 'devteam-b')), 'namespace-placement-other-team');
    assert.equal(intoB.severity, 'high');
    assert.match(intoB.message, /placed on team devteam-b's dedicated nodes/);
    assert.match(intoB.fix, /remove .* \(the tenant has no pool\)/);
  });

  it('judges placement in a folder too, where the Tenants and their rendered namespaces are', () => {
    const rendered = withPlacement('devteam-b', undefined).map(
      ({ metadata: { ownerReferences: _, uid: __, ...metadata }, ...rest }) => ({
        ...rest,
        metadata,
      }),
    );
    assert.deepEqual(found(folder(rendered)), [['namespace-no-placement', 'Namespace devteam-b', 'devteam-b']]);
  });

  it('reads placement from a platform repository folder: the Tenant beside its rendered namespaces', () => {
    const stripped = platformRepository(undefined);
    const placed = platformRepository('devteam-b');
    try {
      assert.deepEqual(found(readFolder(stripped)), [['namespace-no-placement', 'Namespace devteam-b', 'devteam-b']]);
      assert.deepEqual(found(readFolder(placed)), []);
    } finally {
      for (const root of [stripped, placed]) rmSync(root, { recursive: true, force: true });
    }
  });

  it('leaves a tenant without a pool alone when its namespaces have no placement annotation', () => {
    assert.deepEqual(found(cluster(platform())), []);
  });
});
