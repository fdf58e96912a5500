import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { defaultPlatformConfig } from '../api/platform-config.ts';
import {
  changed,
  cluster,
  folder,
  group,
  house,
  landlordMadeOn,
  live,
  networkPolicy,
  object,
  onlyFinding,
  optionsWithHostCIDRs,
  platformWithHostCIDRs,
  roleBinding,
  tenant,
} from '../../test/fixtures/audit-inventory.ts';
import { renderTenantFolder } from '../tenancy/gitops-folder.ts';
import { auditOptionsFrom } from './options.ts';
import { readFolder } from './read-folder.ts';
import { audit } from './audit.ts';
import type { AuditedObject, Inventory } from './inventory.ts';

const h = house('devteam-h');
const a = tenant('devteam-a');
/** Landlord's objects for a namespace tenant and a house, on a platform that names the host API server's addresses. */
const made = () => landlordMadeOn(platformWithHostCIDRs, a, h);
const audited = (inventory: Inventory) => audit(inventory, optionsWithHostCIDRs);

/** The house ClusterRoles of deploy/rbac/operator.yaml, as a live cluster holds them. */
const houseClusterRoles = parseAllDocuments(
  readFileSync(join(import.meta.dirname, '..', '..', 'deploy', 'rbac', 'operator.yaml'), 'utf8'),
)
  .map((document) => document.toJS() as AuditedObject)
  .filter((o) => o?.kind === 'ClusterRole' && o.metadata.name.startsWith('landlord-house-'));

describe('landlord audit on houses: what Landlord makes passes', () => {
  it('finds nothing in a house and a namespace tenant, as a folder and live, when the host API addresses are named', () => {
    assert.equal(houseClusterRoles.length, 2, 'the deployer and the registrar roles are read');
    assert.deepEqual(audited(folder(made())), []);
    assert.deepEqual(audited(cluster(live([...made(), ...houseClusterRoles]))), []);
  });

  it('finds nothing as `landlord render` writes it: tenants known from labels only, the house from its namespace', () => {
    assert.deepEqual(audited(folder(made().filter((o) => o.kind !== 'Tenant'))), []);
  });

  it("reads `landlord render`'s house layout, its chart values.yaml aside, and finds nothing", () => {
    const root = mkdtempSync(join(tmpdir(), 'landlord-audit-house-'));
    try {
      for (const t of [a, h]) {
        for (const [file, text] of renderTenantFolder(t, platformWithHostCIDRs)) {
          mkdirSync(dirname(join(root, file)), { recursive: true });
          writeFileSync(join(root, file), text);
        }
      }
      readFileSync(join(root, 'vclusters', 'devteam-h', 'values.yaml'));
      const inventory = readFolder(root);
      assert.ok(inventory.objects.some((o) => o.kind === 'AppProject' && o.metadata.name === 'vcluster-devteam-h'));
      assert.deepEqual(audited(inventory), []);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('passes a house on a platform whose namespace tenants are held at baseline: the house stays restricted', () => {
    const baseline = { ...platformWithHostCIDRs, podSecurityLevel: 'baseline' as const };
    assert.deepEqual(audit(folder(landlordMadeOn(baseline, a, h)), auditOptionsFrom(baseline)), []);
  });

  it('passes a house with a dedicated node pool', () => {
    const pooled = house('devteam-h', { nodePool: { size: 1, instanceType: 'standard' } });
    assert.deepEqual(audited(folder(landlordMadeOn(platformWithHostCIDRs, a, pooled))), []);
  });
});

describe('landlord audit on houses: the control plane reaching the host API server', () => {
  it('reports any address on 443/6443 (houses.hostAPIServerCIDRs empty) as medium under its own rule, nothing else', () => {
    const platform = {
      ...defaultPlatformConfig,
      houses: { ...defaultPlatformConfig.houses, argocd: platformWithHostCIDRs.houses.argocd },
    };
    for (const inventory of [folder(landlordMadeOn(platform, a, h)), cluster(live(landlordMadeOn(platform, a, h)))]) {
      const findings = audit(inventory, auditOptionsFrom(platform));
      assert.equal(findings.length, 1, JSON.stringify(findings, null, 2));
      const finding = onlyFinding(inventory, 'house-host-api-any-address', auditOptionsFrom(platform));
      assert.equal(finding.severity, 'medium');
      assert.equal(finding.object, 'Namespace vcluster-devteam-h');
      assert.equal(finding.tenant, 'devteam-h');
      assert.match(finding.message, /allow-control-plane-to-host-api .* any address on 443 and 6443/);
      assert.match(finding.fix, /set houses\.hostAPIServerCIDRs/);
    }
  });

  it("reports a policy letting the house's workloads (every pod) reach any address on 443/6443: high", () => {
    const open = networkPolicy('vcluster-devteam-h', 'workloads-to-api', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          ports: [
            { protocol: 'TCP', port: 443 },
            { protocol: 'TCP', port: 6443 },
          ],
        },
      ],
    });
    const finding = onlyFinding(folder([...made(), open]), 'namespace-egress-open', optionsWithHostCIDRs);
    assert.equal(finding.severity, 'high');
    assert.equal(finding.object, 'Namespace vcluster-devteam-h');
    assert.match(finding.message, /workloads-to-api lets every pod reach anything on 443\/TCP, 6443\/TCP/);
    assert.match(finding.fix, /delete those rules/);
  });

  it("reports the team's workloads reaching the host API server's named addresses: high", () => {
    const toApi = networkPolicy('vcluster-devteam-h', 'workloads-to-api', {
      podSelector: { matchLabels: { app: 'vcluster' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '10.96.0.1/32' } }], ports: [{ protocol: 'TCP', port: 443 }] }],
    });
    const finding = onlyFinding(folder([...made(), toApi]), 'namespace-egress-open', optionsWithHostCIDRs);
    assert.equal(finding.severity, 'high');
    assert.match(
      finding.message,
      /pods matching app=vcluster reach the host API server's addresses \(10\.96\.0\.1\/32\)/,
    );
  });

  it('reports egress anywhere on any port, which voids the deny: high', () => {
    const anywhere = networkPolicy('vcluster-devteam-h', 'allow-all', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{}],
    });
    const finding = onlyFinding(folder([...made(), anywhere]), 'namespace-no-default-deny', optionsWithHostCIDRs);
    assert.equal(finding.severity, 'high');
    assert.equal(finding.object, 'Namespace vcluster-devteam-h');
  });

  it("reports ingress from another tenant's namespace to the virtual API server: high", () => {
    const fromA = networkPolicy('vcluster-devteam-h', 'from-a', {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'devteam-a' } } }] }],
    });
    const finding = onlyFinding(folder([...made(), fromA]), 'namespace-ingress-open', optionsWithHostCIDRs);
    assert.equal(finding.severity, 'high');
    assert.match(finding.message, /devteam-a's namespace devteam-a/);
  });
});

describe("landlord audit on houses: the house namespace's RBAC, Pod Security and ownership", () => {
  it("reports the team's group bound in its house's host namespace: high when the role reads Secrets (vc-<team>)", () => {
    const binding = roleBinding('vcluster-devteam-h', 'team', { kind: 'ClusterRole', name: 'admin' }, [
      group('devteam-h-admins'),
    ]);
    const finding = onlyFinding(folder([...made(), binding]), 'rbac-house-person', optionsWithHostCIDRs);
    assert.equal(finding.severity, 'high');
    assert.equal(finding.object, 'RoleBinding vcluster-devteam-h/team');
    assert.match(
      finding.message,
      /Group devteam-h-admins, and it reads Secrets: the house's admin certificate vc-devteam-h/,
    );
    assert.match(finding.fix, /short-lived tokens issued inside it/);
    const viewer = roleBinding('vcluster-devteam-h', 'team', { kind: 'ClusterRole', name: 'view' }, [
      group('devteam-h-admins'),
    ]);
    assert.equal(
      onlyFinding(folder([...made(), viewer]), 'rbac-house-person', optionsWithHostCIDRs).severity,
      'medium',
    );
  });

  it('reports a chart deployer role that writes network policies or quotas in the house namespace: high', () => {
    const roles = houseClusterRoles.map((role) =>
      role.metadata.name === 'landlord-house-deployer'
        ? ({
            ...role,
            rules: [
              ...(((role as { rules?: object[] }).rules ?? []) as object[]),
              { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['create', 'patch'] },
              { apiGroups: [''], resources: ['resourcequotas'], verbs: ['update'] },
            ],
          } as AuditedObject)
        : role,
    );
    const finding = onlyFinding(cluster(live([...made(), ...roles])), 'rbac-house-beyond-chart', optionsWithHostCIDRs);
    assert.equal(finding.severity, 'high');
    assert.equal(finding.object, 'RoleBinding vcluster-devteam-h/landlord-house-deployer');
    assert.match(finding.message, /write on networkpolicies; write on resourcequotas/);
    assert.match(finding.fix, /no ResourceQuota, LimitRange, NetworkPolicy or Argo CD kinds/);
  });

  it('reports a house namespace relabelled below restricted, even on a baseline platform: high', () => {
    const baseline = { ...platformWithHostCIDRs, podSecurityLevel: 'baseline' as const };
    const objects = changed(landlordMadeOn(baseline, a, h), 'Namespace', 'vcluster-devteam-h', (o) => ({
      ...o,
      metadata: { ...o.metadata, labels: { ...o.metadata.labels, 'pod-security.kubernetes.io/enforce': 'baseline' } },
    }));
    const finding = onlyFinding(folder(objects), 'namespace-pod-security-level', auditOptionsFrom(baseline));
    assert.equal(finding.severity, 'high');
    assert.equal(finding.object, 'Namespace vcluster-devteam-h');
  });

  it("reports a house namespace that lost its Tenant's ownerReference (live): high", () => {
    const objects = live(made()).map((o) =>
      o.kind === 'Namespace' && o.metadata.name === 'vcluster-devteam-h'
        ? { ...o, metadata: { ...o.metadata, ownerReferences: [] } }
        : o,
    );
    const finding = onlyFinding(cluster(objects), 'ownership-not-owned', optionsWithHostCIDRs);
    assert.equal(finding.object, 'Namespace vcluster-devteam-h');
  });

  it("reports a long-lived token Secret in the house namespace, which the house's control plane reads: high", () => {
    const token = object(
      'Secret',
      'v1',
      {
        name: 'old-token',
        namespace: 'vcluster-devteam-h',
        annotations: { 'kubernetes.io/service-account.name': 'vc-devteam-h' },
      },
      { type: 'kubernetes.io/service-account-token' },
    );
    const finding = onlyFinding(folder([...made(), token]), 'token-secret', optionsWithHostCIDRs);
    assert.match(finding.message, /its house's control plane/);
  });

  it("reports a pool house's namespace without its placement annotation: medium", () => {
    const pooled = house('devteam-h', { nodePool: { size: 1, instanceType: 'standard' } });
    const objects = changed(
      landlordMadeOn(platformWithHostCIDRs, a, pooled),
      'Namespace',
      'vcluster-devteam-h',
      (o) => ({
        ...o,
        metadata: { ...o.metadata, annotations: {} },
      }),
    );
    assert.equal(onlyFinding(folder(objects), 'namespace-no-placement', optionsWithHostCIDRs).severity, 'medium');
  });
});

describe("landlord audit on houses: the house's own Argo CD reaching Dex and Git", () => {
  const platform = {
    ...defaultPlatformConfig,
    houses: { ...defaultPlatformConfig.houses, hostAPIServerCIDRs: platformWithHostCIDRs.houses.hostAPIServerCIDRs },
  };

  it('reports any address on 443 (houses.argocd.egressCIDRs empty) as medium under its own rule, nothing else', () => {
    const settings = auditOptionsFrom(platform);
    for (const inventory of [folder(landlordMadeOn(platform, a, h)), cluster(live(landlordMadeOn(platform, a, h)))]) {
      assert.equal(audit(inventory, settings).length, 1, JSON.stringify(audit(inventory, settings), null, 2));
      const finding = onlyFinding(inventory, 'house-argocd-egress-any-address', settings);
      assert.equal(finding.severity, 'medium');
      assert.equal(finding.object, 'Namespace vcluster-devteam-h');
      assert.match(finding.message, /allow-argocd-egress .* any address on 443/);
      assert.match(finding.fix, /set houses\.argocd\.egressCIDRs/);
    }
  });

  it('reports the same opening on another port as the tenant rules do: high', () => {
    const wider = networkPolicy('vcluster-devteam-h', 'argocd-anywhere', {
      podSelector: { matchLabels: { 'vcluster.loft.sh/namespace': 'argocd' } },
      policyTypes: ['Egress'],
      egress: [{ ports: [{ protocol: 'TCP', port: 22 }] }],
    });
    const finding = onlyFinding(folder([...made(), wider]), 'namespace-egress-open', optionsWithHostCIDRs);
    assert.equal(finding.severity, 'high');
  });
});
